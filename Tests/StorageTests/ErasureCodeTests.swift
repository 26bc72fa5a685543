import ClientHarness
import Testing

@testable import Storage

/// Reed–Solomon through ISA-L and replication, on real bytes.
@Suite struct ErasureCodeTests {
    static func randomBytes(_ count: Int, _ rng: inout some RandomNumberGenerator) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    /// Every subset of 0..<n with exactly `size` elements.
    static func subsets(of n: Int, size: Int) -> [[Int]] {
        guard size > 0 else { return [[]] }
        guard size <= n else { return [] }
        return subsets(of: n - 1, size: size - 1).map { $0 + [n - 1] } + subsets(of: n - 1, size: size)
    }

    @Test(arguments: [(1, 2), (3, 2), (4, 3), (5, 4), (6, 2)])
    func everyErasurePatternUpToTheParityCountDecodesAndOneMoreFails(data k: Int, parity m: Int) throws {
        var rng = SplitMix(seed: UInt64(k * 31 + m))
        let code = ReedSolomonCode(data: k, parity: m)
        for length in [0, 1, 37, 1000] {
            let file = Self.randomBytes(length, &rng)
            let shards = code.encode(file)
            #expect(shards.count == k + m && shards.allSatisfy { $0.count == code.shardSize(for: length) })
            #expect(Array(shards.prefix(k).joined().prefix(length)) == file, "systematic: data shards are the file")
            for lost in 0...m {
                for erased in Self.subsets(of: k + m, size: lost) {
                    let left = Dictionary(
                        uniqueKeysWithValues: (0..<(k + m)).filter { !erased.contains($0) }.map { ($0, shards[$0]) })
                    #expect(try code.decode(left, length: length) == file, "k=\(k) m=\(m) erased \(erased)")
                    let rebuilt = try code.repair(left, missing: erased)
                    #expect(erased.allSatisfy { rebuilt[$0] == shards[$0] }, "repair of \(erased)")
                }
            }
            for erased in Self.subsets(of: k + m, size: m + 1) {
                let left = Dictionary(
                    uniqueKeysWithValues: (0..<(k + m)).filter { !erased.contains($0) }.map { ($0, shards[$0]) })
                #expect(throws: ErasureCodeError.tooFewShards(have: k - 1, need: k)) {
                    try code.decode(left, length: length)
                }
            }
        }
    }

    @Test func btfsDefaultTenPlusTwentySurvivesAnyTwentyLosses() throws {
        var rng = SplitMix(seed: 10)
        let code = ReedSolomonCode(data: 10, parity: 20)
        let file = Self.randomBytes(100_003, &rng)
        let shards = code.encode(file)
        #expect(code.overhead == 3)
        for trial in 0..<200 {
            let lost = trial % 21
            let erased = Array((0..<30).shuffled(using: &rng).prefix(lost))
            let left = Dictionary(
                uniqueKeysWithValues: (0..<30).filter { !erased.contains($0) }.map { ($0, shards[$0]) })
            #expect(try code.decode(left, length: file.count) == file)
            let rebuilt = try code.repair(left, missing: erased)
            #expect(erased.allSatisfy { rebuilt[$0] == shards[$0] })
        }
        let nine = Dictionary(uniqueKeysWithValues: (0..<30).shuffled(using: &rng).prefix(9).map { ($0, shards[$0]) })
        #expect(throws: ErasureCodeError.tooFewShards(have: 9, need: 10)) { try code.decode(nine, length: file.count) }
    }

    @Test func badShardsAreRejected() {
        let code = ReedSolomonCode(data: 2, parity: 1)
        let shards = code.encode([1, 2, 3, 4])
        #expect(throws: ErasureCodeError.self) { try code.decode([0: shards[0], 5: shards[1]], length: 4) }
        #expect(throws: ErasureCodeError.self) { try code.decode([0: shards[0], 1: [9]], length: 4) }
        #expect(throws: ErasureCodeError.self) { try code.repair([0: shards[0], 1: shards[1]], missing: [3]) }
    }

    @Test func replicationReadsFromAnyOneCopyAndFailsWithNone() throws {
        let code = Replication(copies: 3)
        let file: [UInt8] = [7, 8, 9]
        let copies = code.encode(file)
        #expect(copies == [file, file, file] && code.overhead == 3)
        for i in 0..<3 { #expect(try code.decode([i: copies[i]], length: 3) == file) }
        #expect(try code.repair([2: copies[2]], missing: [0, 1]) == [0: file, 1: file])
        #expect(throws: ErasureCodeError.tooFewShards(have: 0, need: 1)) { try code.decode([:], length: 3) }
    }

    @Test func aRedundancyLabelReadsBackAndNothingElseDoes() {
        for r in [Redundancy.reedSolomon(data: 10, parity: 20), .reedSolomon(data: 1, parity: 0), .replicas(3)] {
            #expect(Redundancy(label: r.description) == r)
        }
        for bad in [
            "rs-4", "rs-0+2", "rs-200+100", "rs-4+-1", "replicas-0", "replicas-", "RS-4+2", "rs-4+2x", "",
            "rs-9223372036854775807+1", "rs-1+9223372036854775807", "replicas-256",
        ] {
            #expect(Redundancy(label: bad) == nil, "\(bad)")
        }
    }
}
