/// `survival.csv`: the Kaplan–Meier estimate, over a folder's runs, of the probability
/// that the swarm has not died by t (docs/metrics.md). Computed from summary.csv's cells
/// (`swarm_lifetime_capped_s`, `swarm_survived`, `horizon_s`), like the aggregates, so
/// merged shards give the same bytes as one run.
public enum SurvivalTable {
    public static let header = ["variant", "t_s", "at_risk", "deaths", "survival", "ci_low", "ci_high"]

    /// One block of rows per variant (per sweep point, with its point columns at the end);
    /// nil when no run has a swarm (a storage-only scenario) or the runs are catalogues.
    public static func table(_ summary: CSVTable) -> CSVTable? {
        blocks(summary, by: [])
    }

    /// A catalogue's survival.csv, from torrents.csv: one curve per variant and torrent,
    /// `torrent` after the columns above. Each torrent's time counts from its own first
    /// moment available, and a torrent alive at the horizon is censored there, so torrents
    /// released at different times enter at different times (staggered entry) and none is
    /// dropped; one released after the horizon was never observed and has no curve.
    public static func table(torrents: CSVTable) -> CSVTable? {
        blocks(torrents, by: ["torrent"])
    }

    /// The curves of `source`'s rows by variant and the `keys` columns, in order of first
    /// appearance (`Aggregates.blocks`).
    private static func blocks(_ source: CSVTable, by keys: [String]) -> CSVTable? {
        let pointColumns = source.column("point").map { Array(source.header[$0...]) } ?? []
        var t = CSVTable(header: header + keys + pointColumns)
        for block in Aggregates.blocks(source, Aggregates.Level(metrics: [], keys: keys)) {
            let rows = block.rows
            let observations = rows.compactMap { row -> KaplanMeier.Observation? in
                guard let time = Double(source.cell(row, Metrics.swarmLifetimeCapped.name)) else { return nil }
                return KaplanMeier.Observation(
                    time: time, died: source.cell(row, Metrics.swarmSurvived.name) == "false")
            }
            guard !observations.isEmpty else { continue }
            let horizon = rows.compactMap { Double(source.cell($0, "horizon_s")) }.max() ?? 0
            let point = rows.first.map { row in pointColumns.map { source.cell(row, $0) } } ?? []
            for step in KaplanMeier.estimate(observations, horizon: horizon) {
                t.append(
                    [block.variant, CSVFormat.seconds(step.time), "\(step.atRisk)", "\(step.deaths)"]
                        + [step.survival, step.low, step.high].map { CSVFormat.fixed($0, 6) } + block.key + point)
            }
        }
        return t.rows.isEmpty ? nil : t
    }
}
