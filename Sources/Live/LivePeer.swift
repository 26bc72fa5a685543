import BitTorrent
import Foundation
import NIOCore
import NIOPosix
import SimKernel

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
        /// The IPv4 address to listen on (0.0.0.0: every interface).
        public var listenAddress: UInt32
        /// Peers to connect to: what an announce answers when there is no tracker.
        public var peers: [PeerAddress]
        /// An HTTP tracker's announce URL.
        public var tracker: String?
        public var settings: ProtocolSettings
        /// Called on the peer's event loop with each decision the peer makes (a trace).
        public var events: (@Sendable (PeerEvent) -> Void)?
        /// Message stream encryption, dialing and accepting.
        public var encryption: EncryptionPolicy
        /// Token buckets on piece data sent and on bytes read, in bytes per second (nil: none).
        public var maxUploadRate: Double?
        public var maxDownloadRate: Double?

        public init(
            listenPort: Int? = nil, listenAddress: UInt32 = 0x7F00_0001, peers: [PeerAddress] = [],
            tracker: String? = nil, settings: ProtocolSettings = ProtocolSettings(),
            events: (@Sendable (PeerEvent) -> Void)? = nil, encryption: EncryptionPolicy = .offer,
            maxUploadRate: Double? = nil, maxDownloadRate: Double? = nil
        ) {
            self.encryption = encryption
            self.maxUploadRate = maxUploadRate
            self.maxDownloadRate = maxDownloadRate
            self.listenPort = listenPort
            self.listenAddress = listenAddress
            self.peers = peers
            self.tracker = tracker
            self.settings = settings
            self.events = events
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
    /// Blocks asked of each connection and not yet received, with how many times each was
    /// asked (cancelled and rejected ones included: a block already on its way may still
    /// come). A block asked again after a choke or a reject may come twice, and both are
    /// answers; a piece beyond the count was never asked for.
    private var requested: [ConnectionID: [BlockRequest: Int]] = [:]
    private var server: Channel?
    /// The one pending task per client timer: re-arming cancels the one it replaces.
    private var timers = [Scheduled<Void>?](repeating: nil, count: ClientTimer.allCases.count)
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
        uploadLimiter = configuration.maxUploadRate.map { UploadLimiter(bytesPerSecond: $0, loop: loop) }
        downloadLimiter = configuration.maxDownloadRate.map { DownloadLimiter(bytesPerSecond: $0, loop: loop) }
        self.isSeedAtStart = isSeed
    }

    private let isSeedAtStart: Bool
    private let strategy: any PeerStrategy
    /// Every peer's disk work, on one thread in the order it was queued, off the event
    /// loop: block writes and piece hashes (issue 21's "off the loop"). First in, first
    /// out is what makes a piece's blocks reach the disk before the piece is hashed.
    /// Process-wide and never shut down, like NIO's own singleton pools.
    static let disk: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        return pool
    }()

    /// Set by `stop()`: late connection results are then dropped quietly.
    private(set) var stopping = false
    let uploadLimiter: UploadLimiter?
    let downloadLimiter: DownloadLimiter?
    /// Peers whose end closed our encryption handshake: dialed plain from then on.
    var plainOnly: Set<PeerAddress> = []

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
                    channel.eventLoop.makeCompletedFuture { try setUpIncoming(channel) }
                }
                .bind(host: PeerAddress(ipv4: configuration.listenAddress, port: 0).host, port: port)
                .map { [self] channel in
                    server = channel
                    localPort = channel.localAddress?.port ?? port
                }
        } else {
            bind = loop.makeSucceededVoidFuture()
        }
        return bind.map { [self] in
            // Our own address, which the client never dials: on every interface, loopback's.
            let own = configuration.listenAddress == 0 ? 0x7F00_0001 : configuration.listenAddress
            let address = PeerAddress(ipv4: own, port: UInt16(truncatingIfNeeded: localPort))
            let config = ClientConfiguration(
                infoHash: metainfo.infoHash, peerID: PeerID(azureusStyle: UInt64.random(in: 0...UInt64.max)),
                address: address, layout: metainfo.layout, settings: configuration.settings,
                startsAsSeed: isSeedAtStart)
            client = TorrentClient(
                config: config, random: SystemRandomSource(),
                strategy: strategy)
            client.checksPieces = true
            if let events = configuration.events {
                // The client reports its decisions; the trace stamps them with the time of
                // the call they were made in. Unowned: the peer owns the client.
                client.trace = { [unowned self] kind, peer in
                    events(PeerEvent(t: (callTime - startedWall).seconds, kind: kind, peer: peer))
                }
            }
            if isSeedAtStart { finished.succeed() }
            call { c, now, out in c.start(now: now, out: &out) }
        }
    }

    /// Leaves the swarm: tells the tracker and closes every connection.
    public func stop() -> EventLoopFuture<Void> {
        loop.submit { [self] in
            stopping = true
            if client != nil { call { c, now, out in c.stop(now: now, out: &out) } }
            for timer in timers { timer?.cancel() }
            uploadLimiter?.stop()
            finished.fail(CancellationError())
        }.flatMap { [self] in
            let closes = channels.values.map { $0.close() } + (server.map { [$0.close()] } ?? [])
            return EventLoopFuture.andAllComplete(closes, on: loop)
        }.map { [self] in stopPromise.succeed() }
    }

    /// The wall-clock time (since the Unix epoch) the trace's `t` counts from: the peer's
    /// creation.
    public var traceEpoch: SimTime { startedWall }

    /// The peer's clock: wall-clock time since the Unix epoch at start, then advancing
    /// monotonically. Peers in different processes sharing a ledger file thereby agree on
    /// the chain's block times (to within their clocks' difference).
    public var now: SimTime { startedWall + SimTime(nanoseconds: (NIODeadline.now() - started).nanoseconds) }

    /// Calls the client and carries out what it asks; the client and the trace see one
    /// `now` for the whole call.
    func call(_ body: (TorrentClient, SimTime, inout [ClientAction]) -> Void) {
        loop.preconditionInEventLoop()
        var out: [ClientAction] = []
        let now = self.now
        callTime = now
        body(client, now, &out)
        for action in out { apply(action, at: now) }
    }

    /// The `now` of the client call in progress, for the trace.
    private var callTime = SimTime.zero

    /// Opens a connection in the client and registers its channel before carrying out
    /// the client's actions, so that the handshake it sends finds the channel.
    func open(_ channel: Channel, to address: PeerAddress, outgoing: Bool) -> ConnectionID? {
        loop.preconditionInEventLoop()
        var out: [ClientAction] = []
        let now = self.now
        callTime = now
        let id = client.openConnection(to: address, outgoing: outgoing, now: now, out: &out)
        if let id { channels[id] = channel }
        for action in out { apply(action, at: now) }
        return id
    }

    // MARK: connections (from PeerHandler)

    func accepted(_ channel: Channel) -> ConnectionID? {
        guard client != nil, let remote = channel.remotePeer else {
            return nil
        }
        return open(channel, to: remote, outgoing: false)
    }

    func received(_ handshake: Handshake, on id: ConnectionID) {
        call { c, now, out in c.received(handshake, on: id, now: now, out: &out) }
    }

    func received(_ message: WireMessage, on id: ConnectionID) {
        if case .piece(let r, _) = message, !answered(r, on: id) {
            log(
                "\(channels[id]?.remoteAddress.map { "\($0)" } ?? "peer"): a piece nobody asked for; closing the connection"
            )
            channels[id]?.close(promise: nil)
            return
        }
        // Exactly the blocks the client will count reach the disk: one for a piece already
        // verified cannot overwrite good data, and one the client counts (a block a choke
        // overtook, no longer outstanding anywhere) is never missing from the piece checked.
        if case .piece(let r, .bytes(let bytes)) = message, bytes.count == Int(r.length),
            client.needsBlock(r, on: id)
        {
            // No future per block: the loop hears back only when a write fails.
            let store = self.store
            Self.disk.submit { [self] _ in
                do { try store.write(r, bytes) } catch { loop.execute { self.fail("\(error)") } }
            }
        }
        call { c, now, out in c.received(message, on: id, now: now, out: &out) }
    }

    /// Counts off one request for `r` on `id`; false if none was left to answer.
    private func answered(_ r: BlockRequest, on id: ConnectionID) -> Bool {
        guard let count = requested[id]?[r] else { return false }
        requested[id]?[r] = count > 1 ? count - 1 : nil
        return true
    }

    func closed(_ id: ConnectionID) {
        requested[id] = nil
        guard channels.removeValue(forKey: id) != nil else { return }
        call { c, now, out in c.connectionClosed(id, now: now, out: &out) }
    }

    // MARK: actions

    private func apply(_ action: ClientAction, at now: SimTime) {
        switch action {
        case .sendHandshake(let id, let handshake):
            write(handshake.encoded(), to: id)
        case .send(let id, .piece(let r, _)):
            do {
                let frame = WireMessage.piece(r, .bytes(try store.read(r))).encoded()
                let send = { [self] in
                    write(frame, to: id) { [self] in call { c, now, out in c.blockSent(on: id, now: now, out: &out) } }
                }
                if let uploadLimiter { uploadLimiter.submit(frame.count, send) } else { send() }
            } catch {
                fail("\(error)")
            }
        case .send(let id, let message):
            if case .request(let r) = message { requested[id, default: [:]][r, default: 0] += 1 }
            write(message.encoded(), to: id)
        case .close(let id, let reason):
            log("closing a connection: \(reason)")
            channels.removeValue(forKey: id)?.close(promise: nil)
        case .connect(let address):
            connect(address)
        case .announce(let event):
            announce(event)
        case .setTimer(let timer, let deadline):
            arm(timer, at: deadline, now: now)
        case .checkPiece(let piece):
            let store = self.store
            Self.disk.runIfActive(eventLoop: loop) { try store.verify(piece: piece) }
                .whenComplete { [self] result in
                    guard !stopping else { return }
                    switch result {
                    case .success(let passed):
                        call { c, now, out in c.pieceChecked(piece, passed: passed, now: now, out: &out) }
                    case .failure(let error):
                        fail("\(error)")
                    }
                }
        case .pieceCompleted:
            break
        case .blockClaimed, .blockReleased, .blockStored:
            break  // a Live peer is one identity: it never sets `sharesBlocks`
        case .pieceFailed(let piece):
            log("piece \(piece) does not match its SHA-1; requesting it again")
        case .downloadCompleted:
            let store = self.store
            Self.disk.runIfActive(eventLoop: loop) { store.synchronize() }
                .whenComplete { [self] _ in finished.succeed() }
        }
    }

    /// The timer rule's driver side (`TorrentClient.timerFired`): fire no earlier than the
    /// deadline and hand the deadline back with the time of firing. The task a re-arm
    /// replaces is cancelled; were it to run anyway, the client would ignore it.
    private func arm(_ timer: ClientTimer, at deadline: SimTime, now: SimTime) {
        guard !stopping else { return }
        timers[timer.rawValue]?.cancel()
        let delay = max(0, deadline.nanoseconds &- now.nanoseconds)
        timers[timer.rawValue] = loop.scheduleTask(in: .nanoseconds(delay)) { [self] in
            timers[timer.rawValue] = nil
            call { c, now, out in c.timerFired(timer, deadline: deadline, now: now, out: &out) }
        }
    }

    private func write(_ bytes: [UInt8], to id: ConnectionID, then: (@Sendable () -> Void)? = nil) {
        guard let channel = channels[id] else { return }
        let future = channel.writeAndFlush(channel.allocator.buffer(bytes: bytes))
        if let then { future.whenSuccess { _ in then() } }
    }

    /// Asks the HTTP(S) tracker, if there is one; the fixed peers answer otherwise (and are
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
        let url = tracker + (tracker.contains("?") ? "&" : "?") + query.queryString
        TrackerClient.announce(url, on: event == .stopped ? nil : loop) { [self] result in
            switch result {
            case .success(var response):
                response.peers += fixed
                respond(response)
            case .failure(let error):
                log("tracker \(tracker): \(error)")
                respond(AnnounceResponse(peers: fixed, complete: 0, incomplete: 0))
            }
        }
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

extension Channel {
    /// The remote end as a peer address; nil for anything but IPv4.
    var remotePeer: PeerAddress? { remoteAddress.flatMap(PeerAddress.init(socketAddress:)) }
}

extension PeerAddress {
    init?(socketAddress: SocketAddress) {
        guard case .v4(let v4) = socketAddress, let port = socketAddress.port else { return nil }
        self.init(ipv4: UInt32(bigEndian: v4.address.sin_addr.s_addr), port: UInt16(port))
    }

    /// Dotted-quad text, for connecting and binding.
    public var host: String {
        "\(ipv4 >> 24).\(ipv4 >> 16 & 0xFF).\(ipv4 >> 8 & 0xFF).\(ipv4 & 0xFF)"
    }
}
