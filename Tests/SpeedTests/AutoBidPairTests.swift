import BitTorrent
import ClientHarness
import Incentives
import SimKernel
import Testing

@testable import Speed

/// A Speed provider (A, a seed) and an auto-bidding Speed requester (B) back to back: the
/// bid the rule gives, the budget, and wallet top-ups.
@Suite struct AutoBidPairTests {
    struct Fixture {
        let market: SpeedMarket
        let pair: ClientPair
        let requester: SpeedStrategy
        /// Every Speed message B sent, decoded, in order.
        let sent: Sent
    }

    final class Sent {
        var messages: [SpeedMessage] = []
        var bids: [Price] {
            messages.compactMap { if case .bid(let p) = $0 { p } else { nil } }
        }
    }

    static func fixture(
        bidding: Bidding, reserve: Price = .zero, ledger: TokenAmount, wallet: TokenAmount = .zero,
        budget: TokenAmount? = nil, layout: PieceLayout = ClientPair.layout
    ) -> Fixture {
        var chain = ChainSettings()
        chain.fee = .btt(0.01)
        let market = SpeedMarket(
            settings: SpeedSettings(bidding: bidding, reserve: reserve, channelDeposit: .btt(5), verifyFraction: 1),
            chain: chain, seed: 5)
        let provider = SpeedStrategy(market: market, account: market.join(peer: 0, ledger: .zero, wallet: .zero))
        let requester = SpeedStrategy(
            market: market, account: market.join(peer: 1, ledger: ledger, wallet: wallet), budget: budget)
        let pair = ClientPair(aStrategy: provider, bStrategy: requester, layout: layout)
        let sent = Sent()
        pair.intercept = { fromA, message in
            if !fromA, case .extended(let id, let payload) = message, id == SpeedStrategy.messageID,
                let m = try? SpeedMessage(decoding: payload)
            {
                sent.messages.append(m)
            }
            return message
        }
        return Fixture(market: market, pair: pair, requester: requester, sent: sent)
    }

    // MARK: the bid

    /// A ceiling far above the rule's price, and one below it.
    @Test(arguments: [Price.bttPerGiB(1_000_000_000), .bttPerGiB(50)])
    func theFirstBidIsTheRulesPriceForTheBalanceAndTheBytesLeft(ceiling: Price) {
        // A reserve below both bids: a lone bidder pays the reserve, so it must not be zero
        // for anything to be paid.
        let f = Self.fixture(
            bidding: .auto(spendingRate: 0.5, ceiling: ceiling), reserve: .bttPerGiB(1), ledger: .btt(100))
        f.pair.connectAndRun()
        let rule = AutoBidder(spendingRate: 0.5, ceiling: nil)
        let uncapped = rule.price(balance: .btt(100), remainingBytes: ClientPair.layout.totalLength)
        let expected = AutoBidder(spendingRate: 0.5, ceiling: ceiling)
            .price(balance: .btt(100), remainingBytes: ClientPair.layout.totalLength)
        #expect(f.sent.bids.first == expected)
        #expect(f.sent.bids.first == min(uncapped, ceiling))
        #expect(expected > .zero)
        #expect(f.pair.b.isSeed)
        #expect(f.market.spent(by: 1) > .zero)
        #expect(f.market.isConserved)
    }

