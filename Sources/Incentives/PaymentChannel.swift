import Crypto
import Foundation

/// What both sides of a channel agree on when it opens.
public struct ChannelTerms: Sendable, Codable {
    public var id: UInt64
    /// In-app ledger accounts of the requester (payer) and provider (payee).
    public var payer: AccountID
    public var payee: AccountID
    public var deposit: TokenAmount
    public var payerKey: Curve25519.Signing.PublicKey

    public init(
        id: UInt64, payer: AccountID, payee: AccountID, deposit: TokenAmount, payerKey: Curve25519.Signing.PublicKey
    ) {
        self.id = id
        self.payer = payer
        self.payee = payee
        self.deposit = deposit
        self.payerKey = payerKey
    }

    private enum CodingKeys: String, CodingKey { case id, payer, payee, deposit, payerKey }

    /// The key as its 32 raw bytes (a shared ledger file stores open channels' terms).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            id: c.decode(UInt64.self, forKey: .id), payer: c.decode(AccountID.self, forKey: .payer),
            payee: c.decode(AccountID.self, forKey: .payee), deposit: c.decode(TokenAmount.self, forKey: .deposit),
            payerKey: Curve25519.Signing.PublicKey(rawRepresentation: c.decode(Data.self, forKey: .payerKey)))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(payer, forKey: .payer)
        try c.encode(payee, forKey: .payee)
        try c.encode(deposit, forKey: .deposit)
        try c.encode(payerKey.rawRepresentation, forKey: .payerKey)
    }
}

/// A closed channel: what the provider was paid and what went back to the requester.
public struct Settlement: Sendable, Equatable, Codable {
    public var channel: UInt64
    public var payer: AccountID
    public var payee: AccountID
    public var paid: TokenAmount
    public var refunded: TokenAmount

    public init(channel: UInt64, payer: AccountID, payee: AccountID, paid: TokenAmount, refunded: TokenAmount) {
        self.channel = channel
        self.payer = payer
        self.payee = payee
        self.paid = paid
        self.refunded = refunded
    }
}

/// The requester's side: signs a voucher for the cumulative amount with each payment,
/// never beyond the deposit.
public struct ChannelPayer: Sendable {
    public let terms: ChannelTerms
    private let signer: VoucherSigner
    public private(set) var paid = TokenAmount.zero
    /// The last voucher signed and how many were: the requester can close with it.
    public private(set) var lastVoucher: Voucher?
    public private(set) var vouchers = 0

    public init(terms: ChannelTerms, signer: VoucherSigner) {
        self.terms = terms
        self.signer = signer
    }

    public var remaining: TokenAmount { terms.deposit - paid }

    /// A voucher for everything paid so far plus `amount`; fails when the escrow cannot
    /// cover it (the requester then opens a new channel).
    public mutating func pay(_ amount: TokenAmount) throws(ChannelError) -> Voucher {
        guard amount > .zero else { throw .nonPositiveAmount }
        guard paid + amount <= terms.deposit else { throw .escrowExhausted }
        do {
            let voucher = try signer.sign(channel: terms.id, cumulative: paid + amount)
            paid += amount
            lastVoucher = voucher
            vouchers += 1
            return voucher
        } catch {
            throw .signingFailed
        }
    }
}

/// The provider's side: keeps the best voucher, checking each (or a sample, in the
/// simulator) for channel, growth, cover and signature.
public struct ChannelPayee: Sendable {
    public let terms: ChannelTerms
    public private(set) var lastVoucher: Voucher?

    public init(terms: ChannelTerms) { self.terms = terms }

    /// What the requester has promised so far.
    public var owed: TokenAmount { lastVoucher?.cumulative ?? .zero }

    /// True when a further `price` is still covered by the escrow: a provider never
    /// serves a paid block the deposit could not pay for.
    public func covers(_ price: TokenAmount) -> Bool { owed + price <= terms.deposit }

    /// Accepts a newer voucher. The signature is checked when `verifySignature` is set
    /// (always in Live; a sampled fraction in the simulator, and always at close).
    public mutating func accept(_ voucher: Voucher, verifySignature: Bool) throws(ChannelError) {
        guard voucher.channel == terms.id else { throw .wrongChannel }
        guard voucher.cumulative > owed else { throw .notIncreasing }
        guard voucher.cumulative <= terms.deposit else { throw .exceedsDeposit }
        if verifySignature { guard voucher.isSigned(by: terms.payerKey) else { throw .badSignature } }
        lastVoucher = voucher
    }
}

/// Moving a channel's tokens on the in-app ledger.
public enum PaymentChannel {
    /// Locks the deposit in escrow.
    public static func open(_ terms: ChannelTerms, escrow: AccountID, ledger: inout TokenLedger) throws(LedgerError) {
        try ledger.transfer(terms.deposit, from: terms.payer, to: escrow)
    }

    /// Pays the provider what the last voucher says and refunds the rest. The final
    /// voucher's signature is always checked: a forged one settles nothing.
    public static func close(_ payee: ChannelPayee, escrow: AccountID, ledger: inout TokenLedger)
        throws(ChannelError) -> Settlement
    {
        let terms = payee.terms
        if let last = payee.lastVoucher, !last.isSigned(by: terms.payerKey) { throw .badSignature }
        let paid = payee.owed
        let refund = terms.deposit - paid
        do {
            if paid > .zero { try ledger.transfer(paid, from: escrow, to: terms.payee) }
            if refund > .zero { try ledger.transfer(refund, from: escrow, to: terms.payer) }
        } catch {
            preconditionFailure("escrow short of an open channel's deposit: \(error)")
        }
        return Settlement(channel: terms.id, payer: terms.payer, payee: terms.payee, paid: paid, refunded: refund)
    }
}

public enum ChannelError: Error, Sendable, Equatable, CustomStringConvertible {
    case wrongChannel
    case notIncreasing
    case exceedsDeposit
    case badSignature
    case escrowExhausted
    case nonPositiveAmount
    case signingFailed

    public var description: String {
        switch self {
        case .wrongChannel: "voucher names another channel"
        case .notIncreasing: "voucher does not increase the amount (replayed or decreasing)"
        case .exceedsDeposit: "voucher exceeds the channel's deposit"
        case .badSignature: "voucher signature does not verify"
        case .escrowExhausted: "the channel's escrow cannot cover this payment"
        case .nonPositiveAmount: "payment must be positive"
        case .signingFailed: "signing failed"
        }
    }
}
