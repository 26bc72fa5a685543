/// The 68-byte greeting that opens every peer connection (BEP 3):
/// `19 "BitTorrent protocol" reserved[8] info_hash[20] peer_id[20]`.
public struct Handshake: Hashable, Sendable {
    public static let wireSize = 68
    public static let protocolName: [UInt8] = Array("BitTorrent protocol".utf8)
    /// Reserved bit 20 counted from the right (0x10 in reserved byte 5): the peer speaks
    /// the BEP 10 extension protocol.
    public static let extensionProtocolBit: UInt64 = 1 << 20
    /// BEP 6: 0x04 in the last reserved byte, the Fast extension.
    public static let fastExtensionBit: UInt64 = 1 << 2

    public var infoHash: InfoHash
    public var peerID: PeerID
    /// The eight reserved bytes as one big-endian integer, so feature bits are masks.
    public var reserved: UInt64

    public init(infoHash: InfoHash, peerID: PeerID, reserved: UInt64 = 0) {
        self.infoHash = infoHash
        self.peerID = peerID
        self.reserved = reserved
    }

    public var supportsExtensionProtocol: Bool { reserved & Handshake.extensionProtocolBit != 0 }
    public var supportsFastExtension: Bool { reserved & Handshake.fastExtensionBit != 0 }

    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Handshake.wireSize)
        encode(into: &out)
        return out
    }

    public func encode(into out: inout [UInt8]) {
        out.append(UInt8(Handshake.protocolName.count))
        out.append(contentsOf: Handshake.protocolName)
        appendUInt32(UInt32(truncatingIfNeeded: reserved >> 32), to: &out)
        appendUInt32(UInt32(truncatingIfNeeded: reserved), to: &out)
        infoHash.append(to: &out)
        peerID.append(to: &out)
    }

    /// Decodes exactly `wireSize` bytes.
    public init(decoding bytes: some Collection<UInt8>) throws(WireError) {
        let bytes = Array(bytes)
        guard bytes.count == Handshake.wireSize else { throw .wrongHandshakeSize(bytes.count) }
        try Handshake.checkPrefix(bytes[...])
        var reserved: UInt64 = 0
        for byte in bytes[20..<28] { reserved = reserved << 8 | UInt64(byte) }
        guard let infoHash = InfoHash(bytes: bytes[28..<48]), let peerID = PeerID(bytes: bytes[48..<68]) else {
            preconditionFailure("fixed 20-byte slices")
        }
        self.init(infoHash: infoHash, peerID: peerID, reserved: reserved)
    }

    /// Checks as much of the protocol-name prefix as `bytes` holds, so a stream decoder
    /// can drop a connection that is not BitTorrent after its first byte.
    static func checkPrefix(_ bytes: ArraySlice<UInt8>) throws(WireError) {
        guard let first = bytes.first else { return }
        guard Int(first) == protocolName.count else { throw .wrongProtocolNameLength(first) }
        let name = bytes.dropFirst().prefix(protocolName.count)
        guard name.elementsEqual(protocolName.prefix(name.count)) else { throw .wrongProtocolName }
    }
}
