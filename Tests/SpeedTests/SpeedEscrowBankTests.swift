import Incentives
import SimKernel
import Testing

@testable import Speed

/// Speed's market as the bank of BTFS contracts: a peer's storage escrow comes out of the
/// same ledger account its vouchers pay and earn from.
@Suite struct SpeedEscrowBankTests {
    static let fee = SpeedMarketTests.fee

    @Test func aContractLocksReleasesAndSettlesOnThePeersLedger() {
        let market = SpeedMarketTests.market()
        let peer = market.join(peer: 0, ledger: .btt(10), wallet: .zero)
        let host = market.openAccount(.storageHost(0), funds: .zero)
        let renter = market.openAccount(.storageRenter(1), funds: .btt(3))
        #expect(market.balance(renter) == .btt(3) && market.balance(market.world) == Genesis.supply - .btt(13))

        #expect(market.lock(.btt(4), from: peer.ledger))
        #expect(!market.lock(.btt(7), from: peer.ledger), "only 6 BTT left")
        #expect(market.balance(peer.ledger) == .btt(6) && market.balance(market.escrow) == .btt(4))
        market.release(.btt(3), to: host)
        market.release(.btt(1) - Self.fee, to: peer.ledger)
        market.settle(
            Settlement(channel: 1, payer: peer.ledger, payee: host, paid: .btt(3), refunded: .btt(1) - Self.fee),
            now: .seconds(10))
        market.advance(to: .minutes(1))
        #expect(market.balance(market.escrow) == .zero, "the prepaid fee went to the chain")
        #expect(market.balance(host) == .btt(3) && market.balance(peer.ledger) == .btt(7) - Self.fee)
        #expect(market.chain.settlementLog.count == 1)
        #expect(market.records.isEmpty, "storage contracts are not Speed payments")
        #expect(market.isConserved)
    }

    @Test func storageNeverTakesTheFeeOfAPendingSpeedSettlement() throws {
        // A provider's settlement fee is charged at the next block; storage may not spend it.
        let c = try SpeedMarketTests.openChannel()
        let market = c.market
        let voucher = try c.payer.signer.sign(channel: c.terms.id, cumulative: .btt(2))
        market.settle(c.terms, voucher: voucher, vouchers: 1, lastVoucherAt: .seconds(2), now: .seconds(2))
        #expect(market.balance(c.payee.ledger) == .btt(2))
        #expect(market.spendable(c.payee.ledger) == .btt(2) - Self.fee)
        #expect(!market.lock(.btt(2), from: c.payee.ledger))
        #expect(market.lock(.btt(2) - Self.fee, from: c.payee.ledger))
        #expect(market.spendable(c.payee.ledger) == .zero)
        market.advance(to: .hours(1))
        #expect(market.balance(c.payee.ledger) == .zero, "the fee was paid")
        #expect(market.records.filter { $0.kind == .fee }.map(\.payer) == [0])
        #expect(market.isConserved)
    }
}
