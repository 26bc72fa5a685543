/// A renter's redundancy choice (`redundancy:` in a scenario): BTFS's Reed–Solomon code or
/// plain copies. The simulator needs only the shard count and how many shards read the
/// file back; the code itself is there for tests and Live, on real bytes.
public enum Redundancy: Sendable, Equatable, CustomStringConvertible {
    case reedSolomon(data: Int, parity: Int)
    case replicas(Int)

    /// BTFS 1.x's default: 10 data shards and 20 parity shards.
    public static let btfsDefault = Redundancy.reedSolomon(data: 10, parity: 20)

    public var shardCount: Int {
        switch self {
        case .reedSolomon(let k, let m): k + m
        case .replicas(let n): n
        }
    }

    /// Shards enough to read the file.
    public var needed: Int {
        switch self {
        case .reedSolomon(let k, _): k
        case .replicas: 1
        }
    }

    /// Bytes stored per byte of file.
    public var overhead: Double { Double(shardCount) / Double(needed) }

    /// The erasure code that makes and reads these shards on real bytes.
    public var code: any ErasureCode {
        switch self {
        case .reedSolomon(let k, let m): ReedSolomonCode(data: k, parity: m)
        case .replicas(let n): Replication(copies: n)
        }
    }

    /// Each shard's size in bytes for a file of `bytes`.
    public func shardBytes(for bytes: Int64) -> Int64 { max(1, (bytes + Int64(needed) - 1) / Int64(needed)) }

    /// As in files.csv: `rs-10+20` or `replicas-3`.
    public var description: String {
        switch self {
        case .reedSolomon(let k, let m): "rs-\(k)+\(m)"
        case .replicas(let n): "replicas-\(n)"
        }
    }

    /// Reads `description` back (`rs-10+20`, `replicas-3`); nil for anything else.
    /// Shards per file: Reed–Solomon over GF(2⁸) has at most 255, and replicas share the cap.
    public static let maxShards = 255

    public init?(label: String) {
        // Each bound is checked alone before any sum: the numbers come from a command line
        // or a manifest file, and `k + m` of two huge ones would overflow.
        if label.hasPrefix("replicas-"), let n = Int(label.dropFirst(9)), n >= 1, n <= Self.maxShards {
            self = .replicas(n)
            return
        }
        let parts = label.dropFirst(3).split(separator: "+", omittingEmptySubsequences: false)
        guard label.hasPrefix("rs-"), parts.count == 2, let k = Int(parts[0]), let m = Int(parts[1]), k >= 1, m >= 0,
            k <= Self.maxShards, m <= Self.maxShards, k + m <= Self.maxShards
        else { return nil }
        self = .reedSolomon(data: k, parity: m)
    }
}
