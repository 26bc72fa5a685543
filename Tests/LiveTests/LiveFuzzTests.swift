import BitTorrent
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import Live

/// A live seed under hostile input: every connection gets a valid handshake followed by
/// random or mutated frames. Each connection is dropped or ignored on its own; the seed
/// stays up and still serves a well-behaved peer a correct file afterwards.
@Suite(.serialized) struct LiveFuzzTests {
    /// Frames that a broken or hostile peer might send after a valid handshake.
    static func hostileFrames(_ m: Metainfo, _ random: inout some RandomNumberGenerator) -> [UInt8] {
        let pieces = UInt32(m.pieceCount)
        let valid: [WireMessage] = [
            .interested, .bitfield(Bitfield(count: m.pieceCount + 8)),
            .request(BlockRequest(piece: pieces + 3, begin: 0, length: 16_384)),
            .piece(BlockRequest(piece: 0, begin: 0, length: 16_384), .bytes(Array(repeating: 7, count: 16_384))),
            .request(BlockRequest(piece: 0, begin: 1, length: 1 << 20)), .have(piece: pieces * 9),
            .extended(id: 0, payload: Array("not bencode".utf8)),
            .cancel(BlockRequest(piece: 0, begin: 0, length: 16_384)),
            // BEP 6, with values out of range where the message allows any.
            .haveAll, .haveNone, .suggest(piece: pieces * 5), .allowedFast(piece: UInt32.max),
            .rejectRequest(BlockRequest(piece: pieces + 1, begin: 7, length: 0)),
            // BEP 10: a handshake naming a Speed account no ledger has, then Speed
            // messages (a seller's accept, a voucher) the seed never asked for.
            .extended(id: 0, payload: Array("d1:md8:bt_speedi1ee13:speed_accounti1000000ee".utf8)),
            .extended(id: 1, payload: Array("d5:pricei9000000000000000000e1:t6:accepte".utf8)),
            .extended(id: 1, payload: Array("d6:amounti5e7:channeli99e3:sig2:xx1:t7:vouchere".utf8)),
            .extended(id: 200, payload: Array(repeating: 0xFF, count: 64)),
            .unknown(id: 99, length: 3),
        ]
        var bytes = Handshake(infoHash: m.infoHash, peerID: PeerID(azureusStyle: 7)).encoded()
        switch Int.random(in: 0..<4, using: &random) {
        case 0:
            bytes += (0..<Int.random(in: 1..<4096, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random)
            }
        case 1:
            bytes += valid[Int.random(in: 0..<valid.count, using: &random)].encoded()
        case 2:
            var frame = valid[Int.random(in: 0..<valid.count, using: &random)].encoded()
            for _ in 0..<3 {
                frame[Int.random(in: 0..<frame.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            bytes += frame
        default:
            let frame = valid[Int.random(in: 0..<valid.count, using: &random)].encoded()
            bytes += frame.prefix(Int.random(in: 0..<frame.count, using: &random))
        }
        return bytes
    }

    @Test func aSeedSurvivesRandomAndMutatedFrames() throws {
        let t = LiveTransferTests()
        let s = try t.seeded(bytes: 1 << 20)
        defer { try? s.group.syncShutdownGracefully() }
        var random = SystemRandomNumberGenerator()
        for _ in 0..<60 {
            let channel = try ClientBootstrap(group: s.group).connect(host: "127.0.0.1", port: s.seed.port).wait()
            try? channel.writeAndFlush(channel.allocator.buffer(bytes: Self.hostileFrames(s.metainfo, &random))).wait()
            // Whatever the seed makes of it, this side hangs up after a moment.
            _ = try? channel.eventLoop.scheduleTask(in: .milliseconds(20)) {}.futureResult.wait()
            try? channel.close().wait()
        }
        let getter = try t.downloader(s, into: "after-fuzz.bin")
        try t.wait(getter.completion, on: s.group.next())
        #expect(FileManager.default.contents(atPath: t.dir + "/after-fuzz.bin") == Data(s.data))
        // Nothing was written beside the files the test made.
        let files = try FileManager.default.contentsOfDirectory(atPath: t.dir).sorted()
        #expect(files == ["after-fuzz.bin", "source.bin"])
        _ = try? getter.stop().wait()
        _ = try? s.seed.stop().wait()
    }

    @Test func aFloodOfConnectionsIsCappedAtMaxConnections() throws {
        let t = LiveTransferTests()
        let s = try t.seeded(bytes: 256 << 10)
        defer { try? s.group.syncShutdownGracefully() }
        let limit = ProtocolSettings().maxConnections
        var channels: [Channel] = []
        for k in 0..<(limit + 40) {
            // Distinct peer ids: a second connection from one id is a duplicate, closed as such.
            let id = PeerID(azureusStyle: UInt64(5 + k))
            let handshake = Handshake(infoHash: s.metainfo.infoHash, peerID: id).encoded()
            let channel = try ClientBootstrap(group: s.group).connect(host: "127.0.0.1", port: s.seed.port).wait()
            // The seed may already have closed a connection over its limit.
            try? channel.writeAndFlush(channel.allocator.buffer(bytes: handshake)).wait()
            channels.append(channel)
        }
        // The seed turns the extra ones away at once, but this side only sees a close when
        // its event loop has read the FIN, which on a loaded machine can take a while: wait
        // for it (up to 20 s) rather than for a fixed moment.
        var open = channels.filter(\.isActive).count
        for _ in 0..<400 where open > limit {
            _ = try? s.group.next().scheduleTask(in: .milliseconds(50)) {}.futureResult.wait()
            open = channels.filter(\.isActive).count
        }
        #expect(open == limit, "the seed keeps at most max_connections")
        for c in channels { try? c.close().wait() }
        // With the flood gone, a real peer is served.
        let getter = try t.downloader(s, into: "after-flood.bin")
        try t.wait(getter.completion, on: s.group.next())
        #expect(FileManager.default.contents(atPath: t.dir + "/after-flood.bin") == Data(s.data))
        _ = try? getter.stop().wait()
        _ = try? s.seed.stop().wait()
    }
}

/// A fake seed that answers a downloader's handshake with its own, a full bitfield and,
/// without ever unchoking, a block: one the downloader cannot have asked for. (After an
/// unchoke the downloader's random first pieces might include that block.)
private final class UnrequestedPieceServer: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    let metainfo: Metainfo
    var answered = false
    init(metainfo: Metainfo) { self.metainfo = metainfo }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }
        answered = true
        var bytes = Handshake(infoHash: metainfo.infoHash, peerID: PeerID(azureusStyle: 77)).encoded()
        bytes += WireMessage.bitfield(Bitfield(count: metainfo.pieceCount, allSet: true)).encoded()
        let last = UInt32(metainfo.pieceCount - 1)
        bytes += WireMessage.piece(
            BlockRequest(piece: last, begin: 0, length: 16_384), .bytes(Array(repeating: 1, count: 16_384))
        ).encoded()
        context.writeAndFlush(NIOAny(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
    }
}

@Suite(.serialized) struct UnrequestedPieceTests {
    @Test func aPieceNobodyAskedForClosesTheConnection() throws {
        let t = LiveTransferTests()
        let s = try t.seeded(bytes: 1 << 20)
        defer { try? s.group.syncShutdownGracefully() }
        _ = try? s.seed.stop().wait()
        let closed = s.group.next().makePromise(of: Void.self)
        let server = try ServerBootstrap(group: s.group)
            .childChannelInitializer { channel in
                channel.closeFuture.whenComplete { _ in closed.succeed() }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(UnrequestedPieceServer(metainfo: s.metainfo))
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
        let port = UInt16(server.localAddress!.port!)
        let getter = LivePeer(
            metainfo: s.metainfo, store: try PieceStore(creating: t.dir + "/x.bin", metainfo: s.metainfo),
            isSeed: false, configuration: LivePeer.Configuration(peers: [PeerAddress(ipv4: 0x7F00_0001, port: port)]),
            loop: s.group.next(), log: { _ in })
        try getter.start().wait()
        try t.wait(closed.futureResult, seconds: 10, on: s.group.next())
        // The block was not written: the last piece's bytes on disk are still zeros.
        let last = s.metainfo.pieceCount - 1
        let onDisk = FileManager.default.contents(atPath: t.dir + "/x.bin")!
        #expect(onDisk[(last * s.metainfo.pieceLength)...].allSatisfy { $0 == 0 })
        _ = try? getter.stop().wait()
        try? server.close().wait()
    }
}

/// A seed that chokes and unchokes after the first request, so the downloader asks for the
/// same block twice, and then answers both requests: two answers, both asked for.
private final class TwiceAskedServer: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    let metainfo: Metainfo
    let data: [UInt8]
    var decoder: WireDecoder
    var handshaken = false
    var requests: [BlockRequest] = []
    init(metainfo: Metainfo, data: [UInt8]) {
        self.metainfo = metainfo
        self.data = data
        decoder = WireDecoder(pieceCount: metainfo.pieceCount)
    }

    func channelRead(context: ChannelHandlerContext, data buffer: NIOAny) {
        var buffer = unwrapInboundIn(buffer)
        decoder.append(buffer.readBytes(length: buffer.readableBytes) ?? [])
        var reply: [UInt8] = []
        if !handshaken, (try? decoder.nextHandshake()) != nil {
            handshaken = true
            reply += Handshake(infoHash: metainfo.infoHash, peerID: PeerID(azureusStyle: 78)).encoded()
            reply += WireMessage.bitfield(Bitfield(count: metainfo.pieceCount, allSet: true)).encoded()
            reply += WireMessage.unchoke.encoded()
        }
        while handshaken, let message = try? decoder.next() {
            guard case .request(let r) = message else { continue }
            requests.append(r)
            if requests.count == 1 { reply += WireMessage.choke.encoded() + WireMessage.unchoke.encoded() }
        }
        // Once the block was asked for twice, answer every request in order.
        if requests.count >= 2, requests.filter({ $0 == requests[0] }).count >= 2 {
            for r in requests {
                let start = Int(r.piece) * metainfo.pieceLength + Int(r.begin)
                reply += WireMessage.piece(r, .bytes(Array(data[start..<start + Int(r.length)]))).encoded()
            }
            requests = []
        }
        if !reply.isEmpty {
            context.writeAndFlush(NIOAny(context.channel.allocator.buffer(bytes: reply)), promise: nil)
        }
    }
}

@Suite(.serialized) struct TwiceAskedBlockTests {
    /// One piece of two blocks, each asked for twice (a choke between): all four answers
    /// are accepted and the file completes; none is taken for a piece nobody asked for.
    @Test func aBlockAskedTwiceMayBeAnsweredTwice() throws {
        let t = LiveTransferTests()
        let s = try t.seeded(bytes: 32_768, pieceLength: 32_768)
        defer { try? s.group.syncShutdownGracefully() }
        _ = try? s.seed.stop().wait()
        let lines = LiveEncryptionTests.Lines()
        let server = try ServerBootstrap(group: s.group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TwiceAskedServer(metainfo: s.metainfo, data: s.data))
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
        let port = UInt16(server.localAddress!.port!)
        let getter = LivePeer(
            metainfo: s.metainfo, store: try PieceStore(creating: t.dir + "/twice.bin", metainfo: s.metainfo),
            isSeed: false,
            configuration: LivePeer.Configuration(
                peers: [PeerAddress(ipv4: 0x7F00_0001, port: port)], encryption: .plain),
            loop: s.group.next(), log: { lines.append($0) })
        try getter.start().wait()
        try t.wait(getter.completion, seconds: 10, on: s.group.next())
        #expect(FileManager.default.contents(atPath: t.dir + "/twice.bin") == Data(s.data))
        #expect(!lines.contains("nobody asked"))
        _ = try? getter.stop().wait()
        try? server.close().wait()
    }
}
