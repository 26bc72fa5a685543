import Scenario
import SimKernel
import Testing

@testable import Swarm

/// docs/model.md, "Network": the request pipeline, not store-and-forward, must bound what waits on a
/// downlink. Fast seeds serving slow leechers is the case that would break it.
@Suite struct FlowControlTests {
    @Test func downlinkQueuesStayShortWhenFastPeersServeSlowOnes() throws {
        var s = SwarmFixtures.flashCrowd(
            leechers: 60, sizeBytes: 8 << 20, pieceBytes: 64 << 10, seedUp: 20e6, leecherUp: 128e3, leecherDown: 784e3)
        s.peers.append(
            PeerGroup(
                name: "fast-seeds", count: 5, arrival: .at(.zero), hasFile: true,
                bandwidth: .fixed(upBitsPerSecond: 20e6, downBitsPerSecond: 20e6)))
        let result = try SwarmFixtures.run(s, seed: 6)
        print("max downlink backlog", result.maxDownlinkBacklog)
        #expect(result.peers.filter { $0.completed != nil }.count == 60)
        #expect(result.maxDownlinkBacklog < .seconds(10))
        #expect(result.maxDownlinkBacklog > .zero, "the measurement sees queues at all")
    }
}
