import Crypto

/// A single-file torrent: what a .torrent file (BEP 3) says about the content.
///
/// Built three ways, all through one validating initialiser so every `Metainfo` obeys
/// the same rules: decoded from a file (`init(decoding:)`), hashed from real bytes
/// (`make`, for Live) or defined over virtual all-zero content (`virtual`, for the
/// simulator, where only the hashes' existence matters and hashing gigabytes would be
/// wasted work).
public struct Metainfo: Hashable, Sendable {
    /// The largest piece length accepted, 1 GiB; real torrents use 16 KiB to 16 MiB.
    /// The bound keeps every size computation far from overflow.
    public static let maxPieceLength = 1 << 30
    /// The most pieces accepted, as libtorrent's default `max_pieces`: a bitfield then
    /// stays within 256 KiB and the hash list within 40 MiB.
    public static let maxPieceCount = 1 << 21
    public static let hashLength = 20

    public let announce: String?
    /// The suggested file name; checked not to be a path.
    public let name: String
    public let pieceLength: Int
    public let length: Int64
    /// The SHA-1 of every piece, concatenated: one flat array rather than one array per
    /// piece saves an allocation and 24 bytes of overhead per piece.
    public let pieceHashes: [UInt8]
    public let infoHash: InfoHash
    public let layout: PieceLayout
    /// Info-dictionary entries btsim does not interpret (`private`, `source`, ...), kept
    /// so that `encoded()` reproduces the info dictionary and with it the info-hash.
    public let extraInfoFields: BencodeDictionary

    public var pieceCount: Int { layout.pieceCount }

    /// The expected SHA-1 of piece `piece`.
    public func pieceHash(_ piece: Int) -> ArraySlice<UInt8> {
        precondition(piece >= 0 && piece < pieceCount, "piece \(piece) out of range 0..<\(pieceCount)")
        return pieceHashes[piece * Metainfo.hashLength..<(piece + 1) * Metainfo.hashLength]
    }

    /// The info dictionary as encoded into the torrent, whose SHA-1 is `infoHash`.
    public var infoDictionary: BencodeDictionary {
        var info = extraInfoFields
        info["name"] = .string(name)
        info["piece length"] = .integer(Int64(pieceLength))
        info["length"] = .integer(length)
        info["pieces"] = .bytes(pieceHashes)
        return info
    }

    /// The .torrent file: `announce` (when set) and `info`.
    public func encoded() -> [UInt8] {
        var top = BencodeDictionary()
        if let announce { top["announce"] = .string(announce) }
        top["info"] = .dictionary(infoDictionary)
        return BencodeValue.dictionary(top).encode()
    }

    /// Reads and validates every field btsim uses from `info`; `infoHash` is computed by
    /// the caller because only it knows which bytes the dictionary came from.
    init(info: BencodeDictionary, announce: String?, infoHash: InfoHash) throws(MetainfoError) {
        if info["files"] != nil { throw .multiFileNotSupported }
        if info["pieces"] == nil && info["file tree"] != nil { throw .version2NotSupported }
        let name = try Metainfo.validName(try info.requiredString("name", in: "info"))
        let pieceLength = try Metainfo.validPieceLength(try info.requiredInteger("piece length", in: "info"))
        let length = try info.requiredInteger("length", in: "info")
        guard length > 0 else { throw .invalidValue(key: "info.length", reason: "must be positive, got \(length)") }
        let pieceCount = try Metainfo.validPieceCount(length: length, pieceLength: pieceLength)
        let pieces = try info.requiredBytes("pieces", in: "info")
        guard pieces.count % Metainfo.hashLength == 0 else {
            throw .invalidValue(key: "info.pieces", reason: "length \(pieces.count) is not a multiple of 20")
        }
        guard pieces.count / Metainfo.hashLength == pieceCount else {
            throw .invalidValue(
                key: "info.pieces",
                reason: "\(pieces.count / Metainfo.hashLength) hashes for \(pieceCount) pieces of \(length) bytes")
        }
        self.announce = announce
        self.name = name
        self.pieceLength = pieceLength
        self.length = length
        self.pieceHashes = pieces
        self.infoHash = infoHash
        // Pieces shorter than a block are their own block, so tiny test torrents work.
        self.layout = PieceLayout(
            totalLength: length, pieceLength: pieceLength,
            blockLength: min(pieceLength, PieceLayout.standardBlockLength))
        var extra = info
        for key in ["name", "piece length", "length", "pieces"] { extra[key] = nil }
        self.extraInfoFields = extra
    }

