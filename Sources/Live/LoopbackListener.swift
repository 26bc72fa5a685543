import NIOCore
import NIOPosix

/// A TCP listener on 127.0.0.1 for Live's servers (the tracker, a storage host): binds,
/// remembers the port it got (0 asks for any), and closes on `stop()`.
final class LoopbackListener: @unchecked Sendable {
    let loop: EventLoop
    private var channel: Channel?
    private(set) var port = 0

    init(loop: EventLoop) { self.loop = loop }

    /// `initialize` sets up each accepted connection's pipeline.
    func start(port: Int, initialize: @escaping @Sendable (Channel) -> EventLoopFuture<Void>) -> EventLoopFuture<Void> {
        ServerBootstrap(group: loop)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer(initialize)
            .bind(host: "127.0.0.1", port: port)
            .map { [self] channel in
                self.channel = channel
                self.port = channel.localAddress?.port ?? port
            }
    }

    func stop() -> EventLoopFuture<Void> { channel?.close() ?? loop.makeSucceededVoidFuture() }

    /// Completes when the listener has closed.
    var closed: EventLoopFuture<Void> { channel?.closeFuture ?? loop.makeSucceededVoidFuture() }
}
