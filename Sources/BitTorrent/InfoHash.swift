/// The SHA-1 of a torrent's bencoded info dictionary: the torrent's identity in the
/// handshake, at the tracker and in every log line.
public struct InfoHash: Hashable, Sendable, CustomStringConvertible {
    private let storage: Bytes20

    /// Nil unless `bytes` holds exactly 20 bytes.
    public init?(bytes: some Collection<UInt8>) {
        guard let storage = Bytes20(bytes) else { return nil }
        self.storage = storage
    }

    /// Nil unless `hex` is exactly 40 hex digits.
    public init?(hex: String) {
        guard let storage = Bytes20(hex: hex) else { return nil }
        self.storage = storage
    }

    public var bytes: [UInt8] { storage.bytes }
    public var hex: String { storage.hex }
    public var description: String { hex }

    /// Appends the 20 bytes, for encoders that build a message in place.
    public func append(to out: inout [UInt8]) {
        storage.append(to: &out)
    }
}
