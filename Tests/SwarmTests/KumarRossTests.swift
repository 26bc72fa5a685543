import Scenario
import SimKernel
import Testing

@testable import Swarm

/// Flash crowds against the Kumar–Ross minimum distribution time
/// T_min = max(F/u_s, F/d_min, N·F/(u_s + Σu_i)): no schedule can deliver the file to
/// everyone sooner. Each single peer i is bounded by max(F/u_s, F/d_i): every bit leaves
/// the server at least once, and reaches i through its downlink.
@Suite struct KumarRossTests {
    /// Checks both bounds; returns the last finish over T_min.
    static func checkBounds(_ result: RunResult, fileBits: Double, _ label: String) -> Double {
        let tmin = minimumTime(result, fileBits: fileBits)
        let us = result.peers.filter(\.startedWithFile).map(\.upBitsPerSecond).reduce(0, +)
        let done = result.peers.filter { $0.downloadTime != nil }
        for p in done {
            let own = max(fileBits / us, fileBits / p.downBitsPerSecond)
            #expect(p.downloadTime!.seconds >= own, "\(label): peer \(p.peer) beat its own bound \(own) s")
        }
        let last = done.compactMap { $0.downloadTime?.seconds }.max() ?? .infinity
        #expect(last >= tmin, "\(label): last finish \(last) s before T_min \(tmin) s")
        return last / tmin
    }

    static func minimumTime(_ result: RunResult, fileBits: Double) -> Double {
        let server = result.peers.filter(\.startedWithFile)
        let leechers = result.peers.filter { !$0.startedWithFile }
        let us = server.map(\.upBitsPerSecond).reduce(0, +)
        let dmin = leechers.map(\.downBitsPerSecond).min() ?? .infinity
        let sumU = leechers.map(\.upBitsPerSecond).reduce(0, +)
        return max(fileBits / us, fileBits / dmin, Double(leechers.count) * fileBits / (us + sumU))
    }

    /// The bound is hard: checked on homogeneous, server-bound and downlink-bound crowds
    /// and on the Bharambe mix.
    @Test(arguments: [
        ("homogeneous", 1.0, 4.0, 2.0),
        ("server-bound", 8.0, 10.0, 0.3),
        ("downlink-bound", 4.0, 0.5, 2.0),
    ])
    func nobodyFinishesBeforeTheMinimumDistributionTime(
        name: String, leecherUpMbit: Double, leecherDownMbit: Double, seedUpMbit: Double
    ) throws {
        let size: Int64 = 8 << 20
        let scenario = SwarmFixtures.flashCrowd(
            leechers: 30, sizeBytes: size, pieceBytes: 64 << 10, seedUp: seedUpMbit * 1e6,
            leecherUp: leecherUpMbit * 1e6, leecherDown: leecherDownMbit * 1e6)
        let result = try SwarmFixtures.run(scenario, seed: 3)
        #expect(result.peers.filter { $0.completed != nil }.count == 30, "\(name): everyone completes")
        _ = Self.checkBounds(result, fileBits: Double(size) * 8, name)
    }

    @Test func bharambeMixRespectsTheBound() throws {
        var scenario = SwarmFixtures.flashCrowd(leechers: 60, sizeBytes: 8 << 20, pieceBytes: 64 << 10)
        scenario.peers[1].bandwidth = .mix([
            BandwidthClass(share: 0.2, upBitsPerSecond: 128e3, downBitsPerSecond: 784e3),
            BandwidthClass(share: 0.4, upBitsPerSecond: 384e3, downBitsPerSecond: 1500e3),
            BandwidthClass(share: 0.25, upBitsPerSecond: 1000e3, downBitsPerSecond: 3000e3),
            BandwidthClass(share: 0.15, upBitsPerSecond: 5000e3, downBitsPerSecond: 10_000e3),
        ])
        let result = try SwarmFixtures.run(scenario, seed: 4)
        #expect(result.peers.filter { $0.completed != nil }.count == 60)
        _ = Self.checkBounds(result, fileBits: Double(8 << 20) * 8, "bharambe")
        #expect(Set(result.peers.dropFirst().map(\.upBitsPerSecond)).count == 4, "all four classes drawn")
    }

    /// With rarest-first and 4+1 upload slots, BitTorrent gets close to the optimum: the
    /// last of 50 peers finishes within 1.5 × T_min (it is about 1.35–1.4 × here).
    @Test(arguments: [1, 2] as [UInt64])
    func lastFinisherIsWithinOneAndAHalfTimesTheMinimum(seed: UInt64) throws {
        let size: Int64 = 20 << 20
        let scenario = SwarmFixtures.flashCrowd(leechers: 50, sizeBytes: size, pieceBytes: 64 << 10)
        let result = try SwarmFixtures.run(scenario, seed: seed)
        #expect(result.peers.filter { $0.completed != nil }.count == 50)
        let ratio = Self.checkBounds(result, fileBits: Double(size) * 8, "seed \(seed)")
        #expect(ratio <= 1.5, "last finish is \(ratio) × T_min")
    }
}