    /// The SHA-1 of `bytes`, through swift-crypto.
    static func sha1(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var hasher = Insecure.SHA1()
        let hashedInPlace: Bool? = bytes.withContiguousStorageIfAvailable {
            hasher.update(bufferPointer: UnsafeRawBufferPointer($0))
            return true
        }
        if hashedInPlace == nil { Array(bytes).withUnsafeBytes { hasher.update(bufferPointer: $0) } }
        return Array(hasher.finalize())
    }

    /// The info-hash of an info dictionary built in memory (canonical encoding).
    static func infoHash(of info: BencodeDictionary) -> InfoHash {
        let digest = sha1(BencodeValue.dictionary(info).encode())
        guard let hash = InfoHash(bytes: digest) else { preconditionFailure("SHA-1 is not 20 bytes") }
        return hash
    }
}

// MARK: - Field validation

extension Metainfo {
    /// A single-file name becomes a file name in Live mode, so it must not be a path.
    static func validName(_ name: String) throws(MetainfoError) -> String {
        let key = "info.name"
        if name.isEmpty { throw .invalidValue(key: key, reason: "is empty") }
        if name == "." || name == ".." { throw .invalidValue(key: key, reason: "is '\(name)'") }
        if name.contains("/") || name.contains("\0") { throw .invalidValue(key: key, reason: "contains '/' or NUL") }
        return name
    }

    /// Positive, at most `maxPieceLength`, and either a multiple of the 16 KiB block or
    /// smaller than one block (then the piece is a single block).
    static func validPieceLength(_ value: Int64) throws(MetainfoError) -> Int {
        guard value > 0 && value <= Int64(maxPieceLength) else {
            throw .invalidValue(key: "info.piece length", reason: "must be in 1...\(maxPieceLength), got \(value)")
        }
        let pieceLength = Int(value)
        let block = PieceLayout.standardBlockLength
        guard pieceLength < block || pieceLength % block == 0 else {
            throw .invalidValue(
                key: "info.piece length", reason: "\(pieceLength) is not a multiple of the \(block)-byte block")
        }
        return pieceLength
    }

    static func validPieceCount(length: Int64, pieceLength: Int) throws(MetainfoError) -> Int {
        let count = (length - 1) / Int64(pieceLength) + 1
        guard count <= Int64(maxPieceCount) else {
            throw .invalidValue(key: "info.length", reason: "\(count) pieces exceed the limit of \(maxPieceCount)")
        }
        return Int(count)
    }
}

extension BencodeDictionary {
    func requiredString(_ key: String, in parent: String) throws(MetainfoError) -> String {
        guard let value = self[key] else { throw .missingKey("\(parent).\(key)") }
        guard let text = value.stringValue else {
            throw .wrongType(key: "\(parent).\(key)", expected: "a UTF-8 string")
        }
        return text
    }

    func requiredInteger(_ key: String, in parent: String) throws(MetainfoError) -> Int64 {
        guard let value = self[key] else { throw .missingKey("\(parent).\(key)") }
        guard let number = value.integerValue else { throw .wrongType(key: "\(parent).\(key)", expected: "an integer") }
        return number
    }

    func requiredBytes(_ key: String, in parent: String) throws(MetainfoError) -> [UInt8] {
        guard let value = self[key] else { throw .missingKey("\(parent).\(key)") }
        guard let bytes = value.bytesValue else { throw .wrongType(key: "\(parent).\(key)", expected: "a byte string") }
        return bytes
    }
}
