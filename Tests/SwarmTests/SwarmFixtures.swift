import BitTorrent
import Scenario
import SimKernel
import Swarm

/// Small scenarios for swarm tests, built in code: settings, who starts with what, and
/// the limits of the run.
enum SwarmFixtures {
    static func run(_ scenario: Scenario, seed: UInt64) throws -> RunResult {
        try Simulation(scenario: scenario, seed: seed).run()
    }

    static let mbit = 1_000_000.0

    static func flashCrowd(
        leechers: Int, sizeBytes: Int64 = 4 << 20, pieceBytes: Int = 256 << 10, seedUp: Double = 2 * mbit,
        leecherUp: Double = 1 * mbit, leecherDown: Double = 4 * mbit, seeding: Seeding = .forever,
        duration: SimTime = .hours(2), seed: UInt64 = 1
    ) -> Scenario {
        Scenario(
            name: "test-flash-crowd", seed: seed, duration: duration,
            torrent: TorrentSpec(sizeBytes: sizeBytes, pieceSizeBytes: pieceBytes),
            peers: [
                PeerGroup(
                    name: "publisher", count: 1, arrival: .at(.zero), hasFile: true,
                    bandwidth: .fixed(upBitsPerSecond: seedUp, downBitsPerSecond: seedUp)),
                PeerGroup(
                    name: "crowd", count: leechers, arrival: .at(.zero),
                    bandwidth: .fixed(upBitsPerSecond: leecherUp, downBitsPerSecond: leecherDown), seeding: seeding),
            ])
    }
}
