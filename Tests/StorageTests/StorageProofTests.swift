import ClientHarness
import Crypto
import Testing

@testable import Storage

@Suite struct StorageProofTests {
    static let chunkSize = 64

    func setUp() -> (shards: [[UInt8]], book: ChallengeBook, store: ShardStore) {
        var rng = SplitMix(seed: 42)
        let code = ReedSolomonCode(data: 3, parity: 2)
        let shards = code.encode(ErasureCodeTests.randomBytes(1000, &rng))
        let book = ChallengeBook(file: 7, shards: shards, perShard: 4, chunkSize: Self.chunkSize, random: &rng)
        var store = ShardStore(chunkSize: Self.chunkSize)
        for (i, s) in shards.enumerated() { store.store(file: 7, shard: i, bytes: s) }
        return (shards, book, store)
    }

    @Test func theAnswerIsTheSHA256OfChunkAndNonce() {
        let shard = (0..<200).map { UInt8($0 % 256) }
        let nonce: [UInt8] = Array(repeating: 0xAB, count: 32)
        let chunk = StorageProof.chunk(shard, index: 2, chunkSize: Self.chunkSize)!
        #expect(Array(chunk) == Array(shard[128..<192]))
        #expect(
            StorageProof.answer(chunk: chunk, nonce: nonce) == Array(SHA256.hash(data: Array(shard[128..<192]) + nonce))
        )
        #expect(StorageProof.chunk(shard, index: 4, chunkSize: Self.chunkSize) == nil)
        #expect(StorageProof.chunkCount(shardSize: 200, chunkSize: Self.chunkSize) == 4)
    }

    @Test func aHostHoldingTheShardPassesEveryChallenge() {
        var (_, book, store) = setUp()
        for shard in 0..<5 {
            while let (challenge, expected) = book.next(shard: shard) {
                #expect(ChallengeBook.passes(store.answer(challenge), expected: expected))
            }
            #expect(book.remaining(shard: shard) == 0)
        }
    }

    @Test func aDroppedOrAlteredShardFailsAndChallengesAreUsedOnce() {
        var (shards, book, store) = setUp()
        store.drop(file: 7, shard: 1)
        let (dropped, expected1) = book.next(shard: 1)!
        #expect(store.answer(dropped) == nil && !ChallengeBook.passes(nil, expected: expected1))
        var altered = shards[2]
        for i in altered.indices { altered[i] ^= 1 }
        store.store(file: 7, shard: 2, bytes: altered)
        let (challenge, expected2) = book.next(shard: 2)!
        #expect(!ChallengeBook.passes(store.answer(challenge), expected: expected2))
        // Right shard bytes, wrong nonce: a remembered answer does not pass a new challenge.
        let (next, expected3) = book.next(shard: 0)!
        let replay = StorageChallenge(file: 7, shard: 0, chunk: next.chunk, nonce: Array(repeating: 0, count: 32))
        #expect(!ChallengeBook.passes(store.answer(replay), expected: expected3))
        #expect(book.remaining(shard: 0) == 3, "each challenge comes out once")
        #expect(store.answer(StorageChallenge(file: 8, shard: 0, chunk: 0, nonce: [])) == nil, "unknown file")
    }
}
