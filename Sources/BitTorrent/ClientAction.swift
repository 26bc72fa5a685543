import SimKernel

/// What a `TorrentClient` asks its driver (the simulator or a real socket loop) to do.
/// The client never performs I/O or reads a clock: this is its entire output.
public enum ClientAction: Sendable {
    /// Boxed: a handshake (56 bytes) inline would double the size of every action, and
    /// there is one handshake per connection against thousands of other messages.
    indirect case sendHandshake(ConnectionID, Handshake)
    case send(ConnectionID, WireMessage)
    /// The client has already forgotten the connection; the driver tears it down and
    /// tells the remote.
    case close(ConnectionID, CloseReason)
    /// Open a connection to this peer, then call `openConnection(outgoing: true)`, or
    /// `connectFailed` when it cannot be reached.
    case connect(PeerAddress)
    case announce(AnnounceEvent)
    /// Call `timerFired(timer, deadline: at, now:)` once `now` has reached `at`. Re-arming
    /// a timer replaces its earlier deadline; a firing for a replaced deadline is ignored
    /// by the client, so a driver may cancel it or let it run.
    case setTimer(ClientTimer, at: SimTime)
    /// Every block of this piece is here (`checksPieces`): check its data, then call
    /// `pieceChecked` with the outcome. Until then the piece is neither shared nor asked for.
    case checkPiece(Int)
    /// A piece passed its check and is ours to share (for the driver's metrics).
    case pieceCompleted(Int)
    /// A piece's data failed its check; its blocks will be requested again.
    case pieceFailed(Int)
    /// The whole file is here: the peer is now a seed.
    case downloadCompleted
    /// Only from a client that `sharesBlocks`: it asked a peer for this block, withdrew
    /// the request (the block is free again unless someone else asked), or stored the
    /// block. The driver tells the user's other identities.
    case blockClaimed(BlockRequest)
    case blockReleased(BlockRequest)
    case blockStored(BlockRequest)
}

public enum ClientTimer: Int, Sendable, CaseIterable {
    case rechoke
    case optimisticUnchoke
    case announce
    /// The `protocol.have_batch` window since the first piece not yet announced is over.
    case haveBatch
}

public enum CloseReason: Sendable, Equatable, CustomStringConvertible {
    case violation(ProtocolViolation)
    /// Two seeds have nothing to give each other.
    case bothSeeds
    case leaving
    /// Another connection to the same peer id stays (or the remote is ourselves).
    case duplicate

    public var description: String {
        switch self {
        case .violation(let v): "protocol violation: \(v)"
        case .bothSeeds: "both peers are seeds"
        case .leaving: "leaving the swarm"
        case .duplicate: "already connected to this peer"
        }
    }
}
