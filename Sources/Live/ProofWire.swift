import BitTorrent
import Storage

/// The proof-of-storage exchange between a renter and a host over TCP: each message is a
/// 4-byte big-endian length and a bencoded dictionary (BEP 3's encoding, as BitTorrent's
/// extension messages use).
///
///   challenge: {file: int, shard: int, chunk: int, chunk_size: int, nonce: 32 bytes}
///   reply:     {proof: 32 bytes}  — SHA-256(chunk ‖ nonce)
///          or  {failure: text}    — the host does not hold that chunk
///
/// Replies come in the order of the challenges. Anything else closes the connection.
public enum ProofWire {
    /// No challenge or reply comes near this; a longer length prefix is an attack or noise.
    public static let maxFrame = 1024
    public static let nonceLength = 32
    /// The largest chunk a challenge may name: what one answer reads from disk. A renter
    /// chooses its chunk size when it stores (`--chunk-size`, at most this).
    public static let maxChunkSize = 16 << 20

    public enum Reply: Equatable, Sendable {
        case proof([UInt8])
        case failure(String)
    }

    public struct Malformed: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    public static func frame(_ value: BencodeValue) -> [UInt8] {
        let body = value.encode()
        let n = UInt32(body.count)
        return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + body
    }

    public static func encode(_ c: StorageChallenge, chunkSize: Int) -> [UInt8] {
        frame(
            .dictionary([
                "file": .integer(Int64(c.file)), "shard": .integer(Int64(c.shard)), "chunk": .integer(Int64(c.chunk)),
                "chunk_size": .integer(Int64(chunkSize)), "nonce": .bytes(c.nonce),
            ]))
    }

    public static func encode(_ reply: Reply) -> [UInt8] {
        switch reply {
        case .proof(let hash): frame(.dictionary(["proof": .bytes(hash)]))
        case .failure(let why): frame(.dictionary(["failure": .string(why)]))
        }
    }

    /// The next whole frame's body at the front of `buffer`, removing it; nil until one
    /// has arrived.
    public static func nextFrame(_ buffer: inout [UInt8]) throws(Malformed) -> [UInt8]? {
        guard buffer.count >= 4 else { return nil }
        let n = buffer[0..<4].reduce(0) { $0 << 8 | Int($1) }
        guard n <= maxFrame else { throw Malformed(description: "a \(n)-byte message (at most \(maxFrame))") }
        guard buffer.count >= 4 + n else { return nil }
        let body = Array(buffer[4..<4 + n])
        buffer.removeFirst(4 + n)
        return body
    }

    public static func challenge(_ body: [UInt8]) throws(Malformed) -> (StorageChallenge, chunkSize: Int) {
        let d = try dictionary(body)
        guard let file = d["file"]?.integerValue, let shard = d["shard"]?.integerValue,
            let chunk = d["chunk"]?.integerValue, let size = d["chunk_size"]?.integerValue,
            let nonce = d["nonce"]?.bytesValue
        else { throw Malformed(description: "a challenge needs file, shard, chunk, chunk_size and nonce") }
        guard shard >= 0, chunk >= 0, size > 0, size <= maxChunkSize, nonce.count == nonceLength else {
            throw Malformed(description: "a challenge out of range")
        }
        return (StorageChallenge(file: Int(file), shard: Int(shard), chunk: Int(chunk), nonce: nonce), Int(size))
    }

    public static func reply(_ body: [UInt8]) throws(Malformed) -> Reply {
        let d = try dictionary(body)
        if let proof = d["proof"]?.bytesValue, proof.count == 32 { return .proof(proof) }
        if let why = d["failure"]?.stringValue { return .failure(why) }
        throw Malformed(description: "a reply needs a 32-byte proof or a failure")
    }

    private static func dictionary(_ body: [UInt8]) throws(Malformed) -> BencodeDictionary {
        guard let value = try? BencodeValue.decode(body, maxDepth: 2), let d = value.dictionaryValue else {
            throw Malformed(description: "not a bencoded dictionary")
        }
        return d
    }
}
