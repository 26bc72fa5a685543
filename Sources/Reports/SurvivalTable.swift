/// `survival.csv`: the Kaplan–Meier estimate, over a folder's runs, of the probability
/// that the swarm has not died by t (docs/metrics.md). Computed from summary.csv's cells
/// (`swarm_lifetime_capped_s`, `swarm_survived`, `horizon_s`), like the aggregates, so
/// merged shards give the same bytes as one run.
public enum SurvivalTable {
    public static let header = ["variant", "t_s", "at_risk", "deaths", "survival", "ci_low", "ci_high"]

    /// One block of rows per variant (per sweep point, with its point columns at the end);
    /// nil when no run has a swarm (a storage-only scenario).
    public static func table(_ summary: CSVTable) -> CSVTable? {
        let pointColumns = summary.column("point").map { Array(summary.header[$0...]) } ?? []
        var t = CSVTable(header: header + pointColumns)
        for variant in Aggregates.variants(summary) {
            let rows = summary.rows.filter { summary.cell($0, "variant") == variant }
            let observations = rows.compactMap { row -> KaplanMeier.Observation? in
                guard let time = Double(summary.cell(row, Metrics.swarmLifetimeCapped.name)) else { return nil }
                return KaplanMeier.Observation(
                    time: time, died: summary.cell(row, Metrics.swarmSurvived.name) == "false")
            }
            guard !observations.isEmpty else { continue }
            let horizon = rows.compactMap { Double(summary.cell($0, "horizon_s")) }.max() ?? 0
            let point = rows.first.map { row in pointColumns.map { summary.cell(row, $0) } } ?? []
            for step in KaplanMeier.estimate(observations, horizon: horizon) {
                t.append(
                    [variant, CSVFormat.seconds(step.time), "\(step.atRisk)", "\(step.deaths)"]
                        + [step.survival, step.low, step.high].map { CSVFormat.fixed($0, 6) } + point)
            }
        }
        return t.rows.isEmpty ? nil : t
    }
}
