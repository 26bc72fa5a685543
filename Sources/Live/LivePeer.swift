import BitTorrent
import Foundation
import NIOCore
import NIOPosix
import SimKernel

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One BitTorrent peer over real TCP: the simulator's `TorrentClient`, driven by SwiftNIO.
///
/// Everything runs on one event loop, so the client is never touched from two threads.
/// The driver turns socket bytes into client inputs (through `WireDecoder`) and client
/// actions into socket writes, timers, connections and announces; `piece` messages get
/// their real bytes from, and give them to, a `PieceStore`, which checks each completed
/// piece's SHA-1.
public final class LivePeer: @unchecked Sendable {
    public struct Configuration: Sendable {
        /// Listen on this port (0: any free port); nil: do not accept connections.
        public var listenPort: Int?
        /// Peers to connect to: what an announce answers when there is no tracker.
        public var peers: [PeerAddress]
        /// An HTTP tracker's announce URL.
        public var tracker: String?
        public var settings: ProtocolSettings

        public init(
            listenPort: Int? = nil, peers: [PeerAddress] = [], tracker: String? = nil,
            settings: ProtocolSettings = ProtocolSettings()
        ) {
            self.listenPort = listenPort
            self.peers = peers
            self.tracker = tracker
            self.settings = settings
        }
    }

    /// The `v` of our BEP 10 handshake.
    public static let clientName = "btsim 0.1"

    public let metainfo: Metainfo
    let store: PieceStore
    let configuration: Configuration
    let loop: EventLoop
    let log: @Sendable (String) -> Void
    private(set) var client: TorrentClient!
    private var channels: [ConnectionID: Channel] = [:]
    /// Blocks asked of each connection and not yet received (cancelled ones included: a
    /// block already on its way may still come). A piece outside it was never asked for.
    private var requested: [ConnectionID: Set<BlockRequest>] = [:]
    private var server: Channel?
    private let started = NIODeadline.now()
    private let startedWall = SimTime.seconds(Date().timeIntervalSince1970)
    private let finished: EventLoopPromise<Void>
    private let stopPromise: EventLoopPromise<Void>
    private var localPort = 0

    /// `isSeed`: the store holds the whole file already. `strategy`: how the peer trades
    /// (default: tit-for-tat announcing BEP 10); a Speed strategy's market must live on
    /// `loop` too, since the client calls it from there.
    public init(
        metainfo: Metainfo, store: PieceStore, isSeed: Bool, configuration: Configuration, loop: EventLoop,
        strategy: (any PeerStrategy)? = nil, log: @escaping @Sendable (String) -> Void
    ) {
        self.strategy =
            strategy ?? TitForTat(extensionHandshake: ExtensionHandshake(messages: [:], client: Self.clientName))
        self.metainfo = metainfo
        self.store = store
        self.configuration = configuration
        self.loop = loop
        self.log = log
        finished = loop.makePromise()
        stopPromise = loop.makePromise()
        self.isSeedAtStart = isSeed
    }

    private let isSeedAtStart: Bool
    private let strategy: any PeerStrategy
    /// Set by `stop()`: late connection results are then dropped quietly.
    private var stopping = false

    /// Succeeds when the whole file is here and verified (at once for a seed); fails on a
    /// piece that does not match its hash or a disk error.
    public var completion: EventLoopFuture<Void> { finished.futureResult }

    /// Succeeds once `stop()` has closed everything.
    public var stopped: EventLoopFuture<Void> { stopPromise.futureResult }

    /// The port actually listened on, once started.
    public var port: Int { localPort }

