import BitTorrent
import SimKernel
import SimNet

/// How finely a run moves data (`fidelity:`, docs/model.md, "Fidelity tiers"). Both
/// tiers run the same `TorrentClient`; a tier only chooses the defaults of three settings
/// (`protocol.block_size`, `protocol.have_batch`, `network.control_overlap`), and a
/// scenario may set any of them itself in either tier.
public enum Fidelity: String, Sendable, CaseIterable {
    /// The reference: 16 KiB blocks and one `have` per piece and connection, as real
    /// clients send them.
    case block
    /// For large runs: requests and data in blocks of up to 64 KiB, `have`s to peers that
    /// cannot use them yet coalesced over ten seconds, and control time on a busy link
    /// charged to the next data message. docs/validation.md gives how far its results are
    /// from `block`'s.
    case piece

    /// The largest block the `piece` tier uses. Whole pieces (256 KiB) were measured and
    /// rejected: a piece then comes from one peer instead of several at once, each hop
    /// holds it back for a whole piece-time, and flash crowds downloaded about 30 % slower
    /// than in `block` (docs/decisions.md).
    public static let coarseBlockBytes = 64 * 1024

    /// The `have` window of the `piece` tier: one rechoke round.
    public static let coarseHaveBatch = SimTime.seconds(10)

    /// The protocol settings a scenario in this tier starts from, for pieces of
    /// `pieceSize` bytes (a multiple of 16 KiB, checked where it is read).
    public func protocolDefaults(pieceSize: Int) -> ProtocolSettings {
        var settings = ProtocolSettings()
        if self == .piece {
            settings.blockLength = Self.coarseBlock(pieceSize: pieceSize)
            settings.haveBatch = Self.coarseHaveBatch
        }
        return settings
    }

    /// The network settings a scenario in this tier starts from: `piece` pays control
    /// time on a busy link with the next data message, saving an event per message.
    public var networkDefaults: NetworkSpec {
        NetworkSpec(controlOverlap: self == .piece ? .delaysNext : .delaysCurrent)
    }

    /// The largest multiple of 16 KiB up to `coarseBlockBytes` that divides the piece.
    static func coarseBlock(pieceSize: Int) -> Int {
        let standard = PieceLayout.standardBlockLength
        var block = min(coarseBlockBytes, pieceSize) / standard * standard
        while block > standard && pieceSize % block != 0 { block -= standard }
        return max(standard, block)
    }
}
