import Crypto
import Foundation
import Testing

@testable import Incentives

@Suite struct PaymentChannelTests {
    struct World {
        var ledger = TokenLedger()
        let escrow: AccountID
        let requester: AccountID
        let provider: AccountID
        let signer = VoucherSigner()

        init() throws {
            escrow = ledger.openAccount(.escrow)
            requester = ledger.openAccount(.ledger(peer: 0))
            provider = ledger.openAccount(.ledger(peer: 1))
            try ledger.mint(.btt(20), to: requester)
            ledger.seal()
        }

        func terms(id: UInt64 = 1, deposit: TokenAmount = .btt(5)) -> ChannelTerms {
            ChannelTerms(id: id, payer: requester, payee: provider, deposit: deposit, payerKey: signer.publicKey)
        }
    }

    @Test func openPayCloseRefund() throws {
        var w = try World()
        let terms = w.terms()
        try PaymentChannel.open(terms, escrow: w.escrow, ledger: &w.ledger)
        #expect(w.ledger.balance(w.requester) == .btt(15))
        var payer = ChannelPayer(terms: terms, signer: w.signer)
        var payee = ChannelPayee(terms: terms)
        for _ in 0..<3 { try payee.accept(try payer.pay(.btt(1)), verifySignature: true) }
        #expect(payee.owed == .btt(3))
        let settlement = try PaymentChannel.close(payee, escrow: w.escrow, ledger: &w.ledger)
        #expect(settlement.paid == .btt(3) && settlement.refunded == .btt(2))
        #expect(w.ledger.balance(w.provider) == .btt(3))
        #expect(w.ledger.balance(w.requester) == .btt(17))
        #expect(w.ledger.balance(w.escrow) == .zero)
        #expect(w.ledger.isConserved)
    }

    @Test func theRequesterCannotPayBeyondTheEscrow() throws {
        let w = try World()
        var payer = ChannelPayer(terms: w.terms(deposit: .btt(2)), signer: w.signer)
        _ = try payer.pay(.btt(1.5))
        #expect(throws: ChannelError.escrowExhausted) { _ = try payer.pay(.btt(1)) }
        #expect(payer.remaining == .btt(0.5))
    }

    @Test func theProviderKnowsWhenTheEscrowNoLongerCoversABlock() throws {
        let w = try World()
        var payer = ChannelPayer(terms: w.terms(deposit: .btt(2)), signer: w.signer)
        var payee = ChannelPayee(terms: w.terms(deposit: .btt(2)))
        #expect(payee.covers(.btt(2)))
        try payee.accept(try payer.pay(.btt(1.5)), verifySignature: true)
        #expect(payee.covers(.btt(0.5)))
        #expect(!payee.covers(.btt(0.6)))
    }

    @Test func aReplayedVoucherIsRejected() throws {
        let w = try World()
        var payer = ChannelPayer(terms: w.terms(), signer: w.signer)
        var payee = ChannelPayee(terms: w.terms())
        let first = try payer.pay(.btt(1))
        try payee.accept(first, verifySignature: true)
        #expect(throws: ChannelError.notIncreasing) { try payee.accept(first, verifySignature: true) }
    }

    @Test func aDecreasingVoucherIsRejectedEvenWithAGoodSignature() throws {
        let w = try World()
        var payee = ChannelPayee(terms: w.terms())
        try payee.accept(try w.signer.sign(channel: 1, cumulative: .btt(3)), verifySignature: true)
        #expect(throws: ChannelError.notIncreasing) {
            try payee.accept(try w.signer.sign(channel: 1, cumulative: .btt(2)), verifySignature: true)
        }
        #expect(payee.owed == .btt(3))
    }

    @Test func aVoucherForAnotherChannelOrBeyondTheDepositIsRejected() throws {
        let w = try World()
        var payee = ChannelPayee(terms: w.terms())
        #expect(throws: ChannelError.wrongChannel) {
            try payee.accept(try w.signer.sign(channel: 2, cumulative: .btt(1)), verifySignature: true)
        }
        #expect(throws: ChannelError.exceedsDeposit) {
            try payee.accept(try w.signer.sign(channel: 1, cumulative: .btt(6)), verifySignature: true)
        }
    }

    /// Signatures are real: one flipped byte of the signature, or a voucher signed by
    /// someone else, is rejected.
    @Test func aForgedVoucherIsRejected() throws {
        let w = try World()
        var payee = ChannelPayee(terms: w.terms())
        var voucher = try w.signer.sign(channel: 1, cumulative: .btt(1))
        voucher.signature[10] ^= 0x01
        #expect(throws: ChannelError.badSignature) { try payee.accept(voucher, verifySignature: true) }
        let stranger = VoucherSigner()
        #expect(throws: ChannelError.badSignature) {
            try payee.accept(try stranger.sign(channel: 1, cumulative: .btt(1)), verifySignature: true)
        }
        // A voucher whose amount was raised after signing does not verify either.
        var raised = try w.signer.sign(channel: 1, cumulative: .btt(1))
        raised.cumulative = .btt(4)
        #expect(!raised.isSigned(by: w.signer.publicKey))
    }

    /// The simulator checks only a sample of signatures; a forged voucher that slipped
    /// through unchecked is still caught at close, and settles nothing.
    @Test func closingAlwaysVerifiesTheLastVoucher() throws {
        var w = try World()
        let terms = w.terms()
        try PaymentChannel.open(terms, escrow: w.escrow, ledger: &w.ledger)
        var payee = ChannelPayee(terms: terms)
        var forged = try VoucherSigner().sign(channel: 1, cumulative: .btt(4))
        forged.signature[0] ^= 0xFF
        try payee.accept(forged, verifySignature: false)
        #expect(throws: ChannelError.badSignature) {
            _ = try PaymentChannel.close(payee, escrow: w.escrow, ledger: &w.ledger)
        }
        #expect(w.ledger.balance(w.provider) == .zero)
    }

    @Test func seededSignersAreReproducible() throws {
        let seed = [UInt8](repeating: 9, count: 32)
        let a = try VoucherSigner(seed: seed)
        let b = try VoucherSigner(seed: seed)
        #expect(a.publicKey.rawRepresentation == b.publicKey.rawRepresentation)
        #expect(try b.sign(channel: 3, cumulative: .btt(1)).isSigned(by: a.publicKey))
    }
}
