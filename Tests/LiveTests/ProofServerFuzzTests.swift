import BitTorrent
import Foundation
import NIOCore
import NIOPosix
import Storage
import Testing

@testable import Live

/// A storage host under hostile challenges: values a renter controls are checked where
/// they enter (`ProofWire`, `ShardDirectory`), each bad connection is closed on its own,
/// and the host still proves its shards afterwards.
@Suite(.serialized) struct ProofServerFuzzTests {
    static func challenge(chunk: Int64, chunkSize: Int64, nonce: Int = 32) -> [UInt8] {
        ProofWire.frame(
            .dictionary([
                "file": 1, "shard": 0, "chunk": .integer(chunk), "chunk_size": .integer(chunkSize),
                "nonce": .bytes(Array(repeating: 7, count: nonce)),
            ]))
    }

    /// Messages a broken or hostile renter might send.
    static func hostile(_ random: inout some RandomNumberGenerator) -> [UInt8] {
        let frames: [[UInt8]] = [
            // chunk × chunk_size beyond UInt64: trapped before the overflow check.
            challenge(chunk: Int64.max, chunkSize: Int64(ProofWire.maxChunkSize)),
            challenge(chunk: 1 << 40, chunkSize: 1 << 30),  // a 1 GiB read
            challenge(chunk: -1, chunkSize: 64), challenge(chunk: 0, chunkSize: 0),
            challenge(chunk: 0, chunkSize: 64, nonce: 3),
            [0, 0, 0x10, 0],  // a 1 MiB length prefix
            ProofWire.frame(.list([1, 2, 3])),
        ]
        var bytes = frames[Int.random(in: 0..<frames.count, using: &random)]
        switch Int.random(in: 0..<3, using: &random) {
        case 0:
            bytes = (0..<Int.random(in: 1..<2048, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random)
            }
        case 1:
            for _ in 0..<3 {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
        default:
            break
        }
        return bytes
    }

    @Test func anOverflowingChunkIsAFailureNotATrap() {
        let directory = ShardDirectory(path: NSTemporaryDirectory())
        let challenge = StorageChallenge(file: 1, shard: 0, chunk: Int.max, nonce: Array(repeating: 1, count: 32))
        guard case .failure = directory.answer(challenge, chunkSize: ProofWire.maxChunkSize) else {
            Issue.record("expected a failure")
            return
        }
    }

    @Test func aChunkSizeAboveTheLimitIsMalformed() throws {
        var buffer = Self.challenge(chunk: 0, chunkSize: Int64(ProofWire.maxChunkSize) + 1)
        let body = try #require(try ProofWire.nextFrame(&buffer))
        #expect(throws: ProofWire.Malformed.self) { try ProofWire.challenge(body) }
        var largest = Self.challenge(chunk: 0, chunkSize: Int64(ProofWire.maxChunkSize))
        #expect(
            try ProofWire.challenge(#require(try ProofWire.nextFrame(&largest))).chunkSize == ProofWire.maxChunkSize)
    }

    @Test func aHostSurvivesHostileChallengesAndStillProvesItsShards() throws {
        let storage = ProofOfStorageTests()
        var (manifest, _, hosts) = try storage.stored()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let server = ProofServer(loop: group.next(), shards: ShardDirectory(path: hosts[0]))
        try server.start(port: 0).wait()
        defer { _ = try? server.stop().wait() }
        var random = SystemRandomNumberGenerator()
        for _ in 0..<40 {
            let channel = try ClientBootstrap(group: group).connect(host: "127.0.0.1", port: server.port).wait()
            try? channel.writeAndFlush(channel.allocator.buffer(bytes: Self.hostile(&random))).wait()
            _ = try? channel.eventLoop.scheduleTask(in: .milliseconds(10)) {}.futureResult.wait()
            try? channel.close().wait()
        }
        #expect(
            try storage.challenge(&manifest, shards: [0, 3], port: server.port, loop: group.next()) == [true, true])
    }
}
