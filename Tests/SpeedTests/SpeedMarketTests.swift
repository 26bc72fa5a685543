import Crypto
import Foundation
import Incentives
import SimKernel
import Testing

@testable import Speed

/// The market bare, without any client: accounts, chain deposits and withdrawals,
/// channels and their settlement, and the payment log.
@Suite struct SpeedMarketTests {
    static let fee = TokenAmount.btt(0.01)

    static func market(seed: UInt64 = 5) -> SpeedMarket {
        var chain = ChainSettings()
        chain.fee = fee
        return SpeedMarket(settings: SpeedSettings(bidding: .fixed(.bttPerGiB(1))), chain: chain, seed: seed)
    }

    /// Every balance a test looks at, to compare before and after.
    struct Balances: Equatable {
        var ledgers: [TokenAmount]
        var wallets: [TokenAmount]
        var world: TokenAmount
        var escrow: TokenAmount

        init(_ market: SpeedMarket, _ accounts: [SpeedAccount]) {
            ledgers = accounts.map { market.balance($0.ledger) }
            wallets = accounts.map { market.balance($0.wallet) }
            world = market.balance(market.world)
            escrow = market.balance(market.escrow)
        }
    }

    static func record(
        _ time: SimTime, _ kind: PaymentRecord.Kind, payer: Int?, payee: Int?, _ amount: TokenAmount,
        channel: UInt64? = nil, vouchers: Int = 0
    ) -> PaymentRecord {
        PaymentRecord(
            time: time, kind: kind, payer: payer, payee: payee, amount: amount, channel: channel, vouchers: vouchers)
    }

    static func justBefore(_ t: SimTime) -> SimTime { SimTime(nanoseconds: t.nanoseconds - 1) }

    // MARK: accounts

    @Test func joiningTakesTheStartingBalancesFromTheWorld() {
        let market = Self.market()
        #expect(market.balance(market.world) == Genesis.supply)
        let rich = market.join(peer: 0, ledger: .btt(30), wallet: .btt(12))
        let poor = market.join(peer: 1, ledger: .zero, wallet: .zero)
        #expect(market.balance(rich.ledger) == .btt(30))
        #expect(market.balance(rich.wallet) == .btt(12))
        #expect(market.balance(poor.ledger) == .zero)
        #expect(market.balance(poor.wallet) == .zero)
        #expect(market.balance(market.world) == Genesis.supply - .btt(42))
        #expect(market.ledger.totalSupply == Genesis.supply)
        #expect(market.isConserved)
        #expect(market.records.isEmpty, "joining is not a payment")
    }

    @Test func signingKeysAreDeterministicPerSeedAndPeer() {
        let first = Self.market(seed: 5)
        let zero = first.join(peer: 0, ledger: .zero, wallet: .zero)
        let one = first.join(peer: 1, ledger: .zero, wallet: .zero)
        // Another market of the same seed, joined in another order.
        let again = Self.market(seed: 5)
        let oneAgain = again.join(peer: 1, ledger: .zero, wallet: .zero)
        let otherSeed = Self.market(seed: 6).join(peer: 1, ledger: .zero, wallet: .zero)
        let key = { (a: SpeedAccount) in a.signer.publicKey.rawRepresentation }
        #expect(key(one) == key(oneAgain))
        #expect(key(zero) != key(one))
        #expect(key(otherSeed) != key(one))
        // The same key, not just the same public half: a voucher from one verifies for the other.
        let voucher = try? oneAgain.signer.sign(channel: 1, cumulative: .btt(1))
        #expect(voucher?.isSigned(by: one.signer.publicKey) == true)
        #expect(voucher?.isSigned(by: zero.signer.publicKey) == false)
    }

    // MARK: chain

    @Test func aDepositIsCreditedOnlyAfterItsBlockAndTheExchangeDelay() {
        let market = Self.market()
        let peer = market.join(peer: 1, ledger: .zero, wallet: .btt(20))
        let submitted = SimTime.seconds(4)
        #expect(market.deposit(.btt(10), for: peer, now: submitted))
        let inclusion = market.chain.nextBlock(after: submitted)
        let credit = inclusion + market.chain.settings.confirmationDelay
        #expect(inclusion > submitted)
        #expect(market.nextChainDeadline == inclusion)

        market.advanceChain(to: Self.justBefore(inclusion))
        #expect(market.balance(peer.wallet) == .btt(20))
        #expect(market.records.isEmpty)

        market.advanceChain(to: inclusion)
        #expect(market.balance(peer.wallet) == .btt(20) - .btt(10) - Self.fee)
        #expect(market.balance(peer.ledger) == .zero, "not credited at inclusion")
        #expect(market.records == [Self.record(inclusion, .fee, payer: 1, payee: nil, Self.fee)])
        #expect(market.nextChainDeadline == credit)
        #expect(market.isConserved)

        market.advanceChain(to: Self.justBefore(credit))
        #expect(market.balance(peer.ledger) == .zero)
        #expect(!market.records.contains { $0.kind == .deposit })

        market.advanceChain(to: credit)
        #expect(market.balance(peer.ledger) == .btt(10))
        #expect(market.records.last == Self.record(credit, .deposit, payer: 1, payee: 1, .btt(10)))
        #expect(market.records.count == 2)
        #expect(market.nextChainDeadline == nil)
        #expect(market.isConserved)
    }

