import Foundation
import Storage

/// A storage host's shards on disk, one file per shard named `<file id, 16 hex digits>.<shard>.shard`.
/// The host answers a challenge by reading the challenged chunk from the file, so deleting
/// (or corrupting) a shard file is what dropping a shard is: the next challenge fails.
public struct ShardDirectory: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    public static func fileName(file: Int, shard: Int) -> String {
        let hex = String(UInt64(bitPattern: Int64(file)), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex + ".\(shard).shard"
    }

    /// SHA-256(chunk ‖ nonce) for a chunk of a shard this host holds, or why it cannot.
    public func answer(_ challenge: StorageChallenge, chunkSize: Int) -> ProofWire.Reply {
        let name = Self.fileName(file: challenge.file, shard: challenge.shard)
        guard let handle = FileHandle(forReadingAtPath: "\(path)/\(name)") else {
            return .failure("no shard \(challenge.shard) of file \(name.prefix(16))")
        }
        defer { try? handle.close() }
        // Both come from the wire (checked non-negative by ProofWire); their product may not fit.
        let (offset, overflow) = UInt64(challenge.chunk).multipliedReportingOverflow(by: UInt64(chunkSize))
        guard !overflow, (try? handle.seek(toOffset: offset)) != nil,
            let data = try? handle.read(upToCount: chunkSize), !data.isEmpty || challenge.chunk == 0
        else { return .failure("no chunk \(challenge.chunk) in shard \(challenge.shard)") }
        return .proof(StorageProof.answer(chunk: ArraySlice(data), nonce: challenge.nonce))
    }
}
