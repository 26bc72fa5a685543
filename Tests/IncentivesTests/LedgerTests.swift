import PropertyBased
import SimKernel
import Testing

@testable import Incentives

@Suite struct TokenAmountTests {
    @Test func printsSixDecimals() {
        #expect(TokenAmount.btt(1.5).description == "1.500000")
        #expect(TokenAmount(baseUnits: 7).description == "0.000007")
        #expect(TokenAmount(baseUnits: -1_000_001).description == "-1.000001")
        #expect(TokenAmount.btt(0.1).baseUnits == 100_000)
    }

    @Test func priceCostRoundsToTheNearestBaseUnitWithoutOverflow() {
        let p = Price.bttPerGiB(0.5)
        #expect(p.cost(bytes: Price.bytesPerGiB) == .btt(0.5))
        #expect(p.cost(bytes: 262_144) == TokenAmount(baseUnits: 122))  // 500,000 × 2^18 / 2^30 = 122.07
        let huge = Price(baseUnitsPerGiB: 1 << 50)
        #expect(huge.cost(bytes: 1 << 30) == TokenAmount(baseUnits: 1 << 50))
        #expect(Price.zero.cost(bytes: 1 << 40) == .zero)
    }
}

@Suite struct LedgerTests {
    func ledger() throws -> (TokenLedger, AccountID, AccountID) {
        var l = TokenLedger()
        let a = l.openAccount(.ledger(peer: 0))
        let b = l.openAccount(.wallet(peer: 0))
        try l.mint(.btt(10), to: a)
        l.seal()
        return (l, a, b)
    }

    @Test func transfersMoveExactAmounts() throws {
        var (l, a, b) = try ledger()
        try l.transfer(.btt(3.25), from: a, to: b)
        #expect(l.balance(a) == .btt(6.75))
        #expect(l.balance(b) == .btt(3.25))
        #expect(l.isConserved)
    }

    @Test func insufficientFundsFailWithoutAnyChange() throws {
        var (l, a, b) = try ledger()
        #expect(throws: LedgerError.insufficientFunds(needed: .btt(11), available: .btt(10))) {
            try l.transfer(.btt(11), from: a, to: b)
        }
        #expect(l.balance(a) == .btt(10) && l.balance(b) == .zero)
        #expect(throws: LedgerError.nonPositiveAmount(.zero)) { try l.transfer(.zero, from: a, to: b) }
    }

    @Test func noTokensAfterGenesis() throws {
        var (l, a, _) = try ledger()
        #expect(throws: LedgerError.supplyIsFixed) { try l.mint(.btt(1), to: a) }
        #expect(l.totalSupply == .btt(10))
    }

    /// Property: whatever sequence of transfers, channel openings, payments, closes,
    /// deposits and withdrawals happens — including failing ones — the supply is constant
    /// and no balance goes negative.
    @Test func tokensAreConservedUnderRandomOperations() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int(Int32.max)).array(of: 1...120)) { ops in
            var world = ConservationWorld()
            for op in ops { world.apply(op) }
            world.finish()
            #expect(world.ledger.isConserved)
            #expect(world.ledger.totalSupply == .btt(400))
        }
    }
}

/// Four peers with ledger accounts and wallets, a chain and channels, driven by numbers.
struct ConservationWorld {
    var ledger = TokenLedger()
    var ledgers: [AccountID] = []
    var wallets: [AccountID] = []
    let escrow: AccountID
    var chain: Chain
    var payers: [ChannelPayer] = []
    var payees: [ChannelPayee] = []
    var now = SimTime.zero
    let signer = VoucherSigner()

    init() {
        let fees = ledger.openAccount(.fees)
        let exchange = ledger.openAccount(.exchange)
        escrow = ledger.openAccount(.escrow)
        for p in 0..<4 {
            ledgers.append(ledger.openAccount(.ledger(peer: p)))
            wallets.append(ledger.openAccount(.wallet(peer: p)))
            try? ledger.mint(.btt(50), to: ledgers[p])
            try? ledger.mint(.btt(50), to: wallets[p])
        }
        ledger.seal()
        chain = Chain(settings: ChainSettings(), feeSink: fees, exchange: exchange)
    }

    mutating func apply(_ op: Int) {
        let a = op % 4
        let b = (op / 4) % 4
        let amount = TokenAmount(baseUnits: Int64((op / 16) % 30_000_000))
        now = now + .seconds(Double(op % 7))
        switch (op / 7) % 6 {
        case 0:
            try? ledger.transfer(amount, from: ledgers[a], to: ledgers[b])
        case 1:
            let terms = ChannelTerms(
                id: UInt64(payers.count), payer: ledgers[a], payee: ledgers[b], deposit: amount,
                payerKey: signer.publicKey)
            if (try? PaymentChannel.open(terms, escrow: escrow, ledger: &ledger)) != nil {
                payers.append(ChannelPayer(terms: terms, signer: signer))
                payees.append(ChannelPayee(terms: terms))
            }
        case 2 where !payers.isEmpty:
            let k = op % payers.count
            if let v = try? payers[k].pay(TokenAmount(baseUnits: Int64(op % 2_000_000) + 1)) {
                try? payees[k].accept(v, verifySignature: op % 3 == 0)
            }
        case 3 where !payees.isEmpty:
            let k = op % payees.count
            _ = try? PaymentChannel.close(payees.remove(at: k), escrow: escrow, ledger: &ledger)
            payers.remove(at: k)
        case 4:
            _ = try? chain.submit(
                .deposit(wallet: wallets[a], ledger: ledgers[a], amount: amount), feePayer: wallets[a], now: now)
        default:
            _ = try? chain.submit(
                .withdrawal(ledger: ledgers[a], wallet: wallets[a], amount: amount), feePayer: wallets[a], now: now)
        }
        _ = chain.advance(to: now, ledger: &ledger)
    }

    /// Closes every channel and lets the chain confirm everything.
    mutating func finish() {
        for p in payees { _ = try? PaymentChannel.close(p, escrow: escrow, ledger: &ledger) }
        payees.removeAll()
        payers.removeAll()
        _ = chain.advance(to: now + .hours(1), ledger: &ledger)
        #expect(ledger.balance(escrow) == .zero)
    }
}
