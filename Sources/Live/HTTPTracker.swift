import BitTorrent
import NIOCore
import NIOHTTP1
import NIOPosix
import SimKernel

/// `btsim live tracker`: an HTTP tracker speaking the real announce protocol (BEP 3 with
/// BEP 23 compact peer lists), for btsim peers and real clients alike. The swarm logic is
/// the simulator's `Tracker`, one per info-hash.
public final class HTTPTracker: @unchecked Sendable {
    let loop: EventLoop
    let interval: Int
    private var swarms: [InfoHash: Tracker] = [:]
    private var announces: [InfoHash: Int] = [:]
    private let random = SystemRandomSource()
    private let listener: LoopbackListener

    public init(loop: EventLoop, interval: Int = 1800) {
        self.loop = loop
        self.interval = interval
        listener = LoopbackListener(loop: loop)
    }

    public var port: Int { listener.port }

    public func start(port: Int) -> EventLoopFuture<Void> {
        listener.start(port: port) { [self] channel in
            channel.pipeline.configureHTTPServerPipeline().flatMapThrowing {
                try channel.pipeline.syncOperations.addHandler(AnnounceHandler(tracker: self))
            }
        }
    }

    public func stop() -> EventLoopFuture<Void> { listener.stop() }

    /// Completes when the listener has closed.
    public var closed: EventLoopFuture<Void> { listener.closed }

    /// How many peers the tracker lists for `infoHash`, e.g. to wait until a seed announced.
    public func peerCount(of infoHash: InfoHash) -> EventLoopFuture<Int> {
        loop.submit { self.swarms[infoHash]?.count ?? 0 }
    }

    /// How many announces the tracker has answered for `infoHash`, every event counted.
    public func announceCount(of infoHash: InfoHash) -> EventLoopFuture<Int> {
        loop.submit { self.announces[infoHash] ?? 0 }
    }

    /// The answer to one request: its path and query, from `remote`.
    func respond(uri: String, remote: SocketAddress?) -> (status: HTTPResponseStatus, body: [UInt8]) {
        loop.preconditionInEventLoop()
        let parts = uri.split(separator: "?", maxSplits: 1)
        guard parts.first == "/announce" else { return (.notFound, HTTPAnnounce.failure("unknown path")) }
        guard parts.count == 2, let query = HTTPAnnounce.Query(queryString: String(parts[1])) else {
            return (.ok, HTTPAnnounce.failure("malformed announce"))
        }
        guard case .v4(let v4) = remote else { return (.ok, HTTPAnnounce.failure("IPv4 only")) }
        let address = PeerAddress(ipv4: UInt32(bigEndian: v4.address.sin_addr.s_addr), port: query.port)
        let request = AnnounceRequest(address: address, event: query.event, numwant: query.numwant, left: query.left)
        let response = swarms[query.infoHash, default: Tracker()].announce(request, random: random)
        announces[query.infoHash, default: 0] &+= 1
        return (.ok, HTTPAnnounce.encode(response, interval: interval))
    }
}

private final class AnnounceHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let tracker: HTTPTracker
    private var uri: String?

    init(tracker: HTTPTracker) { self.tracker = tracker }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): uri = head.uri
        case .body: break
        case .end:
            let (status, body) = tracker.respond(uri: uri ?? "", remote: context.remoteAddress)
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/plain")
            headers.add(name: "Content-Length", value: "\(body.count)")
            headers.add(name: "Connection", value: "close")
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                promise: nil)
            context.write(
                wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
