import Foundation
import Testing

@testable import Reports

/// Kaplan–Meier over runs: a hand-computed example with ties and staggered censoring,
/// the restricted mean at both extremes, and survival.csv from summary cells.
@Suite struct SurvivalTests {
    typealias O = KaplanMeier.Observation

    /// Deaths at 2, 2, 5 and 8; censored at 3, 5 (tied with a death) and 10; horizon 10.
    /// By hand: S(2) = 1 − 2/7 = 5/7; at 5 four are at risk (5, 5, 8, 10), one dies:
    /// S(5) = 5/7 · 3/4 = 15/28; at 8 two are at risk: S(8) = 15/28 · 1/2 = 15/56.
    /// Greenwood sums: 2/(7·5) = 0.057143; + 1/(4·3) = 0.140476; + 1/(2·1) = 0.640476.
    static let example = [
        O(time: 2, died: true), O(time: 2, died: true), O(time: 3, died: false), O(time: 5, died: true),
        O(time: 5, died: false), O(time: 8, died: true), O(time: 10, died: false),
    ]

    @Test func theEstimateMatchesTheHandComputedOne() {
        let steps = KaplanMeier.estimate(Self.example, horizon: 10)
        #expect(steps.map(\.time) == [0, 2, 5, 8, 10])
        #expect(steps.map(\.atRisk) == [7, 7, 4, 2, 1])
        #expect(steps.map(\.deaths) == [0, 2, 1, 1, 0])
        let want = [1, 5.0 / 7, 15.0 / 28, 15.0 / 56, 15.0 / 56]
        for (s, w) in zip(steps, want) { #expect(abs(s.survival - w) < 1e-12) }
        // Log-log limits at t = 2: se = √0.057143 / |ln(5/7)| = 0.710437, c = ln(−ln(5/7)) = −1.089240,
        // limits exp(−exp(c ± 1.959964 · se)).
        let c = log(-log(5.0 / 7))
        let se = (2.0 / 35).squareRoot() / abs(log(5.0 / 7))
        #expect(abs(steps[1].low - exp(-exp(c + 1.959964 * se))) < 1e-6)
        #expect(abs(steps[1].high - exp(-exp(c - 1.959964 * se))) < 1e-6)
        for s in steps { #expect(s.low >= 0 && s.low <= s.survival && s.survival <= s.high && s.high <= 1) }
        #expect(steps[0].low == 1 && steps[0].high == 1, "no death yet: a point at 1")
    }

    @Test func everyoneDeadIsAPointAtZero() {
        let steps = KaplanMeier.estimate([O(time: 1, died: true), O(time: 4, died: true)], horizon: 10)
        #expect(steps.last?.survival == 0 && steps.last?.low == 0 && steps.last?.high == 0)
        #expect(steps.map(\.time) == [0, 1, 4, 10])
    }

    @Test func theRestrictedMeanIsTheHorizonWhenAllSurviveAndTheMeanWhenNoneDoes() {
        let censored = (0..<5).map { _ in O(time: 100, died: false) }
        #expect(KaplanMeier.restrictedMean(KaplanMeier.estimate(censored, horizon: 100), horizon: 100) == 100)
        let dead = [10.0, 20, 30, 60].map { O(time: $0, died: true) }
        let area = KaplanMeier.restrictedMean(KaplanMeier.estimate(dead, horizon: 100), horizon: 100)
        #expect(abs(area - 30) < 1e-12, "without censoring the area is the mean lifetime")
        // With censoring only at the horizon, the area equals the mean of the capped times:
        // the summary's swarm_lifetime_capped_s mean is that restricted mean.
        let mixed = [O(time: 10, died: true), O(time: 40, died: true), O(time: 100, died: false)]
        let mixedArea = KaplanMeier.restrictedMean(KaplanMeier.estimate(mixed, horizon: 100), horizon: 100)
        #expect(abs(mixedArea - 50) < 1e-12)
    }

    @Test func survivalCSVComesFromTheSummaryCells() throws {
        var summary = CSVTable(header: SummaryColumns.header)
        for (run, capped, survived) in [(1, "2.0", "false"), (2, "10.0", "true"), (3, "5.0", "false")] {
            let cells = [
                "variant": "base", "run": "\(run)", "swarm_lifetime_capped_s": capped,
                "swarm_survived": survived, "horizon_s": "10.000000",
            ]
            summary.append(SummaryColumns.header.map { cells[$0] ?? "" })
        }
        let t = try #require(SurvivalTable.table(summary))
        #expect(t.header == SurvivalTable.header)
        #expect(t.rows.map { $0[1] } == ["0.000000", "2.000000", "5.000000", "10.000000"])
        #expect(t.rows.map { $0[4] } == ["1.000000", "0.666667", "0.333333", "0.333333"])
        // No swarm at all (storage only): no table.
        var storageOnly = CSVTable(header: SummaryColumns.header)
        storageOnly.append(SummaryColumns.header.map { ["variant": "base", "run": "1"][$0] ?? "" })
        #expect(SurvivalTable.table(storageOnly) == nil)
    }

    /// A catalogue: one curve per torrent from torrents.csv, each censored at its own
    /// horizon less its first availability; a torrent released after the horizon has none.
    @Test func catalogueCurvesComeFromTheTorrentRows() throws {
        var torrents = CSVTable(header: TorrentColumns.header)
        let rows: [(run: Int, torrent: Int, capped: String, survived: String)] = [
            (1, 1, "2.0", "false"), (2, 1, "8.0", "true"), (1, 2, "3.0", "false"), (2, 2, "", ""),
        ]
        for r in rows {
            let cells = [
                "variant": "base", "run": "\(r.run)", "torrent": "\(r.torrent)", "swarm_lifetime_capped_s": r.capped,
                "swarm_survived": r.survived, "horizon_s": "10.000000",
            ]
            torrents.append(TorrentColumns.header.map { cells[$0] ?? "" })
        }
        let t = try #require(SurvivalTable.table(torrents: torrents))
        #expect(t.header == SurvivalTable.header + ["torrent"])
        #expect(
            t.rows.map { [$0[1], $0[2], $0[3], $0[4], $0[7]] } == [
                ["0.000000", "2", "0", "1.000000", "1"], ["2.000000", "2", "1", "0.500000", "1"],
                ["10.000000", "0", "0", "0.500000", "1"],
                ["0.000000", "1", "0", "1.000000", "2"], ["3.000000", "1", "1", "0.000000", "2"],
                ["10.000000", "0", "0", "0.000000", "2"],
            ])
    }

    /// A swarm's lifetime from its first full copy, censored at the horizon; a catalogue
    /// torrent's availability counts from its release.
    @Test func swarmLifetimesCountFromTheFirstFullCopy() {
        let died = SwarmLifetime(
            firstAvailable: .seconds(100), death: .seconds(400), availableTime: .seconds(300), release: .seconds(50),
            horizon: .seconds(1050))
        #expect(died.lifetime == 300 && !died.survived && died.lifetimeCapped == 300)
        #expect(died.availableFraction == 0.3)
        let alive = SwarmLifetime(
            firstAvailable: .seconds(100), death: nil, availableTime: .seconds(950), release: .zero,
            horizon: .seconds(1050))
        #expect(alive.lifetime == nil && alive.survived && alive.lifetimeCapped == 950)
        let never = SwarmLifetime(
            firstAvailable: nil, death: nil, availableTime: .zero, release: .seconds(500), horizon: .seconds(1000))
        #expect(never.lifetime == 0 && !never.survived && never.lifetimeCapped == 0 && never.availableFraction == 0)
    }
}
