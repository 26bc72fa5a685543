import BitTorrent
import Scenario
import SimKernel
import Testing

@testable import Swarm

/// Per-group protocol settings reach the clients of that group only (docs/scenarios.md,
/// "Peer groups"): a group limited to three connections keeps to them in a crowd whose
/// peers hold many more.
@Suite struct GroupProtocolSwarmTests {
    @Test func aGroupsConnectionLimitHoldsForItsPeersOnly() throws {
        var scenario = SwarmFixtures.flashCrowd(leechers: 30, sizeBytes: 32 << 20, duration: .seconds(60))
        var narrow = ProtocolSettings()
        narrow.maxConnections = 3
        narrow.minConnections = 2
        scenario.peers.append(
            PeerGroup(
                name: "narrow", count: 10, arrival: .at(.zero),
                bandwidth: .fixed(upBitsPerSecond: SwarmFixtures.mbit, downBitsPerSecond: 4 * SwarmFixtures.mbit),
                protocolSettings: narrow))
        let simulation = try Simulation(scenario: scenario, seed: 1)
        let result = simulation.run()
        #expect(result.peers.allSatisfy { $0.completed == nil || $0.startedWithFile }, "still downloading at the end")
        let byGroup = Dictionary(grouping: simulation.peers, by: { scenario.peers[$0.group].name })
        let narrowPeers = try #require(byGroup["narrow"])
        let crowd = try #require(byGroup["crowd"])
        #expect(narrowPeers.allSatisfy { $0.client.config.settings.maxConnections == 3 })
        #expect(narrowPeers.allSatisfy { $0.client.connectionCount <= 3 })
        #expect(narrowPeers.contains { $0.client.connectionCount > 0 })
        #expect(crowd.allSatisfy { $0.client.config.settings.maxConnections == ProtocolSettings().maxConnections })
        #expect(crowd.contains { $0.client.connectionCount > 3 })
    }
}
