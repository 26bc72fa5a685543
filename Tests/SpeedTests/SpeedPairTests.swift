import BitTorrent
import ClientHarness
import Incentives
import SimKernel
import Testing

@testable import Speed

/// A Speed provider (A, a seed) and a Speed requester (B) back to back: bids, auction,
/// channel, vouchers and settlement, over the real client code and message encoding.
@Suite struct SpeedPairTests {
    static let price = Price.bttPerGiB(1000)

    static func fixture(
        requesterFunds: TokenAmount = .btt(100), deposit: TokenAmount = .btt(5), verify: Double = 1
    ) -> SpeedPairFixture {
        var chain = ChainSettings()
        chain.fee = .btt(0.01)
        // One bidder and four slots: the uniform price is the reserve, set to the bid.
        return SpeedPairFixture(
            settings: SpeedSettings(
                bidding: .fixed(price), reserve: price, channelDeposit: deposit, verifyFraction: verify),
            chain: chain, requesterFunds: requesterFunds)
    }

    @Test func aPayingRequesterGetsTheFileAndPaysExactlyForWhatItReceived() {
        let f = Self.fixture()
        f.pair.connectAndRun()
        #expect(f.pair.b.isSeed)
        let cost = Self.price.cost(bytes: f.pair.b.bytesDownloaded)
        // Paid piece by piece; each voucher rounds its own amount, at most half a unit each.
        let pieces = Int64(ClientPair.layout.pieceCount)
        #expect(abs(f.market.spent(by: 1).baseUnits - cost.baseUnits) <= pieces)
        #expect(f.market.earned(by: 0) == f.market.spent(by: 1))
        #expect(f.market.transferred == f.market.spent(by: 1))
        // One voucher per piece's worth of data (the short last piece joins the one before).
        #expect(f.market.records.contains { $0.kind == .voucher && $0.vouchers == Int(pieces) - 1 })
        #expect(f.market.records.contains { $0.kind == .refund && $0.payee == 1 })
        #expect(f.market.isConserved)
        #expect(f.market.terms(of: 1) == nil, "the channel settled when the download completed")
    }

    @Test func aNewChannelOpensWhenTheEscrowRunsOut() {
        // Each deposit covers two pieces: the download needs three channels or more.
        let f = Self.fixture(deposit: Self.price.cost(bytes: 2 * 65_536 + 100))
        f.pair.connectAndRun()
        #expect(f.pair.b.isSeed)
        let opens = f.market.records.filter { $0.kind == .open }
        // Every channel settled: paid out (close), refunded, or both.
        let settled = f.market.records.filter { $0.kind == .close || $0.kind == .refund }
        #expect(opens.count >= 3)
        #expect(Set(opens.compactMap(\.channel)) == Set(settled.compactMap(\.channel)))
        #expect(f.market.records.filter { $0.kind == .close }.count >= 3)
        // Still paid for exactly what arrived, across all channels.
        let cost = Self.price.cost(bytes: f.pair.b.bytesDownloaded)
        #expect(abs(f.market.spent(by: 1).baseUnits - cost.baseUnits) <= Int64(ClientPair.layout.pieceCount))
        #expect(f.market.isConserved)
    }

    @Test func aRequesterWithoutFundsDoesNotBidAndGetsAFreeSlot() {
        let f = Self.fixture(requesterFunds: .zero)
        f.pair.connectAndRun()
        #expect(f.pair.b.isSeed)
        #expect(f.market.records.isEmpty)
        #expect(f.market.transferred == .zero)
    }

    @Test func noPaidBlockLeavesBeforeTheChannelIsOpen() {
        let f = Self.fixture()
        f.pair.intercept = { fromA, message in
            if !fromA, case .extended(_, let payload) = message, case .open = try? SpeedMessage(decoding: payload) {
                return nil
            }
            return message
        }
        f.pair.connectAndRun()
        #expect(f.pair.b.bytesDownloaded == 0)
    }

    @Test func aProviderNeverServesBeyondTheEscrow() {
        // A deposit worth 3 blocks; the requester's vouchers and later channels never arrive.
        let blockCost = Self.price.cost(bytes: 16_384)
        let f = Self.fixture(deposit: TokenAmount(baseUnits: blockCost.baseUnits * 3 + 1))
        var opens = 0
        f.pair.intercept = { fromA, message in
            guard !fromA, case .extended(_, let payload) = message, let m = try? SpeedMessage(decoding: payload)
            else { return message }
            switch m {
            case .voucher: return nil
            case .open:
                opens += 1
                return opens == 1 ? message : nil
            default: return message
            }
        }
        f.pair.connectAndRun()
        #expect(f.pair.b.bytesDownloaded == 3 * 16_384)
        #expect(f.market.isConserved)
    }

    @Test func aForgedVoucherEndsTheConnectionAndSettlesTheLastGoodOne() {
        let f = Self.fixture()
        var vouchers = 0
        f.pair.intercept = { fromA, message in
            guard !fromA, case .extended(let id, let payload) = message,
                case .voucher(var v) = try? SpeedMessage(decoding: payload)
            else { return message }
            vouchers += 1
            guard vouchers == 2 else { return message }
            v.signature[0] ^= 1
            return .extended(id: id, payload: SpeedMessage.voucher(v).encoded())
        }
        f.pair.connectAndRun()
        #expect(f.pair.closed.contains { $0.byA && $0.reason == .violation(.malformedExtensionMessage) })
        #expect(f.market.earned(by: 0) > .zero)
        #expect(f.market.earned(by: 0) < Self.price.cost(bytes: 2 * 65_536))
        #expect(f.market.isConserved)
    }
}
