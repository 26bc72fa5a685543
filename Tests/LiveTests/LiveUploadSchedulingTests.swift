import BitTorrent
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import Live

/// A strategy that chooses whose block goes next (`UploadScheduling.strategyChooses`)
/// runs over real TCP as in the simulator: the seed keeps one block in the transport,
/// hands the next when the socket took the last, and both downloaders get the file.
@Suite(.serialized) struct LiveUploadSchedulingTests {
    /// Serves the connection it served least, by blocks; counts what it was shown.
    /// Unchecked Sendable: touched only on the seed's event loop.
    final class LeastServedFirst: PeerStrategy, @unchecked Sendable {
        var served: [ConnectionID: Int] = [:]
        var choicesAmongTwo = 0
        var uploadScheduling: UploadScheduling { .strategyChooses }
        func nextUpload(among candidates: [ConnectionID], client: TorrentClient) -> ConnectionID? {
            if candidates.count > 1 { choicesAmongTwo += 1 }
            let chosen = candidates.min { served[$0, default: 0] < served[$1, default: 0] }
            if let chosen { served[chosen, default: 0] += 1 }
            return chosen
        }
    }

    @Test func aChoosingSeedServesTwoDownloadersOverTCP() throws {
        let t = LiveTransferTests()
        let s = try t.seeded(bytes: 2 << 20)
        defer { try? s.group.syncShutdownGracefully() }
        _ = try? s.seed.stop().wait()
        let loop = s.group.next()
        let strategy = LeastServedFirst()
        // 2 MiB at 2 MB/s: both downloaders are asking for most of a second.
        var limited = LivePeer.Configuration(listenPort: 0)
        limited.maxUploadRate = 2_000_000
        let seed = LivePeer(
            metainfo: s.metainfo, store: try PieceStore(seeding: t.dir + "/source.bin", metainfo: s.metainfo),
            isSeed: true, configuration: limited, loop: loop, strategy: strategy,
            log: { _ in })
        try seed.start().wait()
        let address = PeerAddress(ipv4: 0x7F00_0001, port: UInt16(seed.port))
        let downloaders = try ["a", "b"].map { name in
            LivePeer(
                metainfo: s.metainfo, store: try PieceStore(creating: t.dir + "/\(name).bin", metainfo: s.metainfo),
                isSeed: false, configuration: LivePeer.Configuration(peers: [address]), loop: loop, log: { _ in })
        }
        for d in downloaders { try d.start().wait() }
        for d in downloaders { try t.wait(d.completion, on: loop) }
        for name in ["a", "b"] {
            #expect(FileManager.default.contents(atPath: t.dir + "/\(name).bin") == Data(s.data))
        }
        let (choices, served) = try loop.submit { (strategy.choicesAmongTwo, strategy.served) }.wait()
        #expect(choices > 0)
        #expect(served.count == 2)
        for d in downloaders { _ = try? d.stop().wait() }
        _ = try? seed.stop().wait()
    }
}
