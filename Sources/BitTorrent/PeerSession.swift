import DequeModule
import SimKernel

/// Our side of one connection: the BEP 3 state pairs, what the remote has, and the
/// requests in both directions.
///
/// A value type held by `TorrentClient`, which coordinates sessions with the picker and
/// the choker; the session itself enforces the per-connection protocol rules.
public struct PeerSession: Sendable {
    public enum Phase: Sendable, Equatable {
        case awaitingHandshake
        case active
    }

    public let id: ConnectionID
    /// False once the connection closed; the slot keeps the value until it is reused.
    public internal(set) var isOpen = true
    public let address: PeerAddress
    public let isOutgoing: Bool
    public let connectedAt: SimTime
    public internal(set) var phase = Phase.awaitingHandshake
    /// Both ends offered BEP 6 in their handshakes.
    public internal(set) var fastExtension = false
    /// The remote's peer id, once its handshake came: one connection per remote peer.
    public internal(set) var remotePeerID: PeerID?
    /// The address we dialled this remote at, when that connection was the duplicate
    /// closed and this one (from an ephemeral port) stayed: not to be dialled again.
    var dialledAddress: PeerAddress?

    public internal(set) var amChoking = true
    public internal(set) var amInterested = false
    public internal(set) var peerChoking = true
    /// When the remote last choked us (`ProtocolSettings.requestTimeout`).
    var chokedAt = SimTime.zero
    /// When `outstanding` last went from empty to not: with `lastBlockAt`, how long the
    /// remote has left our requests unanswered (`ProtocolSettings.requestTimeout`).
    var requestedAt = SimTime.zero
    /// Our requests timed out while the remote unchoked us: ask it for one block at a
    /// time until one arrives, as libtorrent does with a peer it has snubbed.
    public internal(set) var timedOut = false
    public internal(set) var peerInterested = false
    public internal(set) var slot = UploadSlot.none

    public internal(set) var remoteHas: Bitfield
    /// Pieces the remote has and we lack: we are interested exactly when this is positive.
    var interestingPieces = 0
    /// Our requests to the remote, oldest first.
    public internal(set) var outstanding: Deque<BlockRequest> = []
    /// The remote's requests to us not yet handed to the transport, oldest first.
    var uploadQueue: Deque<BlockRequest> = []
    /// The block handed to the transport and not yet sent; one at a time, like a small
    /// socket send buffer, so that cancels and chokes still reach the queue.
    var blockInTransport: BlockRequest?
    /// Unchoked and wanted, but given no request because the client's budget was spent.
    var waitingForBudget = false
    /// With `have_batch`: how many of the client's pieces awaiting their `have` this
    /// connection knows of, from the bitfield it got or `have`s sent (`TorrentClient+Haves`).
    var havesSent = 0

    var downloaded = RoundCounter()
    var uploaded = RoundCounter()
    var downloadMeter: RateMeter
    var lastBlockAt: SimTime
    public internal(set) var totalDownloaded: Int64 = 0
    public internal(set) var totalUploaded: Int64 = 0

    init(id: ConnectionID, address: PeerAddress, isOutgoing: Bool, pieceCount: Int, now: SimTime) {
        self.id = id
        self.address = address
        self.isOutgoing = isOutgoing
        connectedAt = now
        remoteHas = Bitfield(count: pieceCount)
        downloadMeter = RateMeter(now: now)
        lastBlockAt = now
    }

    /// Validates the remote's handshake; `ours` is the one we send.
    mutating func receiveHandshake(_ handshake: Handshake, expected: InfoHash, ours: Handshake)
        throws(ProtocolViolation)
    {
        guard phase == .awaitingHandshake else { throw .duplicateHandshake }
        guard handshake.infoHash == expected else { throw .wrongInfoHash }
        phase = .active
        remotePeerID = handshake.peerID
        fastExtension = handshake.supportsFastExtension && ours.supportsFastExtension
    }

    /// Checks that messages may arrive now: any, once the handshake is done. Even a
    /// bitfield (or `have all`/`have none`) is accepted at any point and replaces what
    /// the remote announced before, as libtorrent does: aria2 sends a bitfield instead
    /// of `have` after its first piece, and twice after reconnecting (docs/live.md).
    func admitMessages() throws(ProtocolViolation) {
        guard phase == .active else { throw .messageBeforeHandshake }
    }

    /// Records a remote `have`; false when the remote had announced it already.
    mutating func remoteGot(_ piece: Int) -> Bool { remoteHas.insert(piece) }

    /// Replaces what the remote announced; returns what it announced before.
    mutating func setRemoteHas(_ pieces: Bitfield) -> Bitfield {
        defer { remoteHas = pieces }
        return remoteHas
    }

    /// Drops our outstanding request for `request`; false when we had not asked for it.
    mutating func removeOutstanding(_ request: BlockRequest) -> Bool {
        guard let i = outstanding.firstIndex(of: request) else { return false }
        outstanding.remove(at: i)
        return true
    }

    mutating func recordBlockReceived(_ bytes: Int, now: SimTime) {
        downloaded.add(bytes)
        downloadMeter.add(bytes, now: now)
        totalDownloaded += Int64(bytes)
        lastBlockAt = now
        timedOut = false
    }

    /// Our requests have waited `timeout` for an answer: since the choke, when the remote
    /// chokes us (under BEP 6, which keeps them until rejected); since the last block or
    /// the first of them, when it unchokes us and sends nothing.
    func requestsTimedOut(now: SimTime, timeout: SimTime) -> Bool {
        guard !outstanding.isEmpty else { return false }
        let since = peerChoking ? chokedAt : max(lastBlockAt, requestedAt)
        return now - since >= timeout
    }

    /// True when the remote has sent nothing for `timeout` while we want its data: it
    /// chokes us, or has our requests and does not serve them. A peer that unchoked us
    /// but got no request (our budget was spent) is not snubbing.
    func isSnubbing(now: SimTime, timeout: SimTime) -> Bool {
        amInterested && now - lastBlockAt > timeout && (peerChoking || !outstanding.isEmpty)
    }
}

/// Why we upload to a peer.
public enum UploadSlot: Sendable, Equatable {
    case none
    /// One of the `unchoke_slots` given by rate (tit-for-tat).
    case regular
    /// The rotating optimistic unchoke.
    case optimistic
}

/// A remote peer broke the protocol; the connection is closed with this reason.
public enum ProtocolViolation: Error, Sendable, Equatable, CustomStringConvertible {
    case wrongInfoHash
    case duplicateHandshake
    case messageBeforeHandshake
    case bitfieldSize
    case invalidBlock
    case requestForMissingPiece
    case malformedExtensionMessage

    public var description: String {
        switch self {
        case .wrongInfoHash: "handshake names another torrent"
        case .duplicateHandshake: "second handshake"
        case .messageBeforeHandshake: "message before the handshake"
        case .bitfieldSize: "bitfield of the wrong size"
        case .invalidBlock: "request or piece outside the torrent's blocks"
        case .requestForMissingPiece: "request for a piece we never announced"
        case .malformedExtensionMessage: "malformed extension message"
        }
    }
}
