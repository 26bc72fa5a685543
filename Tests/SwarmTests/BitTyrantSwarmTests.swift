import Reports
import Scenario
import SimKernel
import Strategies
import Testing

/// BitTyrant in a swarm (docs/model.md, "Strategies and BitTorrent Speed"): when every
/// leecher runs it, downloads are slower than when every leecher runs BitTorrent, as
/// Carra, Neglia and Michiardi found in simulation (Eurecom RR-08-209) and Piatek et al.
/// warned (NSDI 2007, §5). Ten paired replications with common random numbers, fixed
/// before the first run; the check is the sign and the paired t-test at 5 %.
@Suite struct BitTyrantSwarmTests {
    static func swarm(crowd strategy: StrategyDefinition) -> Scenario {
        let kbit = 1_000.0
        return Scenario(
            name: "bittyrant-everywhere", seed: 1, duration: .hours(2),
            torrent: TorrentSpec(sizeBytes: 30 << 20, pieceSizeBytes: 256 << 10),
            peers: [
                PeerGroup(
                    name: "publisher", count: 1, arrival: .at(.zero), hasFile: true,
                    bandwidth: .fixed(upBitsPerSecond: 2_000 * kbit, downBitsPerSecond: 2_000 * kbit)),
                PeerGroup(
                    name: "crowd", count: 80, arrival: .poisson(ratePerSecond: 1, until: .seconds(80)),
                    bandwidth: .mix([
                        BandwidthClass(share: 0.20, upBitsPerSecond: 128 * kbit, downBitsPerSecond: 784 * kbit),
                        BandwidthClass(share: 0.40, upBitsPerSecond: 384 * kbit, downBitsPerSecond: 1_500 * kbit),
                        BandwidthClass(share: 0.25, upBitsPerSecond: 1_000 * kbit, downBitsPerSecond: 3_000 * kbit),
                        BandwidthClass(share: 0.15, upBitsPerSecond: 5_000 * kbit, downBitsPerSecond: 10_000 * kbit),
                    ]), seeding: .duration(.constant(300)), strategy: strategy),
            ])
    }

    static func meanDownload(_ scenario: Scenario, seed: UInt64) throws -> Double {
        let times = try SwarmFixtures.run(scenario, seed: seed).peers.compactMap { p in
            p.completed.map { ($0 - p.joined).seconds }
        }
        return times.reduce(0, +) / Double(max(times.count, 1))
    }

    @Test func everyoneRunningBitTyrantIsSlowerThanEveryoneRunningBitTorrent() throws {
        let seeds = (1...10).map(UInt64.init)
        let standard = try seeds.map { try Self.meanDownload(Self.swarm(crowd: .bittorrent), seed: $0) }
        let tyrants = try seeds.map { try Self.meanDownload(Self.swarm(crowd: .bittyrant), seed: $0) }
        let paired = try #require(Inference.paired(base: standard, variant: tyrants))
        #expect(paired.meanDifference > 0, "\(standard) against \(tyrants)")
        #expect(paired.pValue < 0.05, "\(paired)")
    }
}
