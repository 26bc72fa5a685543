/// What a client decided or saw, for a trace of one peer (docs/live.md, "Watching a peer
/// decide"). The client reports these itself (`TorrentClient.trace`), in both drivers,
/// so a Live peer's `--events` file and a simulated peer's trace come from the same
/// code; the driver stamps each with the time it gave the client for that call.
public enum PeerEventKind: String, Sendable, CaseIterable {
    /// The client joined the swarm; its periodic timers count from here.
    case started
    /// A rechoke round began (the `rechoke_interval` timer acted); the chokes and
    /// unchokes of the round follow with the same time.
    case rechoke
    /// The optimistic unchoke moves (the `optimistic_interval` timer acted).
    case optimistic
    /// An announce went to the tracker (or to the fixed peer list).
    case announce
    /// A `choke` or `unchoke` message to the peer.
    case choke, unchoke
    /// An `interested` or `not interested` message to the peer.
    case interested
    case notInterested = "not_interested"
    /// A connection to the peer joined the client, or left it.
    case connected, disconnected
    /// A piece passed its check and is ours to share.
    case pieceCompleted = "piece_completed"
    /// The whole file is here and verified.
    case completed
    /// BitTorrent Speed messages sent to the peer, reported by the `speed` strategy
    /// (docs/model.md): a bid for its regular slots (a price of zero withdraws one), the
    /// acceptance of its bid for one of ours, and a voucher paying it.
    case bid, accept, voucher
}
