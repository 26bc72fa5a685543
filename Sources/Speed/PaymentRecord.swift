import Incentives
import SimKernel

/// One line of `payments.csv`: a movement of BTT, or a batch of vouchers.
public struct PaymentRecord: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// Escrow locked by the requester (payer) for a channel to the provider (payee).
        case open
        /// The vouchers of one channel, as a batch: `amount` is the last cumulative value,
        /// `vouchers` how many were signed; at the time of the last one.
        case voucher
        /// Escrow paid to the provider at settlement.
        case close
        /// Escrow returned to the requester at settlement.
        case refund
        /// Wallet → in-app ledger, at crediting.
        case deposit
        /// In-app ledger → wallet, at crediting.
        case withdraw
        /// A chain transaction fee, at inclusion.
        case fee
    }

    public var time: SimTime
    public var kind: Kind
    /// Peer indices; nil for the chain or escrow side of a movement.
    public var payer: Int?
    public var payee: Int?
    public var amount: TokenAmount
    public var channel: UInt64?
    public var vouchers: Int
}
