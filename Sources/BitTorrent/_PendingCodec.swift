// TEMPORARY: stand-ins for the codec branch; deleted when it merges.
public enum BlockPayload: Hashable, Sendable {
    case virtual
    case bytes([UInt8])
}
public enum WireMessage: Hashable, Sendable {
    case keepAlive, choke, unchoke, interested, notInterested
    case have(piece: UInt32)
    case bitfield(Bitfield)
    case request(BlockRequest)
    case piece(BlockRequest, BlockPayload)
    case cancel(BlockRequest)
    case extended(id: UInt8, payload: [UInt8])
    case unknown(id: UInt8, length: UInt32)
    public var wireSize: Int {
        switch self {
        case .keepAlive: 4
        case .choke, .unchoke, .interested, .notInterested: 5
        case .have: 9
        case .bitfield(let b): 5 + (b.count + 7) / 8
        case .request, .cancel: 17
        case .piece(let r, _): 13 + Int(r.length)
        case .extended(_, let p): 6 + p.count
        case .unknown(_, let l): 4 + Int(l)
        }
    }
    public var isData: Bool { if case .piece = self { true } else { false } }
}
public struct InfoHash: Hashable, Sendable {
    public var bytes: [UInt8]
    public init?(bytes: [UInt8]) { self.bytes = bytes }
}
public struct PeerID: Hashable, Sendable { public var bytes: [UInt8] }
public struct Handshake: Hashable, Sendable {
    public static let wireSize = 68
    public var infoHash: InfoHash
    public var peerID: PeerID
    public var reserved: UInt64
    public init(infoHash: InfoHash, peerID: PeerID, reserved: UInt64 = 0) {
        self.infoHash = infoHash
        self.peerID = peerID
        self.reserved = reserved
    }
}
public struct Metainfo: Sendable {
    public var infoHash: InfoHash
    public var layout: PieceLayout
    public static func virtual(name: String, length: Int64, pieceLength: Int, announce: String?) -> Metainfo {
        Metainfo(
            infoHash: InfoHash(bytes: Array(repeating: 1, count: 20))!,
            layout: PieceLayout(totalLength: length, pieceLength: pieceLength))
    }
}
extension PeerID {
    public static func simulated(_ n: UInt64) -> PeerID { PeerID(bytes: Array(repeating: UInt8(n & 0xff), count: 20)) }
}
