import Incentives
import SimKernel

/// A storage contract for one shard: the renter prepays every period (and the fee of the
/// settlement that ends the contract) into escrow; at the end of each period the host is
/// paid if it passed at least one challenge in that period and failed none, and the renter
/// is refunded if not.
public struct StorageContract: Sendable {
    public let id: Int
    public let file: Int
    public let shard: Int
    public let host: Int
    public let renter: Int
    public let start: SimTime
    public let periods: Int
    /// Paid to the host for each good period.
    public let perPeriod: TokenAmount
    public internal(set) var periodsReleased = 0
    public internal(set) var periodsPaid = 0
    /// Released so far to the host, and back to the renter.
    public internal(set) var paid = TokenAmount.zero
    public internal(set) var refunded = TokenAmount.zero
    var passedThisPeriod = 0
    var failedThisPeriod = 0
    public internal(set) var ended: SimTime?
}
