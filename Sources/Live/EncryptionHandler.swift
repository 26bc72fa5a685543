import BitTorrent
import NIOCore

/// The first handler of a peer connection: runs the encryption handshake
/// (`MSEHandshake`), then encrypts and decrypts every byte if RC4 was chosen, or lets them
/// pass. What the BitTorrent side writes before the handshake is done waits here, so the
/// client never knows whether its connection is encrypted.
///
/// A responder first looks at the opening bytes: a plain BitTorrent handshake passes
/// through untouched (unless the policy requires encryption).
final class EncryptionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// An encryption handshake not done within this long is given up (libtorrent's
    /// handshake timeout); a plain-only client usually closes at once instead.
    static let timeout = TimeAmount.seconds(10)

    private enum State {
        /// A responder that has not yet seen enough bytes to tell plain from encrypted.
        case detecting([UInt8])
        case handshaking(MSEHandshake)
        case encrypted(inbound: RC4Stream, outbound: RC4Stream)
        case passing
        case failed
    }

    private var state: State
    private let policy: EncryptionPolicy
    private let infoHash: InfoHash
    private var pending: [(ByteBuffer, EventLoopPromise<Void>?)] = []
    private var deadline: Scheduled<Void>?
    private var reported = false
    /// Called once, on the loop, when the stream is ready (nil: a plain handshake came in).
    private let established: (ChannelHandlerContext, MSEMethods?) -> Void
    /// Called at most once, never after `established`, with why the handshake failed.
    private let failed: (String) -> Void

    /// `initiator`: we dialed, offering `policy.offered` (which must not be nil).
    init(
        initiator: Bool, infoHash: InfoHash, policy: EncryptionPolicy,
        established: @escaping (ChannelHandlerContext, MSEMethods?) -> Void, failed: @escaping (String) -> Void
    ) {
        self.policy = policy
        self.infoHash = infoHash
        self.established = established
        self.failed = failed
        if initiator, let offered = policy.offered, let keys = DiffieHellman768() {
            state = .handshaking(
                MSEHandshake(
                    initiator: infoHash, offering: offered, keys: keys, padding: MSEHandshake.randomPadding()))
        } else if initiator {
            state = .failed
        } else {
            state = .detecting([])
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        switch state {
        case .handshaking(let handshake):
            context.writeAndFlush(
                wrapOutboundOut(context.channel.allocator.buffer(bytes: handshake.opening())), promise: nil)
        case .failed:
            fail(context, "libgcrypt is unavailable, so no encryption handshake can be made")
            return
        default:
            break
        }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: Self.timeout) {
            let (handler, context) = bound.value
            handler.fail(context, "no encryption handshake within \(Self.timeout.nanoseconds / 1_000_000_000) s")
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        switch state {
        case .passing:
            context.fireChannelRead(data)
        case .encrypted(let inbound, _):
            buffer.withUnsafeMutableReadableBytes { inbound.apply($0) }
            context.fireChannelRead(wrapInboundOut(buffer))
        case .detecting(var seen):
            seen += buffer.readableBytesView
            detect(context, seen)
        case .handshaking(let handshake):
            advance(context, handshake, with: Array(buffer.readableBytesView))
        case .failed:
            break
        }
    }

    private func advance(_ context: ChannelHandlerContext, _ handshake: MSEHandshake, with bytes: [UInt8]) {
        var handshake = handshake
        state = .failed  // while the handshake value is out of `state`
        do {
            let (send, outcome) = try handshake.receive(bytes)
            if !send.isEmpty {
                context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: send)), promise: nil)
            }
            guard let outcome else {
                state = .handshaking(handshake)
                return
            }
            if let inbound = outcome.inbound, let outbound = outcome.outbound {
                state = .encrypted(inbound: inbound, outbound: outbound)
            } else {
                state = .passing
            }
            ready(context, method: outcome.method, payload: outcome.payload)
        } catch {
            fail(context, error.description)
        }
    }

    /// A responder's first bytes: a plain handshake's prefix waits for more, a whole one
    /// passes, anything else starts an encryption handshake.
    private func detect(_ context: ChannelHandlerContext, _ seen: [UInt8]) {
        let plain = [UInt8(Handshake.protocolName.count)] + Handshake.protocolName
        let compared = min(seen.count, plain.count)
        if seen[..<compared].elementsEqual(plain[..<compared]) {
            guard compared == plain.count else {
                state = .detecting(seen)
                return
            }
            guard policy.acceptsPlainHandshake else {
                fail(context, "a plain handshake, but this peer requires encryption")
                return
            }
            state = .passing
            ready(context, method: nil, payload: seen)
            return
        }
        guard !policy.accepted.isEmpty else {
            fail(context, "not a BitTorrent handshake, and this peer answers no encryption handshake (plain only)")
            return
        }
        guard let keys = DiffieHellman768() else {
            fail(context, "libgcrypt is unavailable, so no encryption handshake can be answered")
            return
        }
        let handshake = MSEHandshake(
            responder: infoHash, accepting: policy.accepted, preferred: .rc4, keys: keys,
            padding: MSEHandshake.randomPadding())
        advance(context, handshake, with: seen)
    }

    /// The stream is ready: whoever waits is told, what waited is written, and what came
    /// with the handshake goes on to the BitTorrent side.
    private func ready(_ context: ChannelHandlerContext, method: MSEMethods?, payload: [UInt8]) {
        deadline?.cancel()
        deadline = nil
        established(context, method)
        let waiting = pending
        pending = []
        for (buffer, promise) in waiting { send(context, buffer, promise: promise) }
        if !waiting.isEmpty { context.flush() }
        if !payload.isEmpty {
            context.fireChannelRead(wrapInboundOut(context.channel.allocator.buffer(bytes: payload)))
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        send(context, unwrapOutboundIn(data), promise: promise)
    }

    private func send(_ context: ChannelHandlerContext, _ buffer: ByteBuffer, promise: EventLoopPromise<Void>?) {
        var buffer = buffer
        switch state {
        case .passing:
            context.write(wrapOutboundOut(buffer), promise: promise)
        case .encrypted(_, let outbound):
            buffer.withUnsafeMutableReadableBytes { outbound.apply($0) }
            context.write(wrapOutboundOut(buffer), promise: promise)
        case .detecting, .handshaking:
            pending.append((buffer, promise))
        case .failed:
            promise?.fail(ChannelError.ioOnClosedChannel)
        }
    }

    func flush(context: ChannelHandlerContext) {
        switch state {
        case .passing, .encrypted: context.flush()
        default: break  // flushed when the handshake is done
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        switch state {
        case .detecting, .handshaking: fail(context, "the connection closed during the encryption handshake")
        default: break
        }
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        failPending()
    }

    private func fail(_ context: ChannelHandlerContext, _ reason: String) {
        switch state {
        case .passing, .encrypted: return
        case .failed, .detecting, .handshaking: break
        }
        state = .failed
        deadline?.cancel()
        deadline = nil
        failPending()
        if !reported {
            reported = true
            failed(reason)
        }
        context.close(promise: nil)
    }

    private func failPending() {
        let waiting = pending
        pending = []
        for (_, promise) in waiting { promise?.fail(ChannelError.ioOnClosedChannel) }
    }
}
