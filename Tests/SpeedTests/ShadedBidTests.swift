import BitTorrent
import ClientHarness
import Incentives
import SimKernel
import Testing

@testable import Speed

/// A requester that shades its bids (`SpeedBidStyle.shaded`) against one provider, over
/// the real client code. In a uniform-price auction a winner pays the clearing price
/// whatever it bid, so shading cannot lower what it pays; it only risks the slot.
@Suite struct ShadedBidTests {
    static let rule = Price.bttPerGiB(1000)
    static let reserve = Price.bttPerGiB(100)

    static func fixture(_ style: SpeedBidStyle) -> SpeedPairFixture {
        SpeedPairFixture(
            settings: SpeedSettings(
                bidding: .fixed(rule), reserve: reserve, channelDeposit: .btt(5), verifyFraction: 1),
            bidStyle: style)
    }

    /// The prices requester B sends in `bid` messages, recorded as they pass; with
    /// `stallAfter`, A's blocks stop after that many, so the connection stays open.
    static func recordBids(_ f: SpeedPairFixture, stallAfter: Int? = nil) -> () -> [Price] {
        var bids: [Price] = []
        var blocks = 0
        f.pair.intercept = { fromA, m in
            if !fromA, case .extended(_, let payload) = m, case .bid(let p) = try? SpeedMessage(decoding: payload) {
                bids.append(p)
            }
            if fromA, case .piece = m {
                blocks += 1
                if let stallAfter, blocks > stallAfter { return nil }
            }
            return m
        }
        return { bids }
    }

    @Test func aShaderBidsJustAboveTheClearingPriceAndPaysWhatAnHonestBidderPays() {
        let shaded = Self.fixture(.shaded)
        let shadedBids = Self.recordBids(shaded)
        shaded.pair.connectAndRun()
        let honest = Self.fixture(.rule)
        let honestBids = Self.recordBids(honest)
        honest.pair.connectAndRun()
        #expect(shaded.pair.b.isSeed && honest.pair.b.isSeed)
        let justAbove = Price(baseUnitsPerGiB: Self.reserve.baseUnitsPerGiB + 1)
        #expect(shadedBids() == [Self.rule, justAbove], "the rule's bid, then one base unit above the clearing price")
        #expect(honestBids() == [Self.rule])
        // One bidder: the slot clears at the reserve, whatever it bid.
        #expect(shaded.market.spent(by: 1) == honest.market.spent(by: 1))
        #expect(shaded.market.spent(by: 1) > .zero && shaded.market.isConserved)
    }

    @Test func losingTheSlotRestoresTheRulesBid() throws {
        let f = Self.fixture(.shaded)
        let bids = Self.recordBids(f, stallAfter: 4)
        f.pair.connectAndRun()
        let conn = try #require(f.pair.bConn)
        #expect(f.requester.links[conn]?.sentBid == Price(baseUnitsPerGiB: Self.reserve.baseUnitsPerGiB + 1))
        var out: [ClientAction] = []
        f.requester.receivedRelease(on: conn, client: f.pair.b, now: f.pair.now, out: &out)
        f.pair.apply(out, fromA: false)
        f.pair.run()
        #expect(f.requester.links[conn]?.sentBid == Self.rule && f.requester.links[conn]?.shadedBid == nil)
        #expect(bids().last == Self.rule, "the restored bid is sent")
    }
}
