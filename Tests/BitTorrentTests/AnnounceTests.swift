import SimKernel
import Testing

@testable import BitTorrent

@Suite struct AnnounceTests {
    func client(seed: Bool = false) -> TorrentClient {
        testClient(layout: PieceLayout(totalLength: 65_536, pieceLength: 65_536), seed: seed)
    }

    func announces(_ out: [ClientAction]) -> [AnnounceEvent] {
        out.compactMap { if case .announce(let e) = $0 { e } else { nil } }
    }

    @Test func startAnnouncesAndArmsTheTimers() {
        var out: [ClientAction] = []
        let c = client()
        c.start(now: .zero, out: &out)
        #expect(announces(out) == [.started])
        #expect(out.contains { if case .setTimer(.announce, at: .minutes(30)) = $0 { true } else { false } })
        #expect(out.contains { if case .setTimer(.rechoke, at: .seconds(10)) = $0 { true } else { false } })
        #expect(out.contains { if case .setTimer(.optimisticUnchoke, at: .seconds(30)) = $0 { true } else { false } })
        #expect(c.announceRequest(.started).left == 65_536)
        #expect(client(seed: true).announceRequest(.started).left == 0)
    }

    /// Below `min_connections` with nobody left to try, the client asks the tracker again,
    /// but not before `min_announce_interval`.
    @Test func reannouncesWhenBelowTheMinimumButRateLimited() {
        var out: [ClientAction] = []
        let c = client()
        c.start(now: .zero, out: &out)
        out = []
        c.trackerResponded(AnnounceResponse(peers: [], complete: 0, incomplete: 0), now: .seconds(1), out: &out)
        #expect(announces(out).isEmpty)
        #expect(out.contains { if case .setTimer(.announce, at: .minutes(1)) = $0 { true } else { false } })
        out = []
        c.timerFired(.announce, deadline: .minutes(1), now: .minutes(1), out: &out)
        #expect(announces(out) == [.none])
    }

    @Test func connectsToTheGivenPeersUpToTheLimitAndNeverToItself() {
        var out: [ClientAction] = []
        let c = client()
        let peers = (0..<100).map { PeerAddress(ipv4: UInt32($0), port: 1) }
        c.trackerResponded(AnnounceResponse(peers: peers, complete: 0, incomplete: 100), now: .zero, out: &out)
        let targets = out.compactMap { if case .connect(let a) = $0 { a } else { nil } }
        #expect(targets.count == ProtocolSettings().maxConnections)
        #expect(!targets.contains(c.config.address))
    }

    @Test func staleTimerFiringsAreIgnored() {
        var out: [ClientAction] = []
        let c = client()
        c.start(now: .zero, out: &out)
        out = []
        c.timerFired(.announce, deadline: .minutes(5), now: .minutes(5), out: &out)
        #expect(out.isEmpty)
    }

    @Test func stoppingClosesEverythingAndSaysStopped() {
        var out: [ClientAction] = []
        let c = client(seed: true)
        _ = c.openConnection(to: PeerAddress(ipv4: 9, port: 1), outgoing: false, now: .zero, out: &out)
        out = []
        c.stop(now: .seconds(5), out: &out)
        #expect(announces(out) == [.stopped])
        #expect(out.contains { if case .close(_, .leaving) = $0 { true } else { false } })
        #expect(c.connectionCount == 0)
    }
}
