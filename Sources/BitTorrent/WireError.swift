/// Why a peer's byte stream was rejected. Any of these ends the connection: the peer
/// broke the protocol, and nothing after the bad frame can be trusted.
public enum WireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The handshake's first byte is not 19, the length of "BitTorrent protocol".
    case wrongProtocolNameLength(UInt8)
    /// The handshake does not name "BitTorrent protocol".
    case wrongProtocolName
    /// A handshake decoded from a buffer of the wrong size.
    case wrongHandshakeSize(Int)
    /// A length prefix above the decoder's limit: refusing it before buffering protects
    /// memory from a peer announcing a 4 GiB message.
    case messageTooLong(length: UInt32, limit: Int)
    /// A length prefix that does not fit the message id (e.g. a `have` of length 4).
    /// `length` counts the id and payload, as the prefix does.
    case wrongLength(id: UInt8, length: UInt32)
    /// A bitfield whose byte count does not match the torrent's piece count.
    case wrongBitfieldLength(byteCount: Int, pieceCount: Int)
    /// A bitfield with a bit set past the last piece.
    case bitfieldSpareBitsSet
    /// A `have`, `request`, `piece` or `cancel` for a piece the torrent does not have.
    case pieceIndexOutOfRange(piece: UInt32, pieceCount: Int)
    /// A `piece` message carrying more than the largest block btsim accepts.
    case blockTooLarge(length: Int, limit: Int)

    public var description: String {
        switch self {
        case .wrongProtocolNameLength(let length):
            "handshake protocol name length is \(length), expected 19"
        case .wrongProtocolName:
            "handshake does not name 'BitTorrent protocol'"
        case .wrongHandshakeSize(let size):
            "handshake of \(size) bytes, expected \(Handshake.wireSize)"
        case .messageTooLong(let length, let limit):
            "message length \(length) exceeds the limit of \(limit) bytes"
        case .wrongLength(let id, let length):
            "message id \(id) with invalid length \(length)"
        case .wrongBitfieldLength(let byteCount, let pieceCount):
            "bitfield of \(byteCount) bytes for \(pieceCount) pieces, expected \((pieceCount + 7) / 8)"
        case .bitfieldSpareBitsSet:
            "bitfield has bits set past the last piece"
        case .pieceIndexOutOfRange(let piece, let pieceCount):
            "piece index \(piece) out of range 0..<\(pieceCount)"
        case .blockTooLarge(let length, let limit):
            "block of \(length) bytes exceeds the limit of \(limit)"
        }
    }
}
