import Crypto
import Foundation
import Storage

/// What a renter keeps after uploading a file to BTFS hosts: how the file was cut into
/// shards, each shard's SHA-256, and the unused proof-of-storage challenges with their
/// answers (drawn at upload, so the renter can check hosts without keeping the file).
/// Saved as JSON; a challenge is removed once asked, so a saved manifest never replays a
/// nonce.
public struct ShardManifest: Codable, Sendable {
    public var name: String
    /// The file's id in challenges and shard file names (random at upload).
    public var file: Int
    public var length: Int
    /// `rs-10+20` or `replicas-3`.
    public var code: String
    public var chunkSize: Int
    public var contentSHA256: String
    public var shardSHA256: [String]
    public var book: ChallengeBook

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public var redundancy: Redundancy? { Redundancy(label: code) }

    /// Cuts `content` into the shards of `redundancy` (real erasure coding) and prepares
    /// `challenges` challenges per shard; returns the manifest and the shards by index.
    public static func make(
        name: String, content: [UInt8], redundancy: Redundancy, challenges: Int, chunkSize: Int,
        random: inout some RandomNumberGenerator
    ) -> (ShardManifest, [[UInt8]]) {
        let file = Int.random(in: 1...Int.max, using: &random)
        let shards = redundancy.code.encode(content)
        let book = ChallengeBook(
            file: file, shards: shards, perShard: challenges, chunkSize: chunkSize, random: &random)
        let manifest = ShardManifest(
            name: name, file: file, length: content.count, code: redundancy.description, chunkSize: chunkSize,
            contentSHA256: hex(content), shardSHA256: shards.map(hex), book: book)
        return (manifest, shards)
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    public static func load(_ path: String) throws(Failure) -> ShardManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(description: "\(path): cannot read")
        }
        do { return try JSONDecoder().decode(ShardManifest.self, from: data) } catch {
            throw Failure(description: "\(path): not a shard manifest (\(error))")
        }
    }

    public func save(_ path: String) throws(Failure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(self), FileManager.default.createFile(atPath: path, contents: data) else {
            throw Failure(description: "\(path): cannot write")
        }
    }

    /// The file back from the shard files found in `directories`: shards whose SHA-256 is
    /// not the one recorded are ignored, any `needed` good ones decode it.
    public func restore(from directories: [String]) throws(Failure) -> (content: [UInt8], used: [Int]) {
        guard let redundancy else { throw Failure(description: "unknown code \(code)") }
        var shards: [Int: [UInt8]] = [:]
        for dir in directories {
            for index in shardSHA256.indices where shards[index] == nil {
                let path = "\(dir)/\(ShardDirectory.fileName(file: file, shard: index))"
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                let bytes = [UInt8](data)
                if Self.hex(bytes) == shardSHA256[index] { shards[index] = bytes }
            }
        }
        let used = Array(shards.keys.sorted().prefix(redundancy.needed))
        let content: [UInt8]
        do { content = try redundancy.code.decode(shards.filter { used.contains($0.key) }, length: length) } catch {
            throw Failure(description: "\(name): \(error)")
        }
        guard Self.hex(content) == contentSHA256 else {
            throw Failure(description: "\(name): the decoded file does not match its SHA-256")
        }
        return (content, used)
    }
}