    @Test func aReBidGoesOutOnlyWhenThePriceMovedByMoreThanTheThreshold() {
        // 100 pieces and a large balance: each piece paid moves the rule's price by about
        // 1 %, so only every tenth piece or so may bring a new bid.
        let layout = PieceLayout(totalLength: 100 * 65_536, pieceLength: 65_536)
        let f = Self.fixture(
            bidding: .auto(spendingRate: 0.001, ceiling: .bttPerGiB(1_000_000)), reserve: .bttPerGiB(1),
            ledger: .btt(10_000), layout: layout)
        f.pair.connectAndRun()
        #expect(f.pair.b.isSeed)
        // Bids only ever rise or fall with the rule; none withdraws (funds never ran short).
        let bids = f.sent.bids
        #expect(!bids.contains(.zero))
        let changes = zip(bids, bids.dropFirst()).filter { $0.1 > .zero }.map { before, after in
            abs(Double(after.baseUnitsPerGiB - before.baseUnitsPerGiB)) / Double(before.baseUnitsPerGiB)
        }
        #expect(changes.count >= 5)
        // The first bid is the standing one, so even the first re-bid waits for a 10 % move.
        for moved in changes { #expect(moved > 0.10) }
        #expect(f.market.isConserved)
    }

    // MARK: the budget

    @Test func whatIsPromisedNeverExceedsTheBudget() {
        // The rule spends four times the budget on the file: at the reserve (the bid, so
        // the bid wins at that price) the whole file would cost 2 BTT against 0.5.
        let budget = TokenAmount.btt(0.5)
        let rule = AutoBidder(spendingRate: 4, ceiling: nil)
        let price = rule.price(balance: budget, remainingBytes: ClientPair.layout.totalLength)
        let f = Self.fixture(
            bidding: .auto(spendingRate: 4, ceiling: .bttPerGiB(1_000_000_000)), reserve: price, ledger: .btt(100),
            budget: budget)
        f.pair.connectAndRun()
        #expect(f.sent.bids.first == price)
        #expect(f.requester.promised <= budget)
        #expect(f.market.spent(by: 1) <= budget)
        #expect(f.market.balance(f.requester.account.ledger) >= .btt(100) - budget)
        // The budget was spent, not just respected by paying nothing.
        #expect(f.market.spent(by: 1) > .zero)
        #expect(f.market.isConserved)
        #expect(f.pair.b.isSeed, "past the budget the slot is free")
    }

    // MARK: wallet top-ups

    /// Runs the chain until the deposit B submitted during the run is credited, checking
    /// that it is not credited before its block plus the exchange delay.
    static func creditDeposit(_ f: Fixture) throws -> PaymentRecord {
        let chain = f.market.chain.settings
        #expect(!f.market.records.contains { $0.kind == .deposit })
        // Every transaction submitted during the run is included by the next block.
        f.market.advanceChain(to: f.pair.now + chain.blockTime)
        let fee = try #require(f.market.records.last { $0.kind == .fee && $0.payer == 1 })
        let due = fee.time + chain.confirmationDelay
        f.market.advanceChain(to: SimTime(nanoseconds: due.nanoseconds - 1))
        #expect(!f.market.records.contains { $0.kind == .deposit })
        f.market.advanceChain(to: due)
        return try #require(f.market.records.last { $0.kind == .deposit })
    }

    /// A 16 KiB block costs exactly 0.125 BTT at this price.
    static let blockPrice = Price.bttPerGiB(8192)

    @Test func aRequesterWhoseLedgerRunsDryDepositsItsWallet() throws {
        // 1 BTT on the ledger pays for 7 blocks of the file's 21: a channel must cover two
        // blocks, so the last 0.125 BTT cannot open one and the wallet is asked instead.
        let f = Self.fixture(
            bidding: .fixed(Self.blockPrice), reserve: Self.blockPrice, ledger: .btt(1), wallet: .btt(30))
        f.pair.connectAndRun()
        #expect(f.sent.messages.contains(.bid(.zero)), "the bid was withdrawn for lack of funds")
        #expect(f.market.spent(by: 1) == .btt(0.875))
        let ledgerBefore = f.market.balance(f.requester.account.ledger)
        let deposit = try Self.creditDeposit(f)
        #expect(deposit.payer == 1 && deposit.payee == 1)
        #expect(deposit.amount == .btt(30) - .btt(0.01))
        #expect(f.market.balance(f.requester.account.ledger) == ledgerBefore + deposit.amount)
        #expect(f.market.balance(f.requester.account.wallet) == .zero)
        #expect(f.market.isConserved)
    }

    @Test func aChannelRenewedWhileBlocksAreInFlightKeepsTheConnection() {
        // The same run as above. The 8th block, admitted under channel 1, arrives after the
        // requester renewed to channel 2 (0.125 BTT, the refund); it exhausts channel 2, which
        // the requester settles at once — before the provider has read its `open`.
        let f = Self.fixture(
            bidding: .fixed(Self.blockPrice), reserve: Self.blockPrice, ledger: .btt(1), wallet: .btt(30))
        f.pair.connectAndRun()
        // An `open` for a channel the requester has settled already is ignored.
        #expect(!f.pair.closed.contains { $0.reason == .violation(.malformedExtensionMessage) })
        #expect(f.pair.b.isSeed, "the withdrawn bid makes the slot free")
    }

    @Test func aRequesterThatCannotPayForOneBlockDoesNotStall() {
        // 0.1 BTT against 0.125 BTT a block: no channel can open (it would never admit a
        // block), so the requester withdraws its bid, asks its wallet, and downloads on a
        // free slot meanwhile.
        let f = Self.fixture(
            bidding: .fixed(Self.blockPrice), reserve: Self.blockPrice, ledger: .btt(0.1), wallet: .btt(30))
        f.pair.connectAndRun()
        let settings = ProtocolSettings()
        f.pair.fire(.rechoke, onA: true, at: settings.rechokeInterval)
        f.pair.fire(.optimisticUnchoke, onA: true, at: settings.optimisticInterval)
        #expect(!f.pair.closed.contains { $0.reason == .violation(.malformedExtensionMessage) })
        #expect(f.pair.b.bytesDownloaded > 0)
        #expect(!f.market.records.contains { $0.kind == .open })
        #expect(f.market.hasPendingDeposit(f.requester.account))
    }

    @Test func aRequesterWithAnEmptyLedgerButAFundedWalletDeposits() throws {
        let f = Self.fixture(
            bidding: .auto(spendingRate: 0.5, ceiling: .bttPerGiB(1_000_000)), ledger: .zero, wallet: .btt(30))
        f.pair.connectAndRun()
        #expect(f.pair.b.isSeed)
        // With nothing on the ledger the requester does not bid; it asks its wallet.
        let deposit = try Self.creditDeposit(f)
        #expect(deposit.amount == .btt(30) - .btt(0.01))
        #expect(f.market.balance(f.requester.account.ledger) > .zero)
        #expect(f.market.isConserved)
    }
}
