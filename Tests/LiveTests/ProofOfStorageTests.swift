import Foundation
import NIOCore
import NIOPosix
import Storage
import Testing

@testable import Live

/// BTFS on real bytes and real TCP: a renter cuts a file into Reed–Solomon shards, hosts
/// answer proof-of-storage challenges from their shard files over 127.0.0.1, a host that
/// dropped or altered a shard fails, and the file comes back from any k good shards.
@Suite(.serialized) struct ProofOfStorageTests {
    let dir = NSTemporaryDirectory() + "btsim-proof-\(UUID().uuidString)"
    static let chunkSize = 64

    /// A 1,000-byte file as RS 4+2 over three host directories (shards i and i+3 on host i).
    func stored() throws -> (ShardManifest, content: [UInt8], hosts: [String]) {
        let hosts = (0..<3).map { "\(dir)/host\($0)" }
        for h in hosts { try FileManager.default.createDirectory(atPath: h, withIntermediateDirectories: true) }
        var random = SystemRandomNumberGenerator()
        let content = (0..<1000).map { _ in UInt8.random(in: 0...255, using: &random) }
        let (manifest, shards) = ShardManifest.make(
            name: "f.bin", content: content, redundancy: .reedSolomon(data: 4, parity: 2), challenges: 5,
            chunkSize: Self.chunkSize, random: &random)
        for (i, shard) in shards.enumerated() {
            let path = "\(hosts[i % 3])/\(ShardDirectory.fileName(file: manifest.file, shard: i))"
            #expect(FileManager.default.createFile(atPath: path, contents: Data(shard)))
        }
        return (manifest, content, hosts)
    }

    /// Asks `host` for the next challenge of each shard; whether each proof checks.
    func challenge(_ manifest: inout ShardManifest, shards: [Int], port: Int, loop: EventLoop) throws -> [Bool] {
        let asked = shards.map { manifest.book.next(shard: $0)! }
        let replies = try ProofClient.ask(
            asked.map(\.challenge), chunkSize: manifest.chunkSize, host: "127.0.0.1", port: port, on: loop
        ).wait()
        return zip(asked, replies).map { a, reply in
            if case .proof(let proof) = reply { return ChallengeBook.passes(proof, expected: a.answer) }
            return false
        }
    }

    @Test func aHostProvesTheShardsItHoldsAndFailsOnceOneIsDroppedOrAltered() throws {
        var (manifest, _, hosts) = try stored()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let server = ProofServer(loop: group.next(), shards: ShardDirectory(path: hosts[0]))
        try server.start(port: 0).wait()
        defer { _ = try? server.stop().wait() }
        #expect(try challenge(&manifest, shards: [0, 3], port: server.port, loop: group.next()) == [true, true])
        #expect(
            try challenge(&manifest, shards: [1], port: server.port, loop: group.next()) == [false], "not its shard")

        try FileManager.default.removeItem(
            atPath: "\(hosts[0])/\(ShardDirectory.fileName(file: manifest.file, shard: 3))")
        let shard0 = "\(hosts[0])/\(ShardDirectory.fileName(file: manifest.file, shard: 0))"
        let flipped = FileManager.default.contents(atPath: shard0)!.map { $0 ^ 0xFF }
        #expect(FileManager.default.createFile(atPath: shard0, contents: Data(flipped)))
        #expect(try challenge(&manifest, shards: [0, 3], port: server.port, loop: group.next()) == [false, false])
        // The host answered shard 0 every time (wrongly the last time: only the renter knows).
        #expect(try group.next().submit { (server.answered, server.unanswered) }.wait() == (3, 2))
    }

    @Test func garbageOrSilenceFromAHostFailsTheExchange() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        // A listener that never answers.
        let silent = try ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).wait()
        defer { try? silent.close().wait() }
        let challenge = StorageChallenge(file: 1, shard: 0, chunk: 0, nonce: Array(repeating: 7, count: 32))
        #expect(throws: ProofClient.Failure.self) {
            try ProofClient.ask(
                [challenge], chunkSize: 64, host: "127.0.0.1", port: silent.localAddress!.port!, on: group.next(),
                timeout: .milliseconds(300)
            ).wait()
        }
        // A host that closes on a malformed challenge (a nonce too short).
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let server = ProofServer(loop: group.next(), shards: ShardDirectory(path: dir))
        try server.start(port: 0).wait()
        defer { _ = try? server.stop().wait() }
        let bad = StorageChallenge(file: 1, shard: 0, chunk: 0, nonce: [1, 2, 3])
        #expect(throws: ProofClient.Failure.self) {
            try ProofClient.ask([bad], chunkSize: 64, host: "127.0.0.1", port: server.port, on: group.next()).wait()
        }
    }

    @Test func theWireFormatRoundTripsAndRefusesWhatIsNotAMessage() throws {
        let c = StorageChallenge(file: 42, shard: 3, chunk: 9, nonce: (0..<32).map { UInt8($0) })
        var buffer = ProofWire.encode(c, chunkSize: 1024) + ProofWire.encode(.failure("gone"))
        let first = try ProofWire.nextFrame(&buffer)
        #expect(try ProofWire.challenge(#require(first)) == (c, 1024))
        let second = try ProofWire.nextFrame(&buffer)
        #expect(try ProofWire.reply(#require(second)) == .failure("gone"))
        #expect(buffer.isEmpty)
        var partial = Array(ProofWire.encode(.proof(Array(repeating: 1, count: 32))).dropLast())
        #expect(try ProofWire.nextFrame(&partial) == nil, "waits for the rest")
        var huge: [UInt8] = [0, 0, 0x10, 0]
        #expect(throws: ProofWire.Malformed.self) { try ProofWire.nextFrame(&huge) }
        #expect(throws: ProofWire.Malformed.self) { try ProofWire.challenge(Array("d4:filei1ee".utf8)) }
        #expect(throws: ProofWire.Malformed.self) { try ProofWire.reply(Array("d5:proof3:abce".utf8)) }
        #expect(throws: ProofWire.Malformed.self) { try ProofWire.reply(Array("not bencode".utf8)) }
    }

    @Test func theFileComesBackFromAnyKGoodShardsAndNotFromFewer() throws {
        let (manifest, content, hosts) = try stored()
        let path = "\(dir)/f.json"
        try manifest.save(path)
        let loaded = try ShardManifest.load(path)
        #expect(loaded.code == "rs-4+2" && loaded.shardSHA256 == manifest.shardSHA256)
        let restored = try loaded.restore(from: [hosts[1], hosts[2]])
        #expect(restored.content == content && restored.used == [1, 2, 4, 5])
        // One of those four altered: its SHA-256 no longer matches, three are too few.
        let shard5 = "\(hosts[2])/\(ShardDirectory.fileName(file: manifest.file, shard: 5))"
        #expect(FileManager.default.createFile(atPath: shard5, contents: Data([1, 2, 3])))
        #expect(throws: ShardManifest.Failure.self) { try loaded.restore(from: [hosts[1], hosts[2]]) }
        #expect(try loaded.restore(from: hosts).content == content)
    }

    @Test func aSavedManifestNeverReplaysAChallenge() throws {
        var (manifest, _, _) = try stored()
        let next = manifest.book.next(shard: 0)
        let first = try #require(next)
        let path = "\(dir)/f.json"
        try manifest.save(path)
        var reloaded = try ShardManifest.load(path)
        #expect(reloaded.book.remaining(shard: 0) == 4 && reloaded.book.remaining(shard: 1) == 5)
        #expect(reloaded.book.next(shard: 0)?.challenge != first.challenge)
    }
}
