import SimKernel
import Testing

@testable import Incentives

@Suite struct ChainTests {
    struct World {
        var ledger = TokenLedger()
        let fees: AccountID
        let exchange: AccountID
        let wallet: AccountID
        let inApp: AccountID
        var chain: Chain
        static var settings: ChainSettings {
            var s = ChainSettings()
            s.fee = .btt(1)
            return s
        }

        /// A fee of 1 BTT keeps the arithmetic below readable.
        init(settings: ChainSettings = World.settings) throws {
            fees = ledger.openAccount(.fees)
            exchange = ledger.openAccount(.exchange)
            wallet = ledger.openAccount(.wallet(peer: 0))
            inApp = ledger.openAccount(.ledger(peer: 0))
            try ledger.mint(.btt(100), to: wallet)
            ledger.seal()
            chain = Chain(settings: settings, feeSink: fees, exchange: exchange)
        }
    }

    @Test func transactionsAreIncludedInTheNextBlock() {
        let chain = Chain(settings: ChainSettings(), feeSink: AccountID(index: 0), exchange: AccountID(index: 1))
        #expect(chain.nextBlock(after: .zero) == .seconds(3))
        #expect(chain.nextBlock(after: .seconds(4.5)) == .seconds(6))
        #expect(chain.nextBlock(after: .seconds(6)) == .seconds(9))
    }

    @Test func aDepositIsIncludedThenCreditedAfterTheConfirmationDelay() throws {
        var w = try World()
        let id = try w.chain.submit(
            .deposit(wallet: w.wallet, ledger: w.inApp, amount: .btt(10)), feePayer: w.wallet, now: .seconds(1))
        #expect(w.chain.nextDeadline == .seconds(3))
        #expect(w.chain.advance(to: .seconds(2.9), ledger: &w.ledger).isEmpty)
        let included = w.chain.advance(to: .seconds(3), ledger: &w.ledger)
        #expect(included.count == 1)
        if case .included(id, _, let block, let fee, let at) = included[0] {
            #expect(block == 1 && fee == .btt(1) && at == .seconds(3))
        } else {
            Issue.record("expected inclusion, got \(included)")
        }
        #expect(w.ledger.balance(w.wallet) == .btt(89))
        #expect(w.ledger.balance(w.fees) == .btt(1))
        #expect(w.ledger.balance(w.inApp) == .zero)
        #expect(w.chain.nextDeadline == .seconds(63))
        let credited = w.chain.advance(to: .seconds(100), ledger: &w.ledger)
        #expect(
            credited == [.credited(id, .deposit(wallet: w.wallet, ledger: w.inApp, amount: .btt(10)), at: .seconds(63))]
        )
        #expect(w.ledger.balance(w.inApp) == .btt(10))
        #expect(w.ledger.isConserved)
    }

    @Test func aWithdrawalGoesBackToTheWallet() throws {
        var w = try World()
        _ = try w.chain.submit(
            .deposit(wallet: w.wallet, ledger: w.inApp, amount: .btt(10)), feePayer: w.wallet, now: .zero)
        _ = w.chain.advance(to: .seconds(63), ledger: &w.ledger)
        _ = try w.chain.submit(
            .withdrawal(ledger: w.inApp, wallet: w.wallet, amount: .btt(4)), feePayer: w.wallet, now: .seconds(70))
        _ = w.chain.advance(to: .seconds(200), ledger: &w.ledger)
        #expect(w.ledger.balance(w.inApp) == .btt(6))
        #expect(w.ledger.balance(w.wallet) == .btt(92))  // 100 − 10 − 2 fees + 4
    }

    @Test func amountsBelowTheMinimumAreRefused() throws {
        var w = try World()
        #expect(throws: ChainError.belowMinimum(.btt(0.5), minimum: .btt(1))) {
            _ = try w.chain.submit(
                .deposit(wallet: w.wallet, ledger: w.inApp, amount: .btt(0.5)), feePayer: w.wallet, now: .zero)
        }
    }

    @Test func aTransactionThatCannotPayItsFeeFails() throws {
        var settings = ChainSettings()
        settings.fee = .btt(1000)
        var w = try World(settings: settings)
        _ = try w.chain.submit(
            .deposit(wallet: w.wallet, ledger: w.inApp, amount: .btt(10)), feePayer: w.wallet, now: .zero)
        let events = w.chain.advance(to: .seconds(3), ledger: &w.ledger)
        guard case .failed(_, _, let reason, _) = events.first else {
            Issue.record("expected a failure, got \(events)")
            return
        }
        // The wallet pays both the fee and the amount: it needs 1010 BTT, and nothing moves.
        #expect(reason == .insufficientFunds(needed: .btt(1010), available: .btt(100)))
        #expect(w.ledger.balance(w.wallet) == .btt(100))
        #expect(w.chain.nextDeadline == nil)
    }

    @Test func settlementsAreLoggedWithTheirBlock() throws {
        var w = try World()
        let s = Settlement(channel: 7, payer: w.inApp, payee: w.inApp, paid: .btt(2), refunded: .btt(1))
        _ = try w.chain.submit(.settlement(s), feePayer: w.wallet, now: .seconds(10))
        _ = w.chain.advance(to: .seconds(12), ledger: &w.ledger)
        #expect(w.chain.settlementLog.count == 1)
        #expect(w.chain.settlementLog.first?.block == 4)
        #expect(w.chain.settlementLog.first?.settlement == s)
    }
}
