/// Where a peer can be reached: an IPv4 address and a TCP port, the unit of BEP 23's
/// compact peer lists (6 bytes each). Simulated peers get addresses too, so the tracker
/// and the client handle the same values in both worlds.
public struct PeerAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var ipv4: UInt32
    public var port: UInt16

    public init(ipv4: UInt32, port: UInt16) {
        self.ipv4 = ipv4
        self.port = port
    }

    /// The 6-byte compact form: address then port, both big-endian.
    public var compact: [UInt8] {
        let a = ipv4.bigEndian
        let p = port.bigEndian
        return withUnsafeBytes(of: a) { Array($0) } + withUnsafeBytes(of: p) { Array($0) }
    }

    /// Parses a BEP 23 compact peer list; nil when its length is not a multiple of 6.
    public static func parseCompactList(_ bytes: [UInt8]) -> [PeerAddress]? {
        guard bytes.count % 6 == 0 else { return nil }
        return stride(from: 0, to: bytes.count, by: 6).map { i in
            var ip: UInt32 = 0
            for k in 0..<4 { ip = ip << 8 | UInt32(bytes[i + k]) }
            let port = UInt16(bytes[i + 4]) << 8 | UInt16(bytes[i + 5])
            return PeerAddress(ipv4: ip, port: port)
        }
    }

    public static func < (a: PeerAddress, b: PeerAddress) -> Bool { (a.ipv4, a.port) < (b.ipv4, b.port) }

    public var description: String {
        "\(ipv4 >> 24).\(ipv4 >> 16 & 0xff).\(ipv4 >> 8 & 0xff).\(ipv4 & 0xff):\(port)"
    }
}
