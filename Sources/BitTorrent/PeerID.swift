/// A peer's 20-byte id from the handshake and the tracker's peer list.
///
/// Ids are opaque bytes on the wire; btsim's own follow the Azureus convention
/// (`-BS0001-` then 12 characters) so they are recognisable in packet captures and
/// tracker logs of Live runs.
public struct PeerID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Client code `BS` (btsim), version 0001.
    public static let clientPrefix = "-BS0001-"

    private let storage: Bytes20

    /// Nil unless `bytes` holds exactly 20 bytes.
    public init?(bytes: some Collection<UInt8>) {
        guard let storage = Bytes20(bytes) else { return nil }
        self.storage = storage
    }

    /// `-BS0001-` followed by `number` in 12 base-64 digits (URL-safe characters, most
    /// significant first). 72 bits of digits hold any UInt64, so distinct numbers give
    /// distinct ids: the simulator passes a peer's index, Live a random number. The
    /// digits are in byte order, so ids compare as their numbers do: which of two
    /// duplicate connections stays then depends only on the peers' order of arrival,
    /// not on where their indices fall (a catalogue's torrent runs as it would alone,
    /// docs/architecture.md "One run, several torrents").
    public init(azureusStyle number: UInt64) {
        let alphabet = Array("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz".utf8)
        var bytes = Array(PeerID.clientPrefix.utf8)
        for digit in stride(from: 11, through: 0, by: -1) {
            // 6 * 11 = 66 bits: the top digit's shift exceeds the width and yields 0.
            let shift = UInt64(6 * digit)
            bytes.append(alphabet[Int(shift < 64 ? (number >> shift) & 63 : 0)])
        }
        // 8 prefix bytes + 12 digits = 20, so this cannot fail.
        guard let storage = Bytes20(bytes) else { preconditionFailure("peer id is not 20 bytes") }
        self.storage = storage
    }

    /// Byte by byte: which of two connections to one peer stays (`TorrentClient`).
    public static func < (a: PeerID, b: PeerID) -> Bool { a.storage < b.storage }

    public var bytes: [UInt8] { storage.bytes }
    public var hex: String { storage.hex }

    /// The id as text when it is printable ASCII (as Azureus-style ids are), else hex.
    public var description: String {
        let bytes = storage.bytes
        guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return storage.hex }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the 20 bytes, for encoders that build a message in place.
    public func append(to out: inout [UInt8]) {
        storage.append(to: &out)
    }
}
