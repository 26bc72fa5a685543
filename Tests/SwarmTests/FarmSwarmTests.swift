import Incentives
import Reports
import Scenario
import SimKernel
import Swarm
import Testing

/// Self-dealing farms (`farm: k`, docs/model.md "Self-dealing farms") in
/// Scenarios/speed-farm.yaml: a Speed seed with k leechers of its own, each with its own
/// account, that buy only from it.
@Suite struct FarmSwarmTests {
    static func run(farm: Int, seed: UInt64) throws -> RunResult {
        let sets = [
            "peers.farmers.farm": "\(farm)", "duration": "1 h", "torrent.size": "10 MiB",
            "peers.crowd.count": "20", "peers.crowd.arrival": "{at: 0 s}",
        ]
        let overrides = sets.sorted { $0.key < $1.key }.map { Override(path: $0.key, value: $0.value) }
        let scenario = try ScenarioLoader.load(
            path: "\(IncentiveSwarmTests.root)/Scenarios/speed-farm.yaml", overrides: overrides)
        return try Simulation(scenario: scenario, seed: seed).run()
    }

    @Test func aFarmsLeechersPayOnlyTheirFarmerAndTheFarmIsOneRow() throws {
        let result = try Self.run(farm: 3, seed: 2)
        let farmers = result.peers.filter { $0.group == "farmers" }
        #expect(farmers.count == 2)
        #expect(farmers.allSatisfy { $0.identities == 4 && $0.strategy == "speed" })
        var selfPaid = TokenAmount.zero
        for farmer in farmers {
            // The farmhands join right after their farmer, on its host.
            let hands = Set((1...3).map { farmer.peer + $0 })
            let opened = result.payments.filter { $0.kind == .open && $0.payer.map(hands.contains) == true }
            #expect(!opened.isEmpty, "its leechers bought slots")
            #expect(opened.allSatisfy { $0.payee == farmer.peer }, "from their farmer only")
            // Each downloaded the file: the farm's row counts their bytes.
            #expect(farmer.bytesDown >= 3 * (10 << 20))
            selfPaid += result.payments.filter { $0.kind == .close && $0.payer.map(hands.contains) == true }
                .map(\.amount).reduce(.zero, +)
            // What the farm paid itself it also earned: the row's spending is all its own.
            #expect(farmer.bttSpent > .zero && farmer.bttEarned >= farmer.bttSpent)
        }
        #expect(farmers.map(\.bttSpent).reduce(.zero, +) == selfPaid)
        #expect(result.tokensConserved)
    }

    /// With no farm (k = 0) the farmers are ordinary seeds: no leecher bought from them on
    /// their behalf and they spent nothing.
    @Test func withoutAFarmTheFarmersAreOrdinarySeeds() throws {
        let result = try Self.run(farm: 0, seed: 2)
        let farmers = result.peers.filter { $0.group == "farmers" }
        #expect(farmers.allSatisfy { $0.identities == 1 && $0.bttSpent == .zero })
    }
}
