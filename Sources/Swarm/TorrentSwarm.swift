import BitTorrent
import SimKernel

/// One torrent's swarm within a run: what it shares (the torrent, its tracker) and what
/// is observed of it (`SwarmMetrics`). The run's event queue, network and markets are
/// global; everything that exists once per torrent lives here, so that a run can hold
/// several (issue 24; docs/architecture.md, "One run, several torrents").
struct TorrentSwarm {
    let metainfo: Metainfo
    /// The torrent's pieces in the protocol's blocks (16 KiB, or 64 KiB in `fidelity: piece`).
    let layout: PieceLayout
    var tracker = Tracker()
    /// The tracker's own stream, so that one swarm's announces never shift another's draws.
    let trackerRandom: RandomStream
    var metrics: SwarmMetrics

    /// The swarm of a torrent of `length` bytes in pieces of `pieceLength`, announcing with
    /// draws from `trackerSeed`. Fails when the torrent cannot exist (more pieces than a
    /// metainfo may hold, a block size that does not divide the piece).
    init(name: String, length: Int64, pieceLength: Int, blockLength: Int, trackerSeed: UInt64) throws(MetainfoError) {
        metainfo = try Metainfo.virtual(name: name, length: length, pieceLength: pieceLength, announce: nil)
        let block = min(metainfo.pieceLength, blockLength)
        guard block > 0, metainfo.pieceLength % block == 0 else {
            throw .invalidValue(key: "protocol.block_size", reason: "must divide the piece length")
        }
        layout = PieceLayout(totalLength: metainfo.length, pieceLength: metainfo.pieceLength, blockLength: block)
        trackerRandom = RandomStream(seed: trackerSeed)
        metrics = SwarmMetrics(pieceCount: layout.pieceCount)
    }
}
