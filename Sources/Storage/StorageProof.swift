import Crypto

/// A proof-of-storage challenge as BTFS hosts answer them: the renter names a file's shard,
/// one chunk of it and a fresh nonce; the host answers SHA-256(chunk ‖ nonce). Without
/// the chunk's bytes the answer cannot be computed, and the nonce stops a host from
/// keeping old answers instead of the data.
public struct StorageChallenge: Hashable, Sendable, Codable {
    public let file: Int
    public let shard: Int
    public let chunk: Int
    public let nonce: [UInt8]

    public init(file: Int, shard: Int, chunk: Int, nonce: [UInt8]) {
        self.file = file
        self.shard = shard
        self.chunk = chunk
        self.nonce = nonce
    }
}

public enum StorageProof {
    /// IPFS's default chunk size, which BTFS inherits.
    public static let defaultChunkSize = 256 * 1024

    /// Chunks in a shard of `shardSize` bytes (the last one may be short).
    public static func chunkCount(shardSize: Int, chunkSize: Int) -> Int {
        max(1, (shardSize + chunkSize - 1) / chunkSize)
    }

    /// Chunk `index` of `shard`, or nil outside it.
    public static func chunk(_ shard: [UInt8], index: Int, chunkSize: Int) -> ArraySlice<UInt8>? {
        let start = index * chunkSize
        guard index >= 0, start < max(shard.count, 1) else { return nil }
        return shard[start..<min(start + chunkSize, shard.count)]
    }

    /// SHA-256(chunk ‖ nonce).
    public static func answer(chunk: ArraySlice<UInt8>, nonce: [UInt8]) -> [UInt8] {
        var hash = SHA256()
        hash.update(data: Array(chunk))
        hash.update(data: nonce)
        return Array(hash.finalize())
    }
}

/// What a host keeps: the shards it was paid to store. It answers a challenge only for a
/// shard it still holds; a dropped shard, an unknown one or a chunk outside the shard gets
/// no answer, which the renter counts as a failed challenge.
public struct ShardStore: Sendable {
    public let chunkSize: Int
    private var shards: [ShardKey: [UInt8]] = [:]

    struct ShardKey: Hashable, Sendable {
        let file: Int
        let shard: Int
    }

    public init(chunkSize: Int = StorageProof.defaultChunkSize) { self.chunkSize = chunkSize }

    public mutating func store(file: Int, shard: Int, bytes: [UInt8]) {
        shards[ShardKey(file: file, shard: shard)] = bytes
    }
    public mutating func drop(file: Int, shard: Int) { shards[ShardKey(file: file, shard: shard)] = nil }
    public func holds(file: Int, shard: Int) -> Bool { shards[ShardKey(file: file, shard: shard)] != nil }

    public func answer(_ challenge: StorageChallenge) -> [UInt8]? {
        guard let bytes = shards[ShardKey(file: challenge.file, shard: challenge.shard)],
            let chunk = StorageProof.chunk(bytes, index: challenge.chunk, chunkSize: chunkSize)
        else { return nil }
        return StorageProof.answer(chunk: chunk, nonce: challenge.nonce)
    }
}

/// The renter's side: challenges drawn when the file is uploaded, each with its expected
/// answer, so the renter can check hosts later without keeping the file. Each challenge is
/// used once (a replayed nonce would let a host answer from memory).
public struct ChallengeBook: Sendable, Codable {
    private struct Entry: Sendable, Codable {
        var challenge: StorageChallenge
        var answer: [UInt8]
    }

    private var pending: [Int: [Entry]] = [:]

    /// `perShard` challenges for each of `shards` (indexed by shard), with random chunks and
    /// 32-byte nonces from `random`.
    public init(
        file: Int, shards: [[UInt8]], perShard: Int, chunkSize: Int = StorageProof.defaultChunkSize,
        random: inout some RandomNumberGenerator
    ) {
        for (index, bytes) in shards.enumerated() {
            let chunks = StorageProof.chunkCount(shardSize: bytes.count, chunkSize: chunkSize)
            pending[index] = (0..<perShard).map { _ in
                let chunk = Int.random(in: 0..<chunks, using: &random)
                let nonce = (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
                let challenge = StorageChallenge(file: file, shard: index, chunk: chunk, nonce: nonce)
                let expected = StorageProof.answer(
                    chunk: StorageProof.chunk(bytes, index: chunk, chunkSize: chunkSize)!, nonce: nonce)
                return Entry(challenge: challenge, answer: expected)
            }
        }
    }

    /// Challenges left for `shard`.
    public func remaining(shard: Int) -> Int { pending[shard]?.count ?? 0 }

    /// The next unused challenge for `shard`, with the answer to expect; nil when used up.
    public mutating func next(shard: Int) -> (challenge: StorageChallenge, answer: [UInt8])? {
        guard var list = pending[shard], !list.isEmpty else { return nil }
        let first = list.removeFirst()
        pending[shard] = list
        return (first.challenge, first.answer)
    }

    /// Whether a host's answer (nil: none came) proves it holds the challenged chunk.
    public static func passes(_ answer: [UInt8]?, expected: [UInt8]) -> Bool { answer == expected }
}
