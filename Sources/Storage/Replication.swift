/// k-way replication: every shard is the whole file, any one reads it back. The
/// alternative BTFS renters are compared with: at the same overhead (3 copies ≈ 10+20 Reed–
/// Solomon's 3×), a file survives only while one whole copy does.
public struct Replication: ErasureCode {
    public let copies: Int

    public init(copies: Int) {
        precondition(copies >= 1, "at least one copy")
        self.copies = copies
    }

    public var shardCount: Int { copies }
    public var needed: Int { 1 }

    public func encode(_ data: [UInt8]) -> [[UInt8]] { Array(repeating: data, count: copies) }

    public func decode(_ shards: [Int: [UInt8]], length: Int) throws(ErasureCodeError) -> [UInt8] {
        guard let copy = try survivor(shards) else { throw .tooFewShards(have: 0, need: 1) }
        return Array(copy.prefix(length))
    }

    public func repair(_ shards: [Int: [UInt8]], missing: [Int]) throws(ErasureCodeError) -> [Int: [UInt8]] {
        guard let copy = try survivor(shards) else { throw .tooFewShards(have: 0, need: 1) }
        guard missing.allSatisfy({ (0..<copies).contains($0) }) else {
            throw .badShard("copy index out of 0..<\(copies)")
        }
        return Dictionary(uniqueKeysWithValues: missing.map { ($0, copy) })
    }

    private func survivor(_ shards: [Int: [UInt8]]) throws(ErasureCodeError) -> [UInt8]? {
        guard shards.keys.allSatisfy({ (0..<copies).contains($0) }) else {
            throw .badShard("copy index out of 0..<\(copies)")
        }
        return shards.keys.min().flatMap { shards[$0] }
    }
}
