import BitTorrent
import ClientHarness
import Incentives
import SimKernel
import Testing

@testable import Speed

/// A provider that sells its slot, takes the escrow and serves nothing on it
/// (`SpeedDelivery.withholds`), against an honest requester, back to back over the real
/// client code. Requesters pay after delivery, so the requester loses no BTT either way;
/// what it loses is the slot and its escrow's use while the channel stays open. Its
/// defence (`leaveWithholders`) gets both back one request timeout after the channel
/// opened.
@Suite struct WithholdingProviderTests {
    static let price = Price.bttPerGiB(1000)
    static let funds = TokenAmount.btt(100)

    static func fixture(leave: Bool) -> SpeedPairFixture {
        SpeedPairFixture(
            settings: SpeedSettings(
                bidding: .fixed(price), reserve: price, channelDeposit: .btt(5), verifyFraction: 1,
                leaveWithholders: leave),
            requesterFunds: funds, delivery: .withholds)
    }

    @Test func withoutTheDefenceTheSlotStaysSoldEmptyAndTheEscrowLocked() {
        let f = Self.fixture(leave: false)
        f.pair.connectAndRun()
        f.pair.runRechokeRounds(for: .minutes(5)) { f.pair.b.isSeed }
        #expect(f.pair.b.bytesDownloaded == 0, "nothing on the sold slot, and no other slot for it")
        #expect(f.market.records.filter { $0.kind == .open }.count == 1)
        #expect(f.market.spent(by: 1) == .zero, "paid after delivery: nothing delivered, nothing paid")
        #expect(f.market.balance(f.requester.account.ledger) == Self.funds - .btt(5), "the deposit stays locked")
        #expect(f.requester.withholders.isEmpty)
        let conn = f.pair.bConn.flatMap { f.pair.b.session($0) }
        #expect(conn?.timedOut == true && conn?.outstanding.count == 1, "asked one block at a time")
        #expect(f.market.isConserved)
    }

    @Test func withTheDefenceTheRequesterLeavesGetsItsEscrowBackAndTheFileFree() {
        let f = Self.fixture(leave: true)
        f.pair.connectAndRun()
        f.pair.runRechokeRounds(for: .minutes(5)) { f.pair.b.isSeed }
        #expect(f.requester.withholders == [f.provider.account.ledger])
        #expect(f.market.records.filter { $0.kind == .open }.count == 1, "no bid, so no channel, after leaving")
        #expect(f.market.balance(f.requester.account.ledger) == Self.funds, "the whole deposit came back")
        #expect(f.market.spent(by: 1) == .zero && f.market.earned(by: 0) == .zero)
        // Its bid withdrawn, the requester is a non-bidder: the provider's free slot serves it.
        #expect(f.pair.b.isSeed)
        #expect(f.market.isConserved)
    }
}
