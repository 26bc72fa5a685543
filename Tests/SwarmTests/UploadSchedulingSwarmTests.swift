import BitTorrent
import Scenario
import SimKernel
import Strategies
import Testing

@testable import Swarm

/// A strategy that chooses whose block goes next (`UploadScheduling.strategyChooses`)
/// decides how the simulated uplink is shared: a seed that always serves the lowest
/// address first finishes that downloader in about half the time of round-robin, where
/// both finish together.
@Suite struct UploadSchedulingSwarmTests {
    /// Strict priority to the lowest address among the connections with a request.
    final class LowestAddressFirst: PeerStrategy {
        var uploadScheduling: UploadScheduling { .strategyChooses }
        func nextUpload(among candidates: [ConnectionID], client: TorrentClient) -> ConnectionID? {
            candidates.min { (client.session($0)?.address.ipv4 ?? 0) < (client.session($1)?.address.ipv4 ?? 0) }
        }
    }

    static let priority = StrategyDefinition(name: "test-priority", summary: "serves the lowest address first") { _ in
        StrategyInstance(strategy: LowestAddressFirst())
    }

    /// A 1 Mbit/s seed and two downloaders that never upload, so all data comes from it.
    func completions(seedStrategy: StrategyDefinition) throws -> [Double] {
        let mbit = SwarmFixtures.mbit
        let scenario = Scenario(
            name: "priority", seed: 1, duration: .hours(1),
            torrent: TorrentSpec(sizeBytes: 1 << 20, pieceSizeBytes: 64 << 10),
            peers: [
                PeerGroup(
                    name: "seed", count: 1, arrival: .at(.zero), hasFile: true,
                    bandwidth: .fixed(upBitsPerSecond: mbit, downBitsPerSecond: mbit), strategy: seedStrategy),
                PeerGroup(
                    name: "crowd", count: 2, arrival: .at(.zero),
                    bandwidth: .fixed(upBitsPerSecond: mbit, downBitsPerSecond: 10 * mbit),
                    strategy: .freerider),
            ])
        let result = try SwarmFixtures.run(scenario, seed: 1)
        return try result.peers.filter { $0.group == "crowd" }.sorted { $0.peer < $1.peer }.map {
            try #require($0.completed).seconds
        }
    }

    @Test func theStrategyDecidesWhoseDownloadTheUplinkServes() throws {
        let shared = try completions(seedStrategy: .bittorrent)
        #expect(abs(shared[0] - shared[1]) < 0.1 * shared[1], "round-robin: \(shared)")
        let prioritised = try completions(seedStrategy: Self.priority)
        #expect(prioritised[0] < 0.6 * prioritised[1], "priority: \(prioritised)")
        // The uplink is not wasted: the last download ends when it does under round-robin.
        #expect(abs(prioritised[1] - shared[1]) < 0.1 * shared[1], "\(prioritised) against \(shared)")
    }
}
