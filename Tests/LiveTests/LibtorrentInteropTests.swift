import BitTorrent
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import Live

/// btsim and libtorrent (Debian's python3-libtorrent, driven by libtorrent_peer.py next
/// to this file) exchange a file over TCP on 127.0.0.1, in both directions.
@Suite(.serialized) struct LibtorrentInteropTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("libtorrent_peer.py").path

    /// Starts the script; returns the process and a pipe for its stdout.
    static func python(_ arguments: [String]) throws -> (Process, Pipe) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = [script] + arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        return (p, out)
    }

    func torrentFile(_ t: LiveTransferTests, _ s: LiveTransferTests.Swarm) -> String {
        let path = t.dir + "/file.torrent"
        FileManager.default.createFile(atPath: path, contents: Data(s.metainfo.encoded()))
        return path
    }

    @Test func libtorrentDownloadsACorrectFileFromBtsim() throws {
        let t = LiveTransferTests()
        let s = try t.seeded(bytes: 2 << 20)
        defer { try? s.group.syncShutdownGracefully() }
        let out = t.dir + "/lt-out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let (process, pipe) = try Self.python(["get", torrentFile(t, s), out, "127.0.0.1:\(s.seed.port)"])
        process.waitUntilExit()
        let said = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "libtorrent: \(said)")
        #expect(FileManager.default.contents(atPath: out + "/file.bin") == Data(s.data))
        _ = try? s.seed.stop().wait()
    }

    /// libtorrent knows only the .torrent, whose announce URL is btsim's tracker: it finds
    /// the btsim seed there.
    @Test func libtorrentFindsABtsimSeedThroughTheBtsimTracker() throws {
        let t = LiveTransferTests()
        let s = try t.seeded(bytes: 1 << 20)
        defer { try? s.group.syncShutdownGracefully() }
        _ = try? s.seed.stop().wait()
        let tracker = HTTPTracker(loop: s.group.next())
        try tracker.start(port: 0).wait()
        let url = "http://127.0.0.1:\(tracker.port)/announce"
        let metainfo = try Metainfo.make(name: "file.bin", content: s.data, pieceLength: 64 << 10, announce: url)
        let seed = LivePeer(
            metainfo: metainfo, store: try PieceStore(seeding: t.dir + "/source.bin", metainfo: metainfo), isSeed: true,
            configuration: LivePeer.Configuration(listenPort: 0, tracker: url), loop: s.group.next(), log: { _ in })
        try seed.start().wait()
        // libtorrent's first announce must already find the seed: its next is minutes later.
        let deadline = Date().addingTimeInterval(10)
        while try tracker.peerCount(of: metainfo.infoHash).wait() == 0 && Date() < deadline { usleep(10_000) }
        let torrent = t.dir + "/tracked.torrent"
        FileManager.default.createFile(atPath: torrent, contents: Data(metainfo.encoded()))
        let out = t.dir + "/lt-tracked"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let (process, pipe) = try Self.python(["get", torrent, out])
        process.waitUntilExit()
        let said = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "libtorrent: \(said)")
        #expect(FileManager.default.contents(atPath: out + "/file.bin") == Data(s.data))
        _ = try? seed.stop().wait()
        _ = try? tracker.stop().wait()
    }

    @Test func btsimDownloadsACorrectFileFromLibtorrent() throws {
        let t = LiveTransferTests()
        let s = try t.seeded(bytes: 2 << 20)
        defer { try? s.group.syncShutdownGracefully() }
        _ = try? s.seed.stop().wait()
        // libtorrent seeds from a folder holding the file under the torrent's name.
        let folder = t.dir + "/lt-seed"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: folder + "/file.bin", contents: Data(s.data))
        let (process, pipe) = try Self.python(["seed", torrentFile(t, s), folder])
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let first = String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self)
        let port = try #require(
            first.split(separator: " ").last.flatMap { UInt16($0.trimmingCharacters(in: .whitespacesAndNewlines)) },
            "libtorrent said: \(first)")
        let getter = LivePeer(
            metainfo: s.metainfo, store: try PieceStore(creating: t.dir + "/from-lt.bin", metainfo: s.metainfo),
            isSeed: false, configuration: LivePeer.Configuration(peers: [PeerAddress(ipv4: 0x7F00_0001, port: port)]),
            loop: s.group.next(), log: { _ in })
        try getter.start().wait()
        try t.wait(getter.completion, on: s.group.next())
        #expect(FileManager.default.contents(atPath: t.dir + "/from-lt.bin") == Data(s.data))
        _ = try? getter.stop().wait()
    }
}
