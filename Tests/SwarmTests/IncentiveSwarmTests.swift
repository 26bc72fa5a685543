import Incentives
import Scenario
import SimKernel
import Swarm
import Testing

/// The token economy in whole swarms: Scenarios/speed-vs-tft.yaml, shrunk to a 20 MiB file
/// so that each run takes about a second.
@Suite struct IncentiveSwarmTests {
    static let root: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
        return path
    }()

    static func run(_ sets: [String: String], seed: UInt64) throws -> RunResult {
        let overrides = (["torrent.size": "20 MiB"].merging(sets) { $1 }).sorted { $0.key < $1.key }.map {
            Override(path: $0.key, value: $0.value)
        }
        let scenario = try ScenarioLoader.load(path: "\(root)/Scenarios/speed-vs-tft.yaml", overrides: overrides)
        return try Simulation(scenario: scenario, seed: seed).run()
    }

    static func speed(price: String) -> [String: String] {
        ["peers.crowd.strategy": "speed", "incentives.price": price, "incentives.reserve": price]
    }

    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

    static func meanSeeding(_ r: RunResult) -> Double {
        mean(r.peers.filter { $0.group == "crowd" && $0.completed != nil }.map(\.seeding.seconds))
    }

    /// Lifetime when the swarm died, else the end of the run (a lower bound).
    static func lifetime(_ r: RunResult) -> Double { (r.swarmDeath ?? r.endTime).seconds }

    @Test func aHigherPriceKeepsRationalSeedersLongerAndTheSwarmAliveLonger() throws {
        let seeds: [UInt64] = [1, 2, 3]
        var seeding: [String: Double] = [:]
        var lifetime: [String: Double] = [:]
        for (name, sets) in [
            ("tft", [:]), ("cheap", Self.speed(price: "4 BTT/GiB")), ("dear", Self.speed(price: "16 BTT/GiB")),
        ] {
            let runs = try seeds.map { try Self.run(sets, seed: $0) }
            seeding[name] = Self.mean(runs.map(Self.meanSeeding))
            lifetime[name] = Self.mean(runs.map(Self.lifetime))
        }
        #expect(seeding["cheap"]! > seeding["tft"]!)
        #expect(seeding["dear"]! > seeding["cheap"]!)
        #expect(lifetime["cheap"]! > lifetime["tft"]!)
        #expect(lifetime["dear"]! > lifetime["cheap"]!)
    }

    /// Where upload slots are scarce (a dense crowd, seeds leave at once, a slow
    /// publisher), paying peers win the regular slots and free-riders live on optimistic
    /// unchokes and leftovers. (In a seed-rich swarm free-riders are as fast: spare slots
    /// go to non-bidders, and there is nothing to outbid them for.)
    @Test func freeRidersDownloadSlowerThanPayingPeersWhereSlotsAreScarce() throws {
        var sets = Self.speed(price: "4 BTT/GiB")
        sets["peers.freeriders.count"] = "1000"
        sets["peers.crowd.seeding"] = "{for: 0 s}"
        sets["peers.publisher.seeding"] = "forever"
        sets["peers.publisher.up"] = "1 Mbit/s"
        sets["peers.crowd.arrival"] = "{decaying: {rate: 600/h, tau: 30 min}}"
        sets["peers.freeriders.arrival"] = "{decaying: {rate: 150/h, tau: 30 min}}"
        var riders: [Double] = []
        var payers: [Double] = []
        for seed: UInt64 in [1, 2] {
            let r = try Self.run(sets, seed: seed)
            riders += r.peers.filter { $0.group == "freeriders" }.compactMap { $0.downloadTime?.seconds }
            payers += r.peers.filter { $0.group == "crowd" }.compactMap { $0.downloadTime?.seconds }
            #expect(r.peers.filter { $0.group == "freeriders" }.allSatisfy { $0.bytesUp == 0 && $0.bttSpent == .zero })
        }
        #expect(riders.count >= 50 && payers.count >= 200)
        #expect(Self.mean(riders) > 1.1 * Self.mean(payers))
    }

    @Test func everyTokenIsAccountedFor() throws {
        let r = try Self.run(Self.speed(price: "4 BTT/GiB"), seed: 4)
        #expect(r.tokensConserved)
        let spent = r.peers.reduce(TokenAmount.zero) { $0 + $1.bttSpent }
        let earned = r.peers.reduce(TokenAmount.zero) { $0 + $1.bttEarned }
        #expect(spent == earned)
        #expect(spent == r.bttVolume)
        #expect(r.bttVolume > .zero)
        // Closes pay exactly the settled volume; each opened channel closed at most once.
        let closes = r.payments.filter { $0.kind == .close }
        #expect(closes.reduce(TokenAmount.zero) { $0 + $1.amount } == r.bttVolume)
        #expect(Set(closes.compactMap(\.channel)).count == closes.count)
        #expect(r.payments.filter { $0.kind == .open }.count >= closes.count)
        // Vouchers accepted per sample add up to no more than what settled (the rest was
        // still in flight at settlement, or after the last sample).
        let sampled = r.samples.reduce(TokenAmount.zero) { $0 + $1.bttTransferred }
        #expect(sampled > .zero && sampled <= r.bttVolume)
        #expect(r.samples.allSatisfy { $0.bttTransferred >= .zero })
    }

    @Test func aSpeedRunIsAPureFunctionOfItsSeed() throws {
        let a = try Self.run(Self.speed(price: "4 BTT/GiB"), seed: 9)
        let b = try Self.run(Self.speed(price: "4 BTT/GiB"), seed: 9)
        #expect(a.payments == b.payments)
        #expect(a.peers == b.peers)
    }
}
