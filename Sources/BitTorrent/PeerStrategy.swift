import SimKernel

/// How a peer trades (docs/model.md, "Strategies and BitTorrent Speed"): who gets its upload slots, whether a block may go
/// out, and what it says beyond BEP 3. The client calls these hooks at fixed points;
/// every requirement has a default that is plain BitTorrent, so a strategy states only
/// where it differs (like libtorrent's choking algorithms, policy is a plug-in, not a
/// fork of the client).
///
/// A strategy object belongs to one client and may keep per-connection state; the
/// client passes itself to every hook so the strategy can read sessions and send messages.
public protocol PeerStrategy: AnyObject {
    /// False for a peer that never unchokes anyone (a free-rider).
    var uploads: Bool { get }

    /// The BEP 10 handshake to send on every connection whose remote speaks BEP 10; nil
    /// when the strategy has no extension messages (nothing is sent).
    func extensionHandshake(client: TorrentClient) -> ExtensionHandshake?

    /// Sorts `candidates` (interested, not optimistically unchoked) best first and returns
    /// how many of the first get a regular slot.
    func rankRegular(
        _ candidates: inout [ChokeCandidate], slots: Int, client: TorrentClient, now: SimTime,
        out: inout [ClientAction]
    ) -> Int

    /// How the uplink is shared among the connections we upload to; `perConnection`
    /// unless the strategy decides it itself.
    var uploadScheduling: UploadScheduling { get }

    /// Under `strategyChooses`: the connection whose first queued block goes out next,
    /// among `candidates` (connections we unchoke that have a request waiting, in slot
    /// order); nil sends nothing until a request arrives, a block is sent or the client
    /// is told `resumeUpload`.
    func nextUpload(among candidates: [ConnectionID], client: TorrentClient) -> ConnectionID?

    /// `block` is about to go out on `id`; false holds it (and the queue behind it) until
    /// the client is told `resumeUpload`. A true answer commits the block.
    func admitUpload(_ block: BlockRequest, on id: ConnectionID, client: TorrentClient) -> Bool

    /// A block arrived on `id` (duplicates too: they were delivered).
    func downloaded(
        _ block: BlockRequest, on id: ConnectionID, client: TorrentClient, now: SimTime, out: inout [ClientAction])

    /// Our interest in the remote on `id` changed.
    func interestChanged(on id: ConnectionID, client: TorrentClient, now: SimTime, out: inout [ClientAction])

    /// The remote's BEP 10 handshake arrived.
    func received(
        _ handshake: ExtensionHandshake, on id: ConnectionID, client: TorrentClient, now: SimTime,
        out: inout [ClientAction])

    /// An extension message arrived under one of our ids; throwing closes the connection.
    func received(
        extension message: UInt8, payload: [UInt8], on id: ConnectionID, client: TorrentClient, now: SimTime,
        out: inout [ClientAction]) throws(ProtocolViolation)

    /// The connection is gone (either side closed it).
    func connectionClosed(_ id: ConnectionID, client: TorrentClient, now: SimTime)

    /// The last piece arrived.
    func downloadCompleted(client: TorrentClient, now: SimTime, out: inout [ClientAction])

    /// A rechoke round begins (every `rechoke_interval`), before the slots are ranked.
    func roundStarted(client: TorrentClient, now: SimTime, out: inout [ClientAction])
}

extension PeerStrategy {
    public var uploads: Bool { true }
    public func extensionHandshake(client: TorrentClient) -> ExtensionHandshake? { nil }
    public func rankRegular(
        _ candidates: inout [ChokeCandidate], slots: Int, client: TorrentClient, now: SimTime,
        out: inout [ClientAction]
    ) -> Int {
        Choker.rankRegular(&candidates, slots: slots)
    }
    public var uploadScheduling: UploadScheduling { .perConnection }
    public func nextUpload(among candidates: [ConnectionID], client: TorrentClient) -> ConnectionID? {
        candidates.first
    }
    public func admitUpload(_ block: BlockRequest, on id: ConnectionID, client: TorrentClient) -> Bool { true }
    public func downloaded(
        _ block: BlockRequest, on id: ConnectionID, client: TorrentClient, now: SimTime, out: inout [ClientAction]
    ) {}
    public func interestChanged(on id: ConnectionID, client: TorrentClient, now: SimTime, out: inout [ClientAction]) {}
    public func received(
        _ handshake: ExtensionHandshake, on id: ConnectionID, client: TorrentClient, now: SimTime,
        out: inout [ClientAction]
    ) {}
    public func received(
        extension message: UInt8, payload: [UInt8], on id: ConnectionID, client: TorrentClient, now: SimTime,
        out: inout [ClientAction]
    ) throws(ProtocolViolation) {}
    public func connectionClosed(_ id: ConnectionID, client: TorrentClient, now: SimTime) {}
    public func downloadCompleted(client: TorrentClient, now: SimTime, out: inout [ClientAction]) {}
    public func roundStarted(client: TorrentClient, now: SimTime, out: inout [ClientAction]) {}
}

/// How a peer's uplink is shared among the connections it uploads to
/// (`TorrentClient+Uploading.swift`).
public enum UploadScheduling: Sendable {
    /// Each connection sends on its own and the transport shares the uplink equally among
    /// them: what every standard client does.
    case perConnection
    /// One block in the transport for the whole peer; the strategy's `nextUpload` picks
    /// whose goes next.
    case strategyChooses
}
