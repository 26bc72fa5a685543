import BitTorrent
import SimKernel

/// One torrent's swarm within a run: what it shares (the torrent, its tracker) and what
/// is observed of it (`SwarmMetrics`). The run's event queue, network and markets are
/// global; everything that exists once per torrent lives here, so that a run can hold
/// several (issue 24; docs/architecture.md, "One run, several torrents").
///
/// What only a swarm with peers needs (the metainfo with its piece hashes, the tracker's
/// pools, per-piece availability) exists only while it has some: it is built when the
/// first peer joins and dropped when the last leaves, so a catalogue holds the torrents
/// in use, not all of them (issue 24, point 1). Both are functions of the torrent alone,
/// so dropping and rebuilding them changes no result.
struct TorrentSwarm {
    let name: String
    let length: Int64
    let pieceLength: Int
    /// Built by `infoHash` while the swarm has peers; nil otherwise.
    private(set) var metainfo: Metainfo?
    /// The torrent's pieces in the protocol's blocks (16 KiB, or 64 KiB in `fidelity: piece`).
    let layout: PieceLayout
    var tracker = Tracker()
    /// The tracker's own stream, so that one swarm's announces never shift another's draws.
    /// It outlives the tracker's pools: its draws continue where they stopped.
    let trackerRandom: RandomStream
    var metrics: SwarmMetrics

    /// The swarm of a torrent of `length` bytes in pieces of `pieceLength`, announcing with
    /// draws from `trackerSeed`. Fails when the torrent cannot exist (more pieces than a
    /// metainfo may hold, a block size that does not divide the piece), checked here so
    /// that building the metainfo later cannot fail.
    init(name: String, length: Int64, pieceLength: Int, blockLength: Int, trackerSeed: UInt64) throws(MetainfoError) {
        _ = try Metainfo.checkedPieceCount(length: length, pieceLength: pieceLength)
        let block = min(pieceLength, blockLength)
        guard block > 0, pieceLength % block == 0 else {
            throw .invalidValue(key: "protocol.block_size", reason: "must divide the piece length")
        }
        self.name = name
        self.length = length
        self.pieceLength = pieceLength
        layout = PieceLayout(totalLength: length, pieceLength: pieceLength, blockLength: block)
        trackerRandom = RandomStream(seed: trackerSeed)
        metrics = SwarmMetrics(pieceCount: layout.pieceCount)
    }

    /// The torrent's info-hash, for a peer joining: the metainfo is built now if the swarm
    /// had none, hashing its zero pieces with `zeros`.
    mutating func infoHash(zeros: ZeroRunHasher) -> InfoHash {
        if let metainfo { return metainfo.infoHash }
        // `init` made the checks that `virtual` makes, and the name is ours.
        guard
            let built = try? Metainfo.virtual(
                name: name, length: length, pieceLength: pieceLength, announce: nil, zeros: zeros)
        else { preconditionFailure("a torrent checked when its swarm was made") }
        metainfo = built
        return built.infoHash
    }

    /// The last peer left: what only a swarm with peers needs goes. Its tracker pools are
    /// empty (every peer that left announced `stopped`) and so is its availability.
    mutating func emptied() {
        metainfo = nil
        tracker = Tracker()
        metrics.releaseAvailability()
    }
}
