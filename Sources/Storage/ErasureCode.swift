/// How a file is cut into shards that survive losing some of them: BTFS's Reed–Solomon
/// code (10 data + 20 parity by default) or plain replication. One protocol so that the
/// renter, the repair logic and the tests treat both alike; the simulator uses only
/// `shardCount` and `needed` (its shards carry sizes, not bytes).
public protocol ErasureCode: Sendable {
    /// Shards written per file (n).
    var shardCount: Int { get }
    /// Shards enough to read the file back (k): any `needed` of the `shardCount`.
    var needed: Int { get }
    /// The shards of `data`, each `shardSize(for: data.count)` bytes.
    func encode(_ data: [UInt8]) -> [[UInt8]]
    /// The file from any `needed` shards, keyed by shard index; `length` is the file's size.
    func decode(_ shards: [Int: [UInt8]], length: Int) throws(ErasureCodeError) -> [UInt8]
    /// The shards at `missing` rebuilt from any `needed` others.
    func repair(_ shards: [Int: [UInt8]], missing: [Int]) throws(ErasureCodeError) -> [Int: [UInt8]]
}

extension ErasureCode {
    /// Bytes stored per byte of file.
    public var overhead: Double { Double(shardCount) / Double(needed) }

    /// Each shard's size: the file split in `needed` equal parts, the last one padded.
    public func shardSize(for length: Int) -> Int { max(1, (length + needed - 1) / needed) }
}

public enum ErasureCodeError: Error, Equatable, CustomStringConvertible {
    /// Fewer than `needed` shards survive: the file is lost.
    case tooFewShards(have: Int, need: Int)
    /// A shard index outside 0..<n, or shards of different sizes.
    case badShard(String)

    public var description: String {
        switch self {
        case .tooFewShards(let have, let need): "\(have) shards left, \(need) needed"
        case .badShard(let why): why
        }
    }
}
