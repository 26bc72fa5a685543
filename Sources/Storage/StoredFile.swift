import Incentives
import SimKernel

/// One stored file: its shards and where they are.
public struct StoredFile: Sendable {
    /// The largest file a renter stores, 1 PiB: a size drawn beyond it (a distribution's
    /// far tail) is cut there, so sizes, shards and prices stay far from overflow.
    public static let largestBytes: Int64 = 1 << 50

    public let id: Int
    public let renter: Int
    public let bytes: Int64
    public let redundancy: Redundancy
    public let uploaded: SimTime
    /// Each shard's host while it holds the shard under a running contract; nil when lost.
    public internal(set) var holders: [Int?]
    /// Each shard's running contract.
    var contracts: [Int?]
    /// Shards on hosts that are online now.
    var onlineShards = 0
    public internal(set) var lostAt: SimTime?
    /// Paid to hosts plus fees, for this file's contracts.
    public internal(set) var cost = TokenAmount.zero
    /// Every host that ever held one of its shards.
    public internal(set) var hostsUsed: Set<Int> = []
    var repairPending = false

    public var presentShards: Int { holders.lazy.filter { $0 != nil }.count }
    public var shardBytes: Int64 { redundancy.shardBytes(for: bytes) }
    public var readable: Bool { lostAt == nil && onlineShards >= redundancy.needed }
}
