import Scenario
import SimKernel
import Testing

@testable import Swarm

@Suite struct DeterminismTests {
    static func scenario() -> Scenario {
        var s = SwarmFixtures.flashCrowd(
            leechers: 25, sizeBytes: 2 << 20, pieceBytes: 64 << 10,
            seeding: .duration(.exponential(mean: 60)))
        s.peers.append(
            PeerGroup(
                name: "late", count: 15, arrival: .poisson(ratePerSecond: 0.2, until: nil),
                bandwidth: .fixed(upBitsPerSecond: 5e5, downBitsPerSecond: 2e6), abort: .exponential(mean: 600),
                seeding: .duration(.uniform(min: 0, max: 30))))
        return s
    }

    @Test func sameSeedSameRun() throws {
        let a = try SwarmFixtures.run(Self.scenario(), seed: 11)
        let b = try SwarmFixtures.run(Self.scenario(), seed: 11)
        #expect(a.peers == b.peers)
        #expect(a.samples == b.samples)
        #expect(a.events == b.events)
        #expect(a.endTime == b.endTime)
    }

    @Test func differentSeedDifferentRun() throws {
        let a = try SwarmFixtures.run(Self.scenario(), seed: 11)
        let b = try SwarmFixtures.run(Self.scenario(), seed: 12)
        #expect(a.peers != b.peers)
    }

    /// Streams are keyed per (group, ordinal): adding a group leaves the attributes of
    /// another group's peers unchanged.
    @Test func addingAGroupDoesNotShiftAnotherGroupsDraws() throws {
        var base = Self.scenario()
        base.peers[1].bandwidth = .mix([
            BandwidthClass(share: 0.5, upBitsPerSecond: 1e5, downBitsPerSecond: 1e6),
            BandwidthClass(share: 0.5, upBitsPerSecond: 2e5, downBitsPerSecond: 2e6),
        ])
        var extended = base
        extended.peers.insert(
            PeerGroup(
                name: "extra", count: 5, arrival: .at(.seconds(1)),
                bandwidth: .fixed(upBitsPerSecond: 1e6, downBitsPerSecond: 1e6)), at: 0)
        let a = try SwarmFixtures.run(base, seed: 5)
        let b = try SwarmFixtures.run(extended, seed: 5)
        let crowdA = a.peers.filter { $0.group == "crowd" }.map(\.upBitsPerSecond)
        let crowdB = b.peers.filter { $0.group == "crowd" }.map(\.upBitsPerSecond)
        #expect(crowdA == crowdB)
    }
}
