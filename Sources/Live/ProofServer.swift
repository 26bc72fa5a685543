import NIOCore
import NIOPosix
import Storage

/// `btsim live host`: a BTFS storage host answering proof-of-storage challenges over TCP
/// from the shard files in its directory (`ProofWire` framing). A malformed message closes
/// that connection only.
public final class ProofServer: @unchecked Sendable {
    let loop: EventLoop
    let shards: ShardDirectory
    private let listener: LoopbackListener
    /// Challenges answered with a proof (right or wrong: only the renter knows), and
    /// those the host could not answer.
    public private(set) var answered = 0
    public private(set) var unanswered = 0
    let log: @Sendable (String) -> Void

    public init(loop: EventLoop, shards: ShardDirectory, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.loop = loop
        self.shards = shards
        self.log = log
        listener = LoopbackListener(loop: loop)
    }

    public var port: Int { listener.port }

    public func start(port: Int) -> EventLoopFuture<Void> {
        listener.start(port: port) { [self] channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(ProofHandler(server: self))
            }
        }
    }

    public func stop() -> EventLoopFuture<Void> { listener.stop() }

    /// Completes when the listener has closed.
    public var closed: EventLoopFuture<Void> { listener.closed }

    func answer(_ challenge: StorageChallenge, chunkSize: Int) -> ProofWire.Reply {
        loop.preconditionInEventLoop()
        let reply = shards.answer(challenge, chunkSize: chunkSize)
        switch reply {
        case .proof: answered += 1
        case .failure(let why):
            unanswered += 1
            log("challenge for shard \(challenge.shard) chunk \(challenge.chunk): \(why)")
        }
        return reply
    }
}

private final class ProofHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let server: ProofServer
    private var buffer: [UInt8] = []

    init(server: ProofServer) { self.server = server }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        buffer += unwrapInboundIn(data).readableBytesView
        do {
            while let body = try ProofWire.nextFrame(&buffer) {
                let (challenge, chunkSize) = try ProofWire.challenge(body)
                let reply = ProofWire.encode(server.answer(challenge, chunkSize: chunkSize))
                context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: reply)), promise: nil)
            }
            context.flush()
        } catch {
            server.log("\(context.remoteAddress.map { "\($0)" } ?? "renter"): \(error); closing the connection")
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) { context.close(promise: nil) }
}
