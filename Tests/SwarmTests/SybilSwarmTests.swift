import Incentives
import Reports
import Scenario
import SimKernel
import Swarm
import Testing

/// Sybil requesters (`identities: k`, docs/model.md "Sybil requesters") in
/// Scenarios/speed-sybils.yaml: one user behind k peers with one host, one balance and one
/// storage, which the market sees as k bidders.
@Suite struct SybilSwarmTests {
    static func run(identities: Int, seed: UInt64, sets: [String: String] = [:]) throws -> RunResult {
        let overrides = (["peers.sybils.identities": "\(identities)"].merging(sets) { $1 }).sorted { $0.key < $1.key }
            .map { Override(path: $0.key, value: $0.value) }
        let scenario = try ScenarioLoader.load(
            path: "\(IncentiveSwarmTests.root)/Scenarios/speed-sybils.yaml", overrides: overrides)
        return try Simulation(scenario: scenario, seed: seed).run()
    }

    /// One Sybil user with four identities among twenty honest bidders.
    static let small = [
        "duration": "2 h", "torrent.size": "20 MiB", "peers.crowd.count": "20",
        "peers.crowd.arrival": "{at: 0 s}", "peers.sybils.count": "1", "peers.sybils.arrival": "{at: 0 s}",
        "peers.sybils.bandwidth": "[{share: 1, down: 10000 kbit/s, up: 1000 kbit/s}]",
    ]

    @Test func aSybilUserIsOneRowWithOneUplinkOneStorageAndOneBalance() throws {
        let result = try Self.run(identities: 4, seed: 3, sets: Self.small)
        let rows = result.peers.filter { $0.group == "sybils" }
        #expect(rows.count == 1)
        let user = try #require(rows.first)
        #expect(user.identities == 4)
        #expect(result.peers.filter { $0.group != "sybils" }.allSatisfy { $0.identities == 1 })
        let completed = try #require(user.completed, "the Sybil user finished")
        // One storage, one picker's worth of requests: the file once, plus end game's few
        // duplicates. Four identities picking on their own downloaded 1.34 times the file.
        let size = Int64(20 << 20)
        #expect(user.bytesDown >= size && Double(user.bytesDown) < 1.05 * Double(size), "\(user.bytesDown)")
        // One uplink: all four sent no more than it carries while the user was there.
        let seconds = ((user.left ?? result.endTime) - user.joined).seconds
        #expect(Double(user.bytesUp) * 8 <= user.upBitsPerSecond * seconds)
        #expect(completed >= user.joined)
        // Four bidders in the market: the later identities, numbered after the first,
        // opened channels of their own and paid from the one balance.
        let later = Set((1...3).map { user.peer + $0 })
        let paidByLater = result.payments.filter { $0.payer.map(later.contains) ?? false }
        #expect(paidByLater.contains { $0.kind == .open })
        #expect(result.tokensConserved)
        let spent = result.payments.filter { r in
            r.kind == .close && r.payer.map { $0 == user.peer || later.contains($0) } ?? false
        }
        #expect(!spent.isEmpty)
    }

    /// k = 1 is an ordinary peer: the same run as without the key.
    @Test func oneIdentityIsAnOrdinaryPeer() throws {
        let withKey = try Self.run(identities: 1, seed: 5, sets: Self.small)
        var scenario = try ScenarioLoader.load(
            path: "\(IncentiveSwarmTests.root)/Scenarios/speed-sybils.yaml",
            overrides: Self.small.sorted { $0.key < $1.key }.map { Override(path: $0.key, value: $0.value) })
        scenario.peers[2].identities = 1
        let plain = try Simulation(scenario: scenario, seed: 5).run()
        #expect(withKey.peers == plain.peers)
        #expect(withKey.samples == plain.samples)
    }

    /// What a Sybil user pays for its slots: every identity opens its own channels, and
    /// each channel costs chain fees, so eight identities pay more fees than one. Ten
    /// paired seeds, 11 … 20, fixed before the first run; the check is the sign and the
    /// paired t-test at 5 %. (The crowd's slower downloads beside Sybils are smaller,
    /// about 5 %, and are measured by `btsim compare`, docs/guide.md.)
    @Test func eightIdentitiesPayMoreChainFeesThanOne() throws {
        func fees(_ r: RunResult) -> Double {
            r.peers.filter { $0.group == "sybils" }.map(\.bttFees.btt).reduce(0, +)
        }
        let seeds = (11...20).map(UInt64.init)
        let one = try seeds.map { fees(try Self.run(identities: 1, seed: $0, sets: Self.small)) }
        let eight = try seeds.map { fees(try Self.run(identities: 8, seed: $0, sets: Self.small)) }
        let paired = try #require(Inference.paired(base: one, variant: eight))
        #expect(paired.meanDifference > 0, "\(one) against \(eight)")
        #expect(paired.pValue < 0.05, "\(paired)")
    }
}
