import Scenario
import SimKernel
import Testing

@testable import Experiments
@testable import Reports

@Suite struct ExperimentTests {
    static func summary(_ rows: [(variant: String, run: Int, download: String)]) -> CSVTable {
        var t = CSVTable(header: ResultTables.summaryHeader)
        for r in rows {
            var cells = Array(repeating: "", count: ResultTables.summaryHeader.count)
            cells[1] = r.variant
            cells[2] = "\(r.run)"
            cells[ResultTables.summaryHeader.firstIndex(of: "mean_download_s")!] = r.download
            t.append(cells)
        }
        return t
    }

    @Test func aggregatesAreMeansWithStudentIntervalsOverRunsWithAValue() {
        let t = Aggregates.table(Self.summary([("base", 1, "1"), ("base", 2, "2"), ("base", 3, "3"), ("base", 4, "")]))
        let row = t.rows.first { $0[0] == "mean_download_s" }!
        // mean 2, sd 1, n 3: half-width t(0.975, 2) · 1/√3 = 4.302653 / 1.732051 = 2.484138,
        // and a download time is never negative, so the interval starts at 0, not −0.484138.
        #expect(row[1] == "base" && row[2] == "3")
        #expect(row[3] == "2.000000" && row[6] == "1.000000")
        #expect(row[4] == "0.000000" && row[5] == "4.484138")
        // A metric with no values at all has n = 0 and empty cells.
        let lifetime = t.rows.first { $0[0] == "swarm_lifetime_s" }!
        #expect(lifetime[2] == "0" && lifetime[3].isEmpty)
    }

    @Test func sweepAggregatesKeepThePointAndTheSweptValues() {
        let summary = Self.summary([("p=1", 1, "4"), ("p=1", 2, "6"), ("p=2", 1, "8")])
            .appendingColumns(["point", "p"], values: ["?", "?"])
        var swept = CSVTable(header: summary.header)
        for (row, point) in zip(summary.rows, [["1", "1 BTT/GiB"], ["1", "1 BTT/GiB"], ["2", "4 BTT/GiB"]]) {
            swept.append(Array(row.dropLast(2)) + point)
        }
        let t = Aggregates.table(swept)
        #expect(t.header == Aggregates.aggregateHeader + ["point", "p"])
        let second = t.rows.first { $0[0] == "mean_download_s" && $0[1] == "p=2" }!
        #expect(second.suffix(2) == ["2", "4 BTT/GiB"] && second[3] == "8.000000")
        #expect(Aggregates.table(Self.summary([("base", 1, "1")])).header == Aggregates.aggregateHeader)
    }

    @Test func comparisonsPairRunsByReplication() {
        let base = Self.summary([("base", 1, "10"), ("base", 2, "20"), ("base", 3, "30")])
        // Run 2 of the variant has no value: only runs 1 and 3 pair up, each 5 higher.
        let variant = Self.summary([("v", 1, "15"), ("v", 2, ""), ("v", 3, "35")])
        let t = Aggregates.comparison([base, variant])
        let row = t.rows.first { $0[0] == "mean_download_s" && $0[1] == "v" }!
        #expect(row[7] == "5.000000")
        #expect(row[10] == "0.000000", "identical differences: a certain change")
        let baseRow = t.rows.first { $0[0] == "mean_download_s" && $0[1] == "base" }!
        #expect(baseRow[7].isEmpty)
    }

    @Test func regressionNeedsSignificanceAndTheMinimumEffect() {
        let baseline = Self.summary((1...5).map { ("base", $0, "\(100 + $0)") })
        let slower = Self.summary((1...5).map { ("base", $0, "\(120 + $0)") })
        let barely = Self.summary((1...5).map { ("base", $0, "\(101 + $0)") })
        let faster = Self.summary((1...5).map { ("base", $0, "\(80 + $0)") })
        func verdict(_ current: CSVTable, effect: Double = 0.05) -> Regression.Verdict {
            Regression.compare(baseline: baseline, current: current, alpha: 0.01, minimumEffect: effect)
                .first { $0.metric == "mean_download_s" }!.verdict
        }
        #expect(verdict(slower) == .worse)
        #expect(verdict(faster) == .better)
        #expect(verdict(baseline) == .unchanged)
        // +1 % is not significant at 5 runs with sd 1.58 … and below a 5 % minimum anyway.
        #expect(verdict(barely) == .unchanged)
        #expect(verdict(barely, effect: 0) == .unchanged)
    }

    @Test func shardsPartitionTheRunsAndSeedsAreCommonAcrossGroups() throws {
        let yaml = """
            name: e
            duration: 10 min
            torrent: {size: 1 MiB}
            peers: [{group: c, count: 2, arrival: {at: 0 s}, up: 1 Mbit/s, down: 1 Mbit/s}]
            variants: [{name: a, set: {torrent.size: 2 MiB}}, {name: b, set: {torrent.size: 3 MiB}}]
            """
        let scenario = try ScenarioLoader.parse(yaml: yaml, file: "e.yaml")
        let e = try Experiment(kind: .compare, scenario: scenario, replications: 4, masterSeed: 11)
        #expect(e.groups.map(\.label) == ["base", "a", "b"])
        #expect(e.runs.count == 12)
        var seen: [Int] = []
        for i in 1...5 { seen += e.runs(shard: i, of: 5).map(\.index) }
        #expect(seen.sorted() == Array(0..<12))
        for r in 1...4 { #expect(Set(e.runs.filter { $0.replication == r }.map(\.seed)).count == 1) }
        #expect(e.runs.first { $0.replication == 1 }?.seed == 11)
    }
}
