import BitTorrent
import ClientHarness
import Incentives
import SimKernel
import Testing

@testable import Speed

/// A requester that never pays (`SpeedPayment.never`) against a Speed provider, back to
/// back over the real client code: the provider's escrow rule bounds what it loses to
/// one deposit per channel, and its defence (`refuseDefaulters`) to one channel.
@Suite struct NonPayingRequesterTests {
    static let price = Price.bttPerGiB(1000)
    /// Each deposit covers two 64 KiB pieces and a little: the file needs several channels.
    static let deposit = price.cost(bytes: 2 * 65_536 + 100)

    static func fixture(refuse: Bool) -> SpeedPairFixture {
        SpeedPairFixture(
            settings: SpeedSettings(
                bidding: .fixed(price), reserve: price, channelDeposit: deposit, verifyFraction: 1,
                refuseDefaulters: refuse),
            payment: .never)
    }

    @Test func withoutTheDefenceItTakesOneDepositPerChannelAndPaysNothing() {
        let f = Self.fixture(refuse: false)
        f.pair.connectAndRun()
        #expect(f.pair.b.isSeed)
        #expect(f.market.spent(by: 1) == .zero && f.market.earned(by: 0) == .zero)
        #expect(!f.market.records.contains { $0.kind == .voucher || $0.kind == .close })
        let opens = f.market.records.filter { $0.kind == .open && $0.payer == 1 }.count
        #expect(opens >= 3, "a new channel each time a deposit's worth was served")
        // The invariant: no channel leaves more than its deposit unpaid.
        #expect(f.provider.largestUnpaidChannel <= Self.deposit)
        #expect(f.provider.unpaidService.baseUnits <= Self.deposit.baseUnits * Int64(opens))
        #expect(f.provider.unpaidService >= Self.price.cost(bytes: f.pair.b.bytesDownloaded - 65_536))
        #expect(f.provider.defaulters == [f.requester.account.ledger], "noticed, though the defence is off")
        #expect(f.market.isConserved)
    }

    @Test func withTheDefenceItGetsOneChannelThenOnlyWhatAnyPeerGets() {
        let f = Self.fixture(refuse: true)
        f.pair.connectAndRun()
        // One channel's worth, then the slot is taken back and its bids are ignored.
        #expect(!f.pair.b.isSeed)
        #expect(f.provider.largestUnpaidChannel <= Self.deposit)
        #expect(f.provider.unpaidService <= Self.deposit)
        #expect(f.provider.defaulters == [f.requester.account.ledger])
        #expect(f.pair.aConn.flatMap { f.pair.a.session($0)?.slot } == UploadSlot.none)
        // The optimistic unchoke stays free for everyone, a defaulter too.
        f.pair.fire(.optimisticUnchoke, onA: true, at: .seconds(30))
        #expect(f.pair.b.isSeed)
        #expect(f.provider.unpaidService <= Self.deposit)
        #expect(f.market.earned(by: 0) == .zero)
        #expect(f.market.isConserved)
    }
}