    /// Binds the listener (if any), then joins: announce, timers, connections.
    public func start() -> EventLoopFuture<Void> {
        let bind: EventLoopFuture<Void>
        if let port = configuration.listenPort {
            bind = ServerBootstrap(group: loop)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { [self] channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(PeerHandler(peer: self, outgoing: nil))
                    }
                }
                .bind(host: "127.0.0.1", port: port)
                .map { [self] channel in
                    server = channel
                    localPort = channel.localAddress?.port ?? port
                }
        } else {
            bind = loop.makeSucceededVoidFuture()
        }
        return bind.map { [self] in
            let address = PeerAddress(ipv4: 0x7F00_0001, port: UInt16(truncatingIfNeeded: localPort))
            let config = ClientConfiguration(
                infoHash: metainfo.infoHash, peerID: PeerID(azureusStyle: UInt64.random(in: 0...UInt64.max)),
                address: address, layout: metainfo.layout, settings: configuration.settings,
                startsAsSeed: isSeedAtStart)
            client = TorrentClient(
                config: config, random: RandomStream(seed: UInt64.random(in: 0...UInt64.max)),
                strategy: strategy)
            client.pieceCheck = { [store] piece in (try? store.verify(piece: piece)) ?? false }
            if isSeedAtStart { finished.succeed() }
            call { c, now, out in c.start(now: now, out: &out) }
        }
    }

    /// Leaves the swarm: tells the tracker and closes every connection.
    public func stop() -> EventLoopFuture<Void> {
        loop.submit { [self] in
            stopping = true
            if client != nil { call { c, now, out in c.stop(now: now, out: &out) } }
            finished.fail(CancellationError())
        }.flatMap { [self] in
            let closes = channels.values.map { $0.close() } + (server.map { [$0.close()] } ?? [])
            return EventLoopFuture.andAllComplete(closes, on: loop)
        }.map { [self] in stopPromise.succeed() }
    }

    /// The peer's clock: wall-clock time since the Unix epoch at start, then advancing
    /// monotonically. Peers in different processes sharing a ledger file thereby agree on
    /// the chain's block times (to within their clocks' difference).
    public var now: SimTime { startedWall + SimTime(nanoseconds: (NIODeadline.now() - started).nanoseconds) }

    /// Calls the client and carries out what it asks.
    func call(_ body: (TorrentClient, SimTime, inout [ClientAction]) -> Void) {
        loop.preconditionInEventLoop()
        var out: [ClientAction] = []
        body(client, now, &out)
        for action in out { apply(action) }
    }

    /// Opens a connection in the client and registers its channel before carrying out
    /// the client's actions, so that the handshake it sends finds the channel.
    private func open(_ channel: Channel, to address: PeerAddress, outgoing: Bool) -> ConnectionID? {
        loop.preconditionInEventLoop()
        var out: [ClientAction] = []
        let id = client.openConnection(to: address, outgoing: outgoing, now: now, out: &out)
        if let id { channels[id] = channel }
        for action in out { apply(action) }
        return id
    }

    // MARK: connections (from PeerHandler)

    func accepted(_ channel: Channel) -> ConnectionID? {
        guard client != nil, let remote = channel.remoteAddress.flatMap(PeerAddress.init(socketAddress:)) else {
            return nil
        }
        return open(channel, to: remote, outgoing: false)
    }

    func received(_ handshake: Handshake, on id: ConnectionID) {
        call { c, now, out in c.received(handshake, on: id, now: now, out: &out) }
    }

    func received(_ message: WireMessage, on id: ConnectionID) {
        if case .piece(let r, _) = message, requested[id]?.remove(r) == nil {
            log(
                "\(channels[id]?.remoteAddress.map { "\($0)" } ?? "peer"): a piece nobody asked for; closing the connection"
            )
            channels[id]?.close(promise: nil)
            return
        }
        // Only blocks outstanding on this connection reach the disk: one for a piece
        // already verified, or cancelled meanwhile, cannot overwrite good data.
        if case .piece(let r, .bytes(let bytes)) = message, bytes.count == Int(r.length),
            client.session(id)?.outstanding.contains(r) == true
        {
            do { try store.write(r, bytes) } catch { fail("\(error)") }
        }
        call { c, now, out in c.received(message, on: id, now: now, out: &out) }
    }

    func closed(_ id: ConnectionID) {
        requested[id] = nil
        guard channels.removeValue(forKey: id) != nil else { return }
        call { c, now, out in c.connectionClosed(id, now: now, out: &out) }
    }

    // MARK: actions

    private func apply(_ action: ClientAction) {
        switch action {
        case .sendHandshake(let id, let handshake):
            write(handshake.encoded(), to: id)
        case .send(let id, .piece(let r, _)):
            do {
                let bytes = try store.read(r)
                write(WireMessage.piece(r, .bytes(bytes)).encoded(), to: id) { [self] in
                    call { c, now, out in c.blockSent(on: id, now: now, out: &out) }
                }
            } catch {
                fail("\(error)")
            }
        case .send(let id, let message):
            if case .request(let r) = message { requested[id, default: []].insert(r) }
            write(message.encoded(), to: id)
        case .close(let id, let reason):
            log("closing a connection: \(reason)")
            channels.removeValue(forKey: id)?.close(promise: nil)
        case .connect(let address):
            connect(address)
        case .announce(let event):
            announce(event)
        case .setTimer(let timer, let at):
            let delay = max(0, at.nanoseconds - now.nanoseconds)
            loop.scheduleTask(in: .nanoseconds(delay)) { [self] in
                call { c, now, out in c.timerFired(timer, now: now, out: &out) }
            }
        case .pieceCompleted:
            break
        case .pieceFailed(let piece):
            log("piece \(piece) does not match its SHA-1; requesting it again")
        case .downloadCompleted:
            store.synchronize()
            finished.succeed()
        }
    }

    private func write(_ bytes: [UInt8], to id: ConnectionID, then: (@Sendable () -> Void)? = nil) {
        guard let channel = channels[id] else { return }
        let future = channel.writeAndFlush(channel.allocator.buffer(bytes: bytes))
        if let then { future.whenSuccess { _ in then() } }
    }

    private func connect(_ address: PeerAddress) {
        ClientBootstrap(group: loop)
            .connectTimeout(.seconds(5))
            .connect(host: address.host, port: Int(address.port))
            .whenComplete { [self] result in
                guard !stopping else {
                    if case .success(let channel) = result { channel.close(promise: nil) }
                    return
                }
                switch result {
                case .success(let channel):
                    guard let id = open(channel, to: address, outgoing: true) else {
                        channel.close(promise: nil)
                        return
                    }
                    try? channel.pipeline.syncOperations.addHandler(PeerHandler(peer: self, outgoing: id))
                case .failure(let error):
                    log("cannot connect to \(address): \(error)")
                    call { c, now, out in c.connectFailed(to: address, now: now, out: &out) }
                }
            }
    }

    /// Asks the HTTP tracker, if there is one; the fixed peers answer otherwise (and are
    /// added to what the tracker gives).
    private func announce(_ event: AnnounceEvent) {
        let fixed = configuration.peers
        guard let tracker = configuration.tracker else {
            guard event != .stopped else { return }
            loop.execute { [self] in respond(AnnounceResponse(peers: fixed, complete: 0, incomplete: 0)) }
            return
        }
        let query = HTTPAnnounce.Query(
            infoHash: metainfo.infoHash, peerID: client.config.peerID, port: UInt16(truncatingIfNeeded: localPort),
            left: client.bytesLeft, event: event, numwant: configuration.settings.numwant)
        guard let url = URL(string: tracker + (tracker.contains("?") ? "&" : "?") + query.queryString) else {
            log("tracker: bad URL \(tracker)")
            return
        }
        URLSession.shared.dataTask(with: url) { [self] data, _, error in
            loop.execute { [self] in
                guard event != .stopped else { return }
                do {
                    guard let data else { throw LiveError(description: "\(error.map { "\($0)" } ?? "no answer")") }
                    var response = try HTTPAnnounce.decode(Array(data))
                    response.peers += fixed
                    respond(response)
                } catch {
                    log("tracker \(tracker): \(error)")
                    respond(AnnounceResponse(peers: fixed, complete: 0, incomplete: 0))
                }
            }
        }.resume()
    }

    private func respond(_ response: AnnounceResponse) {
        guard client != nil else { return }
        call { c, now, out in c.trackerResponded(response, now: now, out: &out) }
    }

    private func fail(_ reason: String) {
        log("error: \(reason)")
        finished.fail(LiveError(description: reason))
    }
}

public struct LiveError: Error, CustomStringConvertible {
    public let description: String
}

extension PeerAddress {
    init?(socketAddress: SocketAddress) {
        guard case .v4(let v4) = socketAddress, let port = socketAddress.port else { return nil }
        self.init(ipv4: UInt32(bigEndian: v4.address.sin_addr.s_addr), port: UInt16(port))
    }

    /// Dotted-quad text, for connecting.
    var host: String {
        "\(ipv4 >> 24).\(ipv4 >> 16 & 0xFF).\(ipv4 >> 8 & 0xFF).\(ipv4 & 0xFF)"
    }
}
