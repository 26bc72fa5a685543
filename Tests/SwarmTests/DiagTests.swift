import Foundation
import Scenario
import SimKernel
import Testing

@testable import Swarm

@Suite struct DiagTests {
    @Test func flashCrowd1000() {
        let env = ProcessInfo.processInfo.environment
        guard let n = env["FC"].flatMap(Int.init) else { return }
        var s = SwarmFixtures.flashCrowd(
            leechers: n, sizeBytes: Int64(env["MIB"].flatMap(Int.init) ?? 100) << 20, pieceBytes: 256 << 10,
            seedUp: 10e6)
        s.duration = .hours(6)
        s.peers[1].bandwidth = .mix([
            BandwidthClass(share: 0.2, upBitsPerSecond: 128e3, downBitsPerSecond: 784e3),
            BandwidthClass(share: 0.4, upBitsPerSecond: 384e3, downBitsPerSecond: 1500e3),
            BandwidthClass(share: 0.25, upBitsPerSecond: 1000e3, downBitsPerSecond: 3000e3),
            BandwidthClass(share: 0.15, upBitsPerSecond: 5000e3, downBitsPerSecond: 10_000e3),
        ])
        s.peers[1].seeding = .duration(.lognormal(mu: -2.41, sigma: 2.52, scale: 3600))
        let r = Simulation(scenario: s, seed: 1).run()
        let done = r.peers.filter { $0.completed != nil }
        print(
            "FC", n, "wall", r.wallSeconds, "events", r.events, "ev/s", Double(r.events) / r.wallSeconds, "done",
            done.count, "last", done.compactMap(\.completed).max()?.seconds ?? 0, "end", r.endTime.seconds, r.stopReason
        )
    }
}
