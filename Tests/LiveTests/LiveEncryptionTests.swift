import BitTorrent
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import Live

/// Message stream encryption over real TCP between btsim peers: each policy pair either
/// completes the download with an identical file or is refused for the stated reason.
/// (libtorrent, aria2 and Transmission requiring encryption: Tests/interop/interop.py.)
@Suite(.serialized) struct LiveEncryptionTests {
    let t = LiveTransferTests()

    /// What a peer logs, collected from its event loop.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        func contains(_ text: String) -> Bool { lock.withLock { lines.contains { $0.contains(text) } } }
    }

    func peer(_ s: LiveTransferTests.Swarm, _ policy: EncryptionPolicy, into name: String, log: Lines) throws
        -> LivePeer
    {
        let getter = LivePeer(
            metainfo: s.metainfo, store: try PieceStore(creating: t.dir + "/" + name, metainfo: s.metainfo),
            isSeed: false,
            configuration: LivePeer.Configuration(
                peers: [PeerAddress(ipv4: 0x7F00_0001, port: UInt16(s.seed.port))], encryption: policy),
            loop: s.group.next(), log: { log.append($0) })
        try getter.start().wait()
        return getter
    }

    func seed(_ policy: EncryptionPolicy, log: Lines) throws -> LiveTransferTests.Swarm {
        try t.seeded(bytes: 2 << 20, configuration: .init(listenPort: 0, encryption: policy), log: { log.append($0) })
    }

    @Test(arguments: [
        (EncryptionPolicy.require, EncryptionPolicy.require), (.offer, .require), (.require, .offer), (.offer, .offer),
        (.plain, .offer), (.offer, .plain),
    ])
    func policiesThatShareAMethodComplete(seeding: EncryptionPolicy, getting: EncryptionPolicy) throws {
        let seedLog = Lines()
        let getLog = Lines()
        let s = try seed(seeding, log: seedLog)
        defer { try? s.group.syncShutdownGracefully() }
        let getter = try peer(s, getting, into: "copy.bin", log: getLog)
        try t.wait(getter.completion, on: s.group.next())
        #expect(FileManager.default.contents(atPath: t.dir + "/copy.bin") == Data(s.data))
        // Only a plain seed makes an offering downloader dial a second time.
        #expect(getLog.contains("dialing again without encryption") == (seeding == .plain && getting == .offer))
        _ = try? getter.stop().wait()
        _ = try? s.seed.stop().wait()
    }

    @Test func aSeedRequiringEncryptionRefusesPlainPeersAndAPlainSeedRefusesEncryption() throws {
        for (seeding, getting, refusal) in [
            (EncryptionPolicy.require, EncryptionPolicy.plain, "a plain handshake, but this peer requires encryption"),
            (.plain, .require, "answers no encryption handshake"),
        ] {
            let seedLog = Lines()
            let getLog = Lines()
            let s = try seed(seeding, log: seedLog)
            defer { try? s.group.syncShutdownGracefully() }
            let getter = try peer(s, getting, into: "refused-\(seeding)", log: getLog)
            // The first dial is refused; the downloader gets nothing.
            let deadline = Date().addingTimeInterval(10)
            while !seedLog.contains(refusal) && Date() < deadline { usleep(50_000) }
            #expect(seedLog.contains(refusal))
            #expect(!getLog.contains("dialing again without encryption"))
            #expect(try getter.loop.submit { getter.client.bytesLeft }.wait() == Int64(s.data.count))
            _ = try? getter.stop().wait()
            _ = try? s.seed.stop().wait()
        }
    }

    @Test func aRawInitiatorSeesTheSeedsHandshakeThroughRC4() throws {
        // The wire itself: our handshake state machine over a bare socket to an offering
        // seed, then the seed's BitTorrent handshake decrypted with the negotiated RC4.
        let s = try t.seeded(bytes: 1 << 20)
        defer { try? s.group.syncShutdownGracefully() }
        let received = Received()
        let channel = try ClientBootstrap(group: s.group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(received) }
            }
            .connect(host: "127.0.0.1", port: s.seed.port).wait()
        var handshake = MSEHandshake(
            initiator: s.metainfo.infoHash, offering: .rc4, keys: try #require(DiffieHellman768()), padding: [7, 7])
        try channel.writeAndFlush(channel.allocator.buffer(bytes: handshake.opening())).wait()
        var established: MSEEstablished?
        var stream: [UInt8] = []
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let bytes = received.take()
            if let established {
                stream += try #require(established.inbound).applied(bytes)
                if stream.count >= Handshake.wireSize { break }
            } else if !bytes.isEmpty {
                let (send, done) = try handshake.receive(bytes)
                if !send.isEmpty { try channel.writeAndFlush(channel.allocator.buffer(bytes: send)).wait() }
                if let done {
                    established = done
                    stream = done.payload
                    let ours = Handshake(infoHash: s.metainfo.infoHash, peerID: PeerID(azureusStyle: 5)).encoded()
                    let sealed = try #require(done.outbound).applied(ours)
                    try channel.writeAndFlush(channel.allocator.buffer(bytes: sealed)).wait()
                }
            }
            usleep(20_000)
        }
        #expect(established?.method == .rc4)
        #expect(Array(stream.prefix(20)) == [19] + Handshake.protocolName)
        #expect(Array(stream.dropFirst(28).prefix(20)) == s.metainfo.infoHash.bytes)
        _ = try? channel.close().wait()
        _ = try? s.seed.stop().wait()
    }

    final class Received: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        private let lock = NSLock()
        private var bytes: [UInt8] = []
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            lock.withLock { bytes += buffer.readableBytesView }
        }
        func take() -> [UInt8] {
            lock.withLock {
                defer { bytes = [] }
                return bytes
            }
        }
    }
}
