import Foundation
import Scenario
import SimKernel
import Swarm
import Testing

@testable import Experiments
@testable import Reports

/// groups.csv against peers.csv: the same numbers, computed per group, never pooled.
@Suite struct GroupTablesTests {
    /// A publisher, a tit-for-tat crowd and free-riders (who upload nothing) in one swarm.
    static func outputs() throws -> [RunOutput] {
        var s = ResultTablesTests.scenario
        s.peers.append(
            PeerGroup(
                name: "riders", count: 4, arrival: .at(.zero),
                bandwidth: .fixed(upBitsPerSecond: 5e5, downBitsPerSecond: 2e6), seeding: .duration(.constant(0)),
                strategy: .freerider))
        let experiment = try Experiment(kind: .run, scenario: s, replications: 3, masterSeed: 11)
        return try ExperimentRunner.execute(experiment.runs, of: experiment, jobs: 1).map(\.output)
    }

    @Test func groupMeansAreThoseOfTheGroupsPeers() throws {
        let out = try Self.outputs()
        let peers = ResultTables.peers(out)
        let groups = GroupColumns.table(out, scenario: "t", variant: "base")
        #expect(groups.header.starts(with: ["scenario", "variant", "run", "group", "strategy", "peers"]))
        #expect(groups.rows.count == 3 * 3, "every group in every run")
        for row in groups.rows {
            let run = groups.cell(row, "run")
            let group = groups.cell(row, "group")
            let mine = peers.rows.filter { peers.cell($0, "run") == run && peers.cell($0, "group") == group }
            #expect(Int(groups.cell(row, "peers")) == mine.count)
            let downloads = mine.compactMap { Double(peers.cell($0, "download_s")) }
            if downloads.isEmpty {
                #expect(groups.cell(row, "mean_download_s").isEmpty)
            } else {
                let mean = try #require(Double(groups.cell(row, "mean_download_s")))
                #expect(abs(mean - downloads.reduce(0, +) / Double(downloads.count)) < 1e-5, "\(group), run \(run)")
            }
            let up = mine.compactMap { Int64(peers.cell($0, "bytes_up")) }.reduce(0, +)
            #expect(Int64(groups.cell(row, "bytes_up")) == up)
        }
        // Free-riders never upload; the crowd does.
        let riders = groups.rows.filter { groups.cell($0, "group") == "riders" }
        #expect(riders.allSatisfy { groups.cell($0, "bytes_up") == "0" && groups.cell($0, "strategy") == "freerider" })
        #expect(
            groups.rows.contains {
                groups.cell($0, "group") == "crowd, with comma" && groups.cell($0, "bytes_up") != "0"
            })
    }

    @Test func groupAggregatesAreOneBlockPerGroup() throws {
        let groups = GroupColumns.table(try Self.outputs(), scenario: "t", variant: "base")
        let t = Aggregates.table(groups, .groups)
        #expect(t.header == ["metric", "variant", "group", "n", "mean", "ci_low", "ci_high", "sd"])
        let riders = try #require(
            t.rows.first { t.cell($0, "metric") == "bytes_up" && t.cell($0, "group") == "riders" })
        #expect(t.cell(riders, "n") == "3" && t.cell(riders, "mean") == "0.000000")
        // The crowd's completion ratio is the mean of its three runs, not pooled with the riders.
        let ratios = groups.rows.filter { groups.cell($0, "group") == "crowd, with comma" }.compactMap {
            Double(groups.cell($0, "completion_ratio"))
        }
        let crowd = try #require(
            t.rows.first { t.cell($0, "metric") == "completion_ratio" && t.cell($0, "group") == "crowd, with comma" })
        #expect(abs(Double(t.cell(crowd, "mean"))! - ratios.reduce(0, +) / 3) < 1e-6)
    }
}
