import CISAL

/// A systematic Reed–Solomon code over GF(2⁸) through Intel ISA-L: shards 0..<data are
/// the file itself, the rest parity, and any `data` shards give the file back. The
/// encoding matrix is ISA-L's Cauchy matrix, every square submatrix of which is
/// invertible, so decoding never meets a singular choice of survivors (a Vandermonde
/// `gf_gen_rs_matrix` does, for some n and k).
public struct ReedSolomonCode: ErasureCode {
    public let data: Int
    public let parity: Int
    /// (data + parity) × data, row-major: identity on top, Cauchy rows below.
    private let matrix: [UInt8]

    /// `data` ≥ 1, `parity` ≥ 0 and at most 255 shards in all (GF(2⁸)).
    public init(data: Int, parity: Int) {
        precondition(data >= 1 && parity >= 0 && data + parity <= 255, "Reed–Solomon needs 1 ≤ k, k + m ≤ 255")
        self.data = data
        self.parity = parity
        var m = [UInt8](repeating: 0, count: (data + parity) * data)
        m.withUnsafeMutableBufferPointer { gf_gen_cauchy1_matrix($0.baseAddress, Int32(data + parity), Int32(data)) }
        matrix = m
    }

    public var shardCount: Int { data + parity }
    public var needed: Int { data }

    public func encode(_ bytes: [UInt8]) -> [[UInt8]] {
        let size = shardSize(for: bytes.count)
        var shards = (0..<data).map { i -> [UInt8] in
            let start = min(i * size, bytes.count)
            let part = bytes[start..<min(start + size, bytes.count)]
            return Array(part) + [UInt8](repeating: 0, count: size - part.count)
        }
        shards += Self.multiply(rows: Array(matrix[(data * data)...]), count: parity, by: shards, size: size)
        return shards
    }

    public func decode(_ shards: [Int: [UInt8]], length: Int) throws(ErasureCodeError) -> [UInt8] {
        let dataShards = try dataShards(from: shards)
        return Array(dataShards.joined().prefix(length))
    }

    public func repair(_ shards: [Int: [UInt8]], missing: [Int]) throws(ErasureCodeError) -> [Int: [UInt8]] {
        guard missing.allSatisfy({ (0..<shardCount).contains($0) }) else {
            throw .badShard("shard index out of 0..<\(shardCount)")
        }
        let dataShards = try dataShards(from: shards)
        let size = dataShards[0].count
        var rebuilt: [Int: [UInt8]] = [:]
        for i in missing {
            rebuilt[i] = i < data ? dataShards[i] : Self.multiply(rows: row(i), count: 1, by: dataShards, size: size)[0]
        }
        return rebuilt
    }

    private func row(_ i: Int) -> [UInt8] { Array(matrix[(i * data)..<((i + 1) * data)]) }

    /// The `data` data shards from any `data` survivors: invert the survivors' rows of the
    /// encoding matrix and multiply.
    private func dataShards(from shards: [Int: [UInt8]]) throws(ErasureCodeError) -> [[UInt8]] {
        let survivors = shards.keys.sorted()
        guard survivors.allSatisfy({ (0..<shardCount).contains($0) }) else {
            throw .badShard("shard index out of 0..<\(shardCount)")
        }
        guard survivors.count >= data else { throw .tooFewShards(have: survivors.count, need: data) }
        let chosen = Array(survivors.prefix(data))
        let sources = chosen.map { shards[$0]! }
        let size = sources[0].count
        guard sources.allSatisfy({ $0.count == size }) else { throw .badShard("shards of different sizes") }
        if chosen == Array(0..<data) { return sources }
        var sub = chosen.flatMap { row($0) }
        var inverse = [UInt8](repeating: 0, count: data * data)
        let status = sub.withUnsafeMutableBufferPointer { s in
            inverse.withUnsafeMutableBufferPointer { gf_invert_matrix(s.baseAddress, $0.baseAddress, Int32(data)) }
        }
        precondition(status == 0, "a Cauchy submatrix is never singular")
        return Self.multiply(rows: inverse, count: data, by: sources, size: size)
    }

    /// `count` output shards, output r = Σ_j rows[r·k + j] · sources[j] over GF(2⁸).
    private static func multiply(rows: [UInt8], count: Int, by sources: [[UInt8]], size: Int) -> [[UInt8]] {
        guard count > 0 else { return [] }
        let k = sources.count
        var rows = rows
        var tables = [UInt8](repeating: 0, count: 32 * k * count)
        rows.withUnsafeMutableBufferPointer { r in
            tables.withUnsafeMutableBufferPointer {
                ec_init_tables(Int32(k), Int32(count), r.baseAddress, $0.baseAddress)
            }
        }
        var input = [UInt8]()
        input.reserveCapacity(k * size)
        for source in sources { input += source }
        var output = [UInt8](repeating: 0, count: count * size)
        let pointers = UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>.allocate(capacity: k + count)
        defer { pointers.deallocate() }
        input.withUnsafeMutableBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                for j in 0..<k { pointers[j] = src.baseAddress! + j * size }
                for r in 0..<count { pointers[k + r] = dst.baseAddress! + r * size }
                tables.withUnsafeMutableBufferPointer {
                    ec_encode_data(Int32(size), Int32(k), Int32(count), $0.baseAddress, pointers, pointers + k)
                }
            }
        }
        return (0..<count).map { Array(output[($0 * size)..<(($0 + 1) * size)]) }
    }
}
