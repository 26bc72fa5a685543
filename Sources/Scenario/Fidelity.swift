import BitTorrent
import SimKernel

/// How finely a run moves data (`fidelity:`, docs/model.md, "Fidelity tiers"). Both
/// tiers run the same `TorrentClient`; a tier only chooses the defaults of the protocol
/// settings that set the size of its units, and a scenario may set those itself in
/// either tier.
public enum Fidelity: String, Sendable, CaseIterable {
    /// The reference: 16 KiB blocks and one `have` per piece and connection, as real
    /// clients send them.
    case block
    /// For large runs: a request and its data cover a whole piece, and `have`s to one
    /// connection are coalesced over one second. docs/validation.md gives how far its
    /// results are from `block`'s.
    case piece

    /// The protocol settings a scenario in this tier starts from, for pieces of
    /// `pieceSize` bytes.
    public func protocolDefaults(pieceSize: Int) -> ProtocolSettings {
        var settings = ProtocolSettings()
        if self == .piece {
            settings.blockLength = pieceSize
            settings.haveBatch = .seconds(1)
        }
        return settings
    }
}
