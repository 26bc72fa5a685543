import NIOCore
import NIOPosix
import Storage

/// A renter challenging one host over TCP: sends every challenge, then waits for one reply
/// each (in order). A host that closes early, sends garbage or stays silent past `timeout`
/// fails the whole exchange — a renter counts each unanswered challenge as failed.
public enum ProofClient {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        /// Whether the challenges reached the host (their nonces are spent) or not (the
        /// connection failed: the renter may ask them again).
        public let delivered: Bool
    }

    public static func ask(
        _ challenges: [StorageChallenge], chunkSize: Int, host: String, port: Int, on loop: EventLoop,
        timeout: TimeAmount = .seconds(10)
    ) -> EventLoopFuture<[ProofWire.Reply]> {
        let exchange = Exchange(expected: challenges.count, promise: loop.makePromise())
        let timer = loop.scheduleTask(in: timeout) {
            exchange.fail("\(host):\(port): no answer within \(timeout.nanoseconds / 1_000_000_000) s")
        }
        exchange.promise.futureResult.whenComplete { _ in timer.cancel() }
        ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ReplyCollector(exchange: exchange))
                }
            }
            .connect(host: host, port: port)
            .whenComplete { result in
                switch result {
                case .failure(let error):
                    exchange.fail("\(host):\(port): \(error)")
                case .success(let channel):
                    let bytes = challenges.flatMap { ProofWire.encode($0, chunkSize: chunkSize) }
                    exchange.delivered = true
                    channel.writeAndFlush(channel.allocator.buffer(bytes: bytes), promise: nil)
                    exchange.promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
                }
            }
        return exchange.promise.futureResult
    }
}

/// One exchange's replies so far; completes its promise once, whatever comes first (all
/// replies, a close, garbage, the timeout). Used on its event loop only.
private final class Exchange: @unchecked Sendable {
    let expected: Int
    let promise: EventLoopPromise<[ProofWire.Reply]>
    var replies: [ProofWire.Reply] = []
    var delivered = false
    private var done = false

    init(expected: Int, promise: EventLoopPromise<[ProofWire.Reply]>) {
        self.expected = expected
        self.promise = promise
        if expected == 0 { succeed() }
    }

    func succeed() {
        guard !done else { return }
        done = true
        promise.succeed(replies)
    }

    func fail(_ why: String) {
        guard !done else { return }
        done = true
        promise.fail(ProofClient.Failure(description: why, delivered: delivered))
    }
}

private final class ReplyCollector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let exchange: Exchange
    private var buffer: [UInt8] = []

    init(exchange: Exchange) { self.exchange = exchange }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        buffer += unwrapInboundIn(data).readableBytesView
        do {
            while exchange.replies.count < exchange.expected, let body = try ProofWire.nextFrame(&buffer) {
                exchange.replies.append(try ProofWire.reply(body))
            }
        } catch {
            exchange.fail("the host sent \(error)")
            return
        }
        if exchange.replies.count == exchange.expected { exchange.succeed() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        exchange.fail("the host closed after \(exchange.replies.count) of \(exchange.expected) replies")
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) { exchange.fail("\(error)") }
}
