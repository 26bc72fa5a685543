import SimKernel
import Testing

@testable import BitTorrent

@Suite struct TrackerTests {
    func address(_ i: Int) -> PeerAddress { PeerAddress(ipv4: 0x0A00_0000 + UInt32(i), port: 6881) }
    func request(_ i: Int, _ event: AnnounceEvent, seed: Bool = false, numwant: Int = 50) -> AnnounceRequest {
        AnnounceRequest(address: address(i), event: event, numwant: numwant, left: seed ? 0 : 1000)
    }

    @Test func returnsDistinctRandomPeersButNeverTheRequester() {
        var t = Tracker()
        let rng = RandomStream(seed: 3)
        for i in 0..<200 { _ = t.announce(request(i, .started), random: rng) }
        let r = t.announce(request(7, .none, numwant: 50), random: rng)
        #expect(r.peers.count == 50)
        #expect(Set(r.peers).count == 50)
        #expect(!r.peers.contains(address(7)))
        #expect(r.incomplete == 200)
    }

    @Test func handlesCompletedAndStopped() {
        var t = Tracker()
        let rng = RandomStream(seed: 3)
        for i in 0..<5 { _ = t.announce(request(i, .started), random: rng) }
        _ = t.announce(request(2, .completed, seed: true), random: rng)
        #expect(t.seeds == 1 && t.leechers == 4)
        _ = t.announce(request(3, .stopped), random: rng)
        #expect(t.count == 4 && !t.contains(address(3)))
        let r = t.announce(request(0, .none), random: rng)
        #expect(Set(r.peers) == [address(1), address(2), address(4)])
    }

    @Test func seedsAreGivenOnlyLeechers() {
        var t = Tracker()
        let rng = RandomStream(seed: 3)
        for i in 0..<30 { _ = t.announce(request(i, .started, seed: i < 20), random: rng) }
        let r = t.announce(request(0, .none, seed: true), random: rng)
        #expect(Set(r.peers) == Set((20..<30).map(address)))
    }

    @Test func samplesAreRoughlyUniform() {
        var t = Tracker()
        let rng = RandomStream(seed: 9)
        for i in 0..<20 { _ = t.announce(request(i, .started), random: rng) }
        var hits = [Int](repeating: 0, count: 20)
        for _ in 0..<4000 {
            for p in t.announce(request(0, .none, numwant: 5), random: rng).peers {
                hits[Int(p.ipv4 - 0x0A00_0000)] += 1
            }
        }
        #expect(hits[0] == 0)
        // 4000 × 5 draws over 19 peers ≈ 1053 each.
        #expect(hits.dropFirst().allSatisfy { abs($0 - 1053) < 150 })
    }

    @Test func compactPeerListRoundTrips() {
        let peers = [PeerAddress(ipv4: 0x7F00_0001, port: 6881), PeerAddress(ipv4: 0x0A01_0203, port: 65535)]
        let bytes = peers.flatMap(\.compact)
        #expect(bytes.count == 12)
        #expect(PeerAddress.parseCompactList(bytes) == peers)
        #expect(PeerAddress.parseCompactList(Array(bytes.dropLast())) == nil)
        #expect(peers[0].description == "127.0.0.1:6881")
    }
}