    @Test func aWithdrawalBelowTheMinimumIsRefused() {
        let market = Self.market()
        let peer = market.join(peer: 1, ledger: .btt(5), wallet: .btt(5))
        let before = Balances(market, [peer])
        let minimum = market.chain.settings.minimumWithdrawal
        #expect(!market.withdraw(minimum - TokenAmount(baseUnits: 1), for: peer, now: .zero))
        #expect(
            !market.deposit(market.chain.settings.minimumDeposit - TokenAmount(baseUnits: 1), for: peer, now: .zero))
        #expect(market.nextChainDeadline == nil)
        market.advanceChain(to: .hours(1))
        #expect(Balances(market, [peer]) == before)
        #expect(market.records.isEmpty)

        // Exactly the minimum goes through: fee at inclusion, the amount once credited.
        #expect(market.withdraw(minimum, for: peer, now: .hours(1)))
        market.advanceChain(to: .hours(2))
        #expect(market.balance(peer.ledger) == .btt(5) - minimum - Self.fee)
        #expect(market.balance(peer.wallet) == .btt(5) + minimum)
        #expect(market.records.map(\.kind) == [.fee, .withdraw])
        #expect(market.isConserved)
    }

    @Test func thePaymentLogHoldsEveryFeeTheChainCollected() throws {
        // What a departing provider does (Simulation.withdrawEarnings): settle, then withdraw
        // the ledger balance less one fee — while the settlement's own fee is still pending.
        let c = try Self.openChannel()
        let market = c.market
        let voucher = try c.payer.signer.sign(channel: c.terms.id, cumulative: .btt(2))
        market.settle(c.terms, voucher: voucher, vouchers: 1, lastVoucherAt: .seconds(2), now: .seconds(2))
        #expect(market.withdraw(market.balance(c.payee.ledger) - Self.fee, for: c.payee, now: .seconds(2)))
        market.advanceChain(to: .hours(1))
        let sink = try #require(market.ledger.kinds.firstIndex(of: .fees))
        let logged = market.records.filter { $0.kind == .fee }.reduce(TokenAmount.zero) { $0 + $1.amount }
        #expect(market.isConserved)
        // The withdrawal fails at inclusion (the settlement's fee came first); a failed
        // transaction takes no fee, so the log and the fee account agree.
        #expect(logged == market.balance(AccountID(index: sink)))
    }

    // MARK: channels

    @Test func openingAChannelWithoutTheFundsThrowsAndMovesNothing() throws {
        let market = Self.market()
        let payee = market.join(peer: 0, ledger: .zero, wallet: .zero)
        let payer = market.join(peer: 1, ledger: .btt(2), wallet: .btt(50))
        let before = Balances(market, [payee, payer])
        #expect(throws: LedgerError.insufficientFunds(needed: .btt(5), available: .btt(2))) {
            try market.openChannel(from: payer, to: payee.ledger, deposit: .btt(5), now: .zero)
        }
        #expect(Balances(market, [payee, payer]) == before, "the wallet is not touched either")
        #expect(market.records.isEmpty)
        #expect(market.terms(of: 1) == nil)
        #expect(market.isConserved)
        // The failed open used up no channel id.
        let terms = try market.openChannel(from: payer, to: payee.ledger, deposit: .btt(2), now: .zero)
        #expect(terms.id == 1)
        #expect(market.balance(market.escrow) == .btt(2))
    }

    struct Channel {
        let market: SpeedMarket
        let payee: SpeedAccount
        let payer: SpeedAccount
        let terms: ChannelTerms
    }

    /// Peer 1 pays peer 0 through a 5 BTT channel, from a 10 BTT ledger balance.
    static func openChannel() throws -> Channel {
        let market = market()
        let payee = market.join(peer: 0, ledger: .zero, wallet: .zero)
        let payer = market.join(peer: 1, ledger: .btt(10), wallet: .zero)
        let terms = try market.openChannel(from: payer, to: payee.ledger, deposit: .btt(5), now: .seconds(1))
        return Channel(market: market, payee: payee, payer: payer, terms: terms)
    }

    @Test func settlingPaysTheVoucherAndRefundsTheRestOnce() throws {
        let c = try Self.openChannel()
        let market = c.market
        #expect(market.balance(c.payer.ledger) == .btt(5))
        #expect(market.balance(market.escrow) == .btt(5))
        #expect(market.terms(of: c.terms.id) != nil)
        var payer = ChannelPayer(terms: c.terms, signer: c.payer.signer)
        _ = try payer.pay(.btt(1.5))
        let last = try payer.pay(.btt(0.5))

        market.settle(c.terms, voucher: last, vouchers: 2, lastVoucherAt: .seconds(5), now: .seconds(7))
        #expect(market.balance(c.payee.ledger) == .btt(2))
        #expect(market.balance(c.payer.ledger) == .btt(8))
        #expect(market.balance(market.escrow) == .zero)
        let id = c.terms.id
        #expect(
            market.records == [
                Self.record(.seconds(1), .open, payer: 1, payee: 0, .btt(5), channel: id),
                Self.record(.seconds(5), .voucher, payer: 1, payee: 0, .btt(2), channel: id, vouchers: 2),
                Self.record(.seconds(7), .close, payer: 1, payee: 0, .btt(2), channel: id),
                Self.record(.seconds(7), .refund, payer: 1, payee: 1, .btt(3), channel: id),
            ])
        #expect(market.spent(by: 1) == .btt(2))
        #expect(market.earned(by: 0) == .btt(2))
        #expect(market.accrued(by: 0) == .btt(2), "a voucher first seen at settlement still counts as earned")
        #expect(market.transferred == .btt(2))
        #expect(market.volume == .btt(2))
        #expect(market.terms(of: id) == nil)
        #expect(market.isConserved)

        // The other side closing too (with a better voucher, even) changes nothing.
        let before = Balances(market, [c.payee, c.payer])
        let records = market.records
        let better = try c.payer.signer.sign(channel: id, cumulative: .btt(5))
        market.settle(c.terms, voucher: better, vouchers: 3, lastVoucherAt: .seconds(8), now: .seconds(8))
        #expect(Balances(market, [c.payee, c.payer]) == before)
        #expect(market.records == records)
        #expect(market.spent(by: 1) == .btt(2))
        #expect(market.earned(by: 0) == .btt(2))
        #expect(market.transferred == .btt(2))

        // One settlement on chain, its fee from the provider's ledger account.
        market.advanceChain(to: .minutes(5))
        #expect(market.chain.settlementLog.count == 1)
        #expect(market.records.last == Self.record(.seconds(9), .fee, payer: 0, payee: nil, Self.fee))
        #expect(market.balance(c.payee.ledger) == .btt(2) - Self.fee)
        #expect(market.isConserved)
    }

    enum Forgery: CaseIterable {
        case flippedSignatureByte
        case signedByAnotherKey
    }

    @Test(arguments: Forgery.allCases)
    func aForgedVoucherPaysNothingAndRefundsTheWholeDeposit(_ forgery: Forgery) throws {
        let c = try Self.openChannel()
        let market = c.market
        var voucher: Voucher
        switch forgery {
        case .flippedSignatureByte:
            voucher = try c.payer.signer.sign(channel: c.terms.id, cumulative: .btt(4))
            voucher.signature[7] ^= 0x20
        case .signedByAnotherKey:
            voucher = try c.payee.signer.sign(channel: c.terms.id, cumulative: .btt(4))
        }
        market.settle(c.terms, voucher: voucher, vouchers: 1, lastVoucherAt: .seconds(5), now: .seconds(7))
        #expect(market.balance(c.payee.ledger) == .zero)
        #expect(market.balance(c.payer.ledger) == .btt(10))
        #expect(market.balance(market.escrow) == .zero)
        #expect(!market.records.contains { $0.kind == .close })
        #expect(market.records.contains(Self.record(.seconds(7), .refund, payer: 1, payee: 1, .btt(5), channel: 1)))
        #expect(market.spent(by: 1) == .zero)
        #expect(market.earned(by: 0) == .zero)
        #expect(market.transferred == .zero)
        #expect(market.terms(of: c.terms.id) == nil)
        #expect(market.isConserved)
    }

    @Test func aGenuineVoucherBeyondTheDepositPaysNothing() throws {
        let c = try Self.openChannel()
        let voucher = try c.payer.signer.sign(channel: c.terms.id, cumulative: .btt(6))
        c.market.settle(c.terms, voucher: voucher, vouchers: 1, lastVoucherAt: .seconds(5), now: .seconds(7))
        #expect(c.market.balance(c.payee.ledger) == .zero)
        #expect(c.market.balance(c.payer.ledger) == .btt(10))
        #expect(c.market.isConserved)
    }
}
