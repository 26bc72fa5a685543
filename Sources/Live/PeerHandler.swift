import BitTorrent
import NIOCore

/// Bytes of one TCP connection → BitTorrent frames → the `LivePeer`. A malformed frame,
/// a wrong info-hash or an oversized length prefix closes this connection only (the
/// decoder bounds what it buffers); the reason is logged.
final class PeerHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let peer: LivePeer
    private var id: ConnectionID?
    private var decoder: WireDecoder
    private var handshakeDone = false

    /// `outgoing`: the connection we opened (already known to the client); nil for an
    /// accepted one, registered when it becomes active.
    init(peer: LivePeer, outgoing: ConnectionID?) {
        self.peer = peer
        id = outgoing
        decoder = WireDecoder(pieceCount: peer.metainfo.pieceCount, maxBlockLength: PieceLayout.standardBlockLength)
    }

    func channelActive(context: ChannelHandlerContext) {
        if id == nil {
            id = peer.accepted(context.channel)
            if id == nil { context.close(promise: nil) }
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard let id else { return }
        peer.downloadLimiter?.received(buffer.readableBytes, on: context.channel)
        decoder.append(buffer.readableBytesView)
        do {
            if !handshakeDone {
                guard let handshake = try decoder.nextHandshake() else { return }
                handshakeDone = true
                peer.received(handshake, on: id)
            }
            while let message = try decoder.next() {
                peer.received(message, on: id)
            }
        } catch {
            peer.log("\(context.remoteAddress.map { "\($0)" } ?? "peer"): \(error); closing the connection")
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let id { peer.closed(id) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        peer.log("connection error: \(error)")
        context.close(promise: nil)
    }
}
