import BitTorrent
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import Live

/// The tracker client on SwiftNIO: a real tracker's answer is decoded; an oversized body,
/// an HTTP error, garbage and a bad URL are each an error the peer logs, never a trap.
@Suite(.serialized) struct TrackerClientTests {
    /// Answers every connection with `response` once the request has arrived.
    final class CannedServer: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        let response: [UInt8]
        init(_ response: [UInt8]) { self.response = response }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = response
            context.writeAndFlush(NIOAny(context.channel.allocator.buffer(bytes: bytes))).whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }

    func answer(_ url: String, on loop: EventLoop) throws -> Result<AnnounceResponse, Error> {
        let promise = loop.makePromise(of: Result<AnnounceResponse, Error>.self)
        TrackerClient.announce(url, on: loop) { promise.succeed($0) }
        return try promise.futureResult.wait()
    }

    func served(_ response: [UInt8], group: EventLoopGroup) throws -> Channel {
        try ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(CannedServer(response))
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
    }

    static func http(_ status: String, _ body: [UInt8]) -> [UInt8] {
        Array("HTTP/1.1 \(status)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + body
    }

    @Test func aTrackersAnswerIsDecodedAndHostileOnesAreErrors() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let loop = group.next()
        let tracker = HTTPTracker(loop: loop)
        try tracker.start(port: 0).wait()
        let query = HTTPAnnounce.Query(
            infoHash: InfoHash(bytes: [UInt8](repeating: 3, count: 20))!, peerID: PeerID(azureusStyle: 1), port: 6881,
            left: 10, event: .started, numwant: 50)
        let good = try answer("http://127.0.0.1:\(tracker.port)/announce?\(query.queryString)", on: loop)
        #expect((try? good.get())?.peers == [], "the first peer of a swarm gets nobody back")

        let cases: [([UInt8], String)] = [
            (Self.http("200 OK", [UInt8](repeating: 0x65, count: TrackerClient.maxBody + 1)), "ResponseTooBig"),
            (Self.http("500 Internal Server Error", Array("d14:failure reason4:downe".utf8)), "HTTP 500"),
            (Self.http("200 OK", Array("not bencode".utf8)), ""),
        ]
        for (response, reason) in cases {
            let server = try served(response, group: group)
            defer { _ = try? server.close().wait() }
            let port = server.localAddress?.port ?? 0
            let result = try answer("http://127.0.0.1:\(port)/announce?\(query.queryString)", on: loop)
            guard case .failure(let error) = result else {
                Issue.record("expected an error for \(reason)")
                continue
            }
            #expect(reason.isEmpty || "\(error)".contains(reason), "\(error)")
        }
        guard case .failure = try answer("not a url at all", on: loop) else {
            Issue.record("a bad URL must be an error")
            return
        }
        _ = try? tracker.stop().wait()
    }
}
