import BitTorrent
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import Live

/// btsim to btsim over real TCP on 127.0.0.1: the simulator's client code, real bytes.
@Suite(.serialized) struct LiveTransferTests {
    let dir = NSTemporaryDirectory() + "btsim-live-\(UUID().uuidString)"

    struct Swarm {
        let group: MultiThreadedEventLoopGroup
        let metainfo: Metainfo
        let data: [UInt8]
        let seed: LivePeer
    }

    func seeded(
        bytes: Int, pieceLength: Int = 64 << 10, configuration: LivePeer.Configuration = .init(listenPort: 0),
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> Swarm {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var generator = SystemRandomNumberGenerator()
        let data = (0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let source = dir + "/source.bin"
        FileManager.default.createFile(atPath: source, contents: Data(data))
        let metainfo = try Metainfo.make(name: "file.bin", content: data, pieceLength: pieceLength)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let seed = LivePeer(
            metainfo: metainfo, store: try PieceStore(seeding: source, metainfo: metainfo), isSeed: true,
            configuration: configuration, loop: group.next(), log: log)
        try seed.start().wait()
        return Swarm(group: group, metainfo: metainfo, data: data, seed: seed)
    }

    func downloader(_ s: Swarm, into name: String) throws -> LivePeer {
        let path = dir + "/" + name
        let peer = LivePeer(
            metainfo: s.metainfo, store: try PieceStore(creating: path, metainfo: s.metainfo), isSeed: false,
            configuration: LivePeer.Configuration(peers: [PeerAddress(ipv4: 0x7F00_0001, port: UInt16(s.seed.port))]),
            loop: s.group.next(), log: { _ in })
        try peer.start().wait()
        return peer
    }

    /// Waits for `future`, failing after `seconds` rather than hanging the suite.
    func wait(_ future: EventLoopFuture<Void>, seconds: Int64 = 30, on loop: EventLoop) throws {
        let timeout = loop.makePromise(of: Void.self)
        let task = loop.scheduleTask(in: .seconds(seconds)) { timeout.fail(LiveError(description: "timed out")) }
        future.cascade(to: timeout)
        defer { task.cancel() }
        try timeout.futureResult.wait()
    }

    @Test func aDownloaderGetsAnIdenticalFileFromASeed() throws {
        let s = try seeded(bytes: 3 << 20)
        defer { try? s.group.syncShutdownGracefully() }
        let getter = try downloader(s, into: "copy.bin")
        try wait(getter.completion, on: s.group.next())
        #expect(FileManager.default.contents(atPath: dir + "/copy.bin") == Data(s.data))
        _ = try? getter.stop().wait()
        _ = try? s.seed.stop().wait()
    }

    @Test func garbageClosesOnlyItsOwnConnection() throws {
        let s = try seeded(bytes: 1 << 20)
        defer { try? s.group.syncShutdownGracefully() }
        // A raw client that sends neither a BitTorrent nor an encryption handshake (what
        // follows its wrong protocol name holds no encryption handshake's key hash within
        // 512 bytes of padding), and one that sends a valid handshake followed by an
        // oversized length prefix: both are dropped.
        let notAHandshake = Array("GET / HTTP/1.1\r\n\r\n".utf8) + [UInt8](repeating: 0x20, count: 1000)
        for bytes in [notAHandshake, Self.handshake(s.metainfo) + [0xFF, 0xFF, 0xFF, 0xFF, 7]] {
            let channel = try ClientBootstrap(group: s.group).connect(host: "127.0.0.1", port: s.seed.port).wait()
            try channel.writeAndFlush(channel.allocator.buffer(bytes: bytes)).wait()
            try wait(channel.closeFuture, seconds: 10, on: s.group.next())
        }
        // The seed still serves a well-behaved peer.
        let getter = try downloader(s, into: "after.bin")
        try wait(getter.completion, on: s.group.next())
        #expect(FileManager.default.contents(atPath: dir + "/after.bin") == Data(s.data))
        _ = try? getter.stop().wait()
        _ = try? s.seed.stop().wait()
    }

    @Test func aCorruptPieceIsHashedOffTheLoopAndNeverTaken() throws {
        // A seed whose copy has one wrong byte in piece 3: the downloader hashes each piece
        // on its disk thread and takes every piece but that one, which it keeps asking for.
        let s = try seeded(bytes: 1 << 20, configuration: .init(listenPort: nil))
        defer { try? s.group.syncShutdownGracefully() }
        var corrupt = s.data
        corrupt[3 * (64 << 10) + 100] ^= 0xFF
        let source = dir + "/corrupt.bin"
        FileManager.default.createFile(atPath: source, contents: Data(corrupt))
        let bad = LivePeer(
            metainfo: s.metainfo, store: try PieceStore(seeding: source, metainfo: s.metainfo), isSeed: true,
            configuration: .init(listenPort: 0), loop: s.group.next(), log: { _ in })
        try bad.start().wait()
        let lines = LiveEncryptionTests.Lines()
        let getter = LivePeer(
            metainfo: s.metainfo, store: try PieceStore(creating: dir + "/partial.bin", metainfo: s.metainfo),
            isSeed: false, configuration: .init(peers: [PeerAddress(ipv4: 0x7F00_0001, port: UInt16(bad.port))]),
            loop: s.group.next(), log: { lines.append($0) })
        try getter.start().wait()
        let pieces = s.metainfo.pieceCount
        let deadline = Date().addingTimeInterval(20)
        var have = Bitfield(count: pieces)
        while Date() < deadline {
            have = try getter.loop.submit { getter.client.have }.wait()
            if have.setCount == pieces - 1 && lines.contains("piece 3 does not match its SHA-1") { break }
            usleep(50_000)
        }
        #expect(lines.contains("piece 3 does not match its SHA-1"))
        #expect(have.setCount == pieces - 1 && !have[3])
        let written = try #require(FileManager.default.contents(atPath: dir + "/partial.bin"))
        let pieceLength = 64 << 10
        for piece in 0..<pieces where piece != 3 {
            #expect(
                written[piece * pieceLength..<(piece + 1) * pieceLength]
                    == Data(s.data[piece * pieceLength..<(piece + 1) * pieceLength]))
        }
        _ = try? getter.stop().wait()
        _ = try? bad.stop().wait()
    }

    static func handshake(_ m: Metainfo) -> [UInt8] {
        Handshake(infoHash: m.infoHash, peerID: PeerID(azureusStyle: 99)).encoded()
    }
}

@Suite(.serialized) struct LiveTrackerTests {
    @Test func aDownloaderFindsTheSeedThroughTheTracker() throws {
        let t = LiveTransferTests()
        let s = try t.seeded(bytes: 1 << 20)
        defer { try? s.group.syncShutdownGracefully() }
        let tracker = HTTPTracker(loop: s.group.next())
        try tracker.start(port: 0).wait()
        let url = "http://127.0.0.1:\(tracker.port)/announce"
        // A second seed that announces to the tracker; the downloader knows only the URL.
        let source = t.dir + "/source.bin"
        let announced = LivePeer(
            metainfo: s.metainfo, store: try PieceStore(seeding: source, metainfo: s.metainfo), isSeed: true,
            configuration: LivePeer.Configuration(listenPort: 0, tracker: url), loop: s.group.next(), log: { _ in })
        try announced.start().wait()
        let getter = LivePeer(
            metainfo: s.metainfo, store: try PieceStore(creating: t.dir + "/via-tracker.bin", metainfo: s.metainfo),
            isSeed: false, configuration: LivePeer.Configuration(listenPort: 0, tracker: url), loop: s.group.next(),
            log: { _ in })
        try getter.start().wait()
        try t.wait(getter.completion, on: s.group.next())
        #expect(FileManager.default.contents(atPath: t.dir + "/via-tracker.bin") == Data(s.data))
        _ = try? getter.stop().wait()
        _ = try? announced.stop().wait()
        _ = try? s.seed.stop().wait()
        _ = try? tracker.stop().wait()
    }
}
