import Incentives
import Scenario
import SimKernel
import Storage
import Swarm
import Testing

/// Both markets on one ledger: Scenarios/seed-and-store.yaml, shrunk to a 10 MiB file and
/// two days, where seed boxes earn BTT in Speed and pay for BTFS storage with it.
@Suite struct SeedAndStoreTests {
    static func run(_ sets: [String: String], seed: UInt64 = 3) throws -> RunResult {
        let base = ["torrent.size": "10 MiB", "duration": "2 d"]
        let overrides = (base.merging(sets) { $1 }).sorted { $0.key < $1.key }.map {
            Override(path: $0.key, value: $0.value)
        }
        let scenario = try ScenarioLoader.load(
            path: "\(IncentiveSwarmTests.root)/Scenarios/seed-and-store.yaml", overrides: overrides)
        return try Simulation(scenario: scenario, seed: seed).run()
    }

    static let tft = ["peers.seedboxes.strategy": "bittorrent", "peers.crowd.strategy": "bittorrent"]
    static let dear = ["incentives.price": "16 BTT/GiB", "incentives.reserve": "16 BTT/GiB"]

    /// What each renting peer paid for storage (hosts' pay and fees), by peer.
    static func storageCost(_ r: RunResult) throws -> [Int: TokenAmount] {
        let o = try #require(r.storage)
        var cost: [Int: TokenAmount] = [:]
        for case let peer? in o.renterPeers { cost[peer] = .zero }
        for f in o.files { if let peer = o.renterPeers[f.renter] { cost[peer]! += f.cost } }
        return cost
    }

    @Test func seedBoxesSpendWhatTheyEarnSeedingOnStorage() throws {
        let wallet = TokenAmount.btt(2)
        let r = try Self.run(Self.dear)
        #expect(r.tokensConserved)
        let cost = try Self.storageCost(r)
        let boxes = r.peers.filter { $0.group == "seedboxes" }
        #expect(cost.keys.sorted() == boxes.map(\.peer), "every seed box rents, no one else")
        for box in boxes {
            #expect(box.bttEarned > .zero)
            #expect(cost[box.peer]! <= wallet + box.bttEarned, "spent no more than it had")
        }
        #expect(boxes.contains { cost[$0.peer]! > wallet }, "earnings paid for storage")
    }

    @Test func withoutEarningsSeedBoxesKeepLessOfTheirData() throws {
        let wallet = TokenAmount.btt(2)
        let tft = try Self.run(Self.tft)
        let speed = try Self.run(Self.dear)
        #expect(tft.tokensConserved && tft.peers.allSatisfy { $0.bttEarned == .zero })
        #expect(try Self.storageCost(tft).values.allSatisfy { $0 <= wallet })
        let lost = { (r: RunResult) in r.storage!.tally.filesLost + r.storage!.tally.failedUploads }
        #expect(lost(tft) > lost(speed))
        #expect(speed.storage!.tally.availability! > tft.storage!.tally.availability!)
    }
}
