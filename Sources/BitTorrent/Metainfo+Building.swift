import Crypto

extension Metainfo {
    /// A torrent of real content, hashing every piece: what `btsim live make-torrent` does.
    public static func make(
        name: String, content: some Collection<UInt8>, pieceLength: Int, announce: String? = nil
    ) throws(MetainfoError) -> Metainfo {
        let bytes = Array(content)
        let pieceCount = try checkedPieceCount(length: Int64(bytes.count), pieceLength: pieceLength)
        var hashes: [UInt8] = []
        hashes.reserveCapacity(pieceCount * hashLength)
        for piece in 0..<pieceCount {
            let start = piece * pieceLength
            hashes.append(contentsOf: sha1(bytes[start..<min(start + pieceLength, bytes.count)]))
        }
        return try build(name: name, length: Int64(bytes.count), pieceLength: pieceLength, hashes: hashes, announce)
    }

    /// A torrent whose content is defined to be `length` zero bytes: the simulator's
    /// torrents, which move no real payload.
    ///
    /// Every full piece then has the same hash and only the last piece can differ, so two
    /// SHA-1 computations cover any size: a 10 GiB torrent costs two hashes, not 40,000.
    /// The hashes equal those `make` computes over real zero bytes.
    public static func virtual(
        name: String, length: Int64, pieceLength: Int, announce: String? = nil, zeros: ZeroRunHasher = ZeroRunHasher()
    ) throws(MetainfoError) -> Metainfo {
        let pieceCount = try checkedPieceCount(length: length, pieceLength: pieceLength)
        let lastLength = Int(length - Int64(pieceLength) * Int64(pieceCount - 1))
        let fullHash = zeros.sha1(ofZeros: pieceLength)
        let lastHash = lastLength == pieceLength ? fullHash : zeros.sha1(ofZeros: lastLength)
        var hashes: [UInt8] = []
        hashes.reserveCapacity(pieceCount * hashLength)
        for _ in 0..<pieceCount - 1 { hashes.append(contentsOf: fullHash) }
        hashes.append(contentsOf: lastHash)
        return try build(name: name, length: length, pieceLength: pieceLength, hashes: hashes, announce)
    }

    /// The piece count, after the checks `init(info:...)` would make, done before hashing so a bad size fails
    /// fast instead of after allocating or hashing gigabytes (`virtual` checks this first).
    public static func checkedPieceCount(length: Int64, pieceLength: Int) throws(MetainfoError) -> Int {
        guard length > 0 else { throw .invalidValue(key: "info.length", reason: "must be positive, got \(length)") }
        let checked = try validPieceLength(Int64(pieceLength))
        return try validPieceCount(length: length, pieceLength: checked)
    }

    private static func build(
        name: String, length: Int64, pieceLength: Int, hashes: [UInt8], _ announce: String?
    ) throws(MetainfoError) -> Metainfo {
        var info = BencodeDictionary()
        info["name"] = .string(name)
        info["piece length"] = .integer(Int64(pieceLength))
        info["length"] = .integer(length)
        info["pieces"] = .bytes(hashes)
        return try Metainfo(info: info, announce: announce, infoHash: infoHash(of: info))
    }
}
