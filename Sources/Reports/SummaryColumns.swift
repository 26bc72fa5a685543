import Incentives
import Swarm

/// One column of summary.csv: its name, how a run's cell is written and, for a metric,
/// the metric's declaration. The header, the cells and the list of aggregated metrics all
/// come from `SummaryColumns.all`, so a column cannot be named in one place and missed in
/// another. Columns may be added at the end, never changed (docs/metrics.md).
public struct SummaryColumn: Sendable {
    /// What a cell is made from.
    public struct Run: Sendable {
        public let scenario: String
        public let variant: String
        public let output: RunOutput
        public let summary: RunSummary
        var result: RunResult { output.result }
    }

    public let name: String
    /// Set for the columns that are metrics (aggregated, compared, regression-tested).
    public let metric: Metric?
    let cell: @Sendable (Run) -> String

    init(_ name: String, _ cell: @escaping @Sendable (Run) -> String) {
        self.name = name
        metric = nil
        self.cell = cell
    }

    init(_ metric: Metric, _ cell: @escaping @Sendable (Run) -> String) {
        name = metric.name
        self.metric = metric
        self.cell = cell
    }
}

public enum SummaryColumns {
    public static let all: [SummaryColumn] = [
        SummaryColumn("scenario") { $0.scenario },
        SummaryColumn("variant") { $0.variant },
        SummaryColumn("run") { "\($0.output.run)" },
        SummaryColumn("seed") { "\($0.result.seed)" },
        SummaryColumn("peers") { "\($0.summary.peers)" },
        SummaryColumn("completed") { "\($0.summary.completed)" },
        SummaryColumn(Metrics.completionRatio) { CSVFormat.optional($0.summary.completionRatio, 6) },
        SummaryColumn(Metrics.meanDownload) { CSVFormat.seconds($0.summary.meanDownload) },
        SummaryColumn(Metrics.medianDownload) { CSVFormat.seconds($0.summary.medianDownload) },
        SummaryColumn(Metrics.p95Download) { CSVFormat.seconds($0.summary.p95Download) },
        SummaryColumn(Metrics.lastFinish) { CSVFormat.seconds($0.summary.lastFinish) },
        SummaryColumn("swarm_alive_at_end") { $0.summary.aliveAtEnd ? "true" : "false" },
        SummaryColumn(Metrics.swarmLifetime) { CSVFormat.seconds($0.summary.lifetime) },
        SummaryColumn(Metrics.meanSeeding) { CSVFormat.seconds($0.summary.meanSeeding) },
        SummaryColumn(Metrics.bttVolume) { "\($0.result.bttVolume)" },
        SummaryColumn("events") { "\($0.result.events)" },
        SummaryColumn("wall_s") { CSVFormat.fixed($0.result.wallSeconds, 3) },
        SummaryColumn("peak_rss_mib") { CSVFormat.fixed($0.output.peakRSSMiB, 1) },
        SummaryColumn("files_stored") { r in r.result.storage.map { "\($0.tally.filesUploaded)" } ?? "" },
        SummaryColumn("files_lost") { r in r.result.storage.map { "\($0.tally.filesLost)" } ?? "" },
        SummaryColumn(Metrics.durability) { CSVFormat.optional($0.result.storage?.tally.durability, 6) },
        SummaryColumn(Metrics.availability) { CSVFormat.optional($0.result.storage?.tally.availability, 6) },
        SummaryColumn(Metrics.storageCost) { CSVFormat.optional($0.result.storage?.tally.costPerTiBMonth, 6) },
        SummaryColumn(Metrics.hostEarnings) {
            CSVFormat.optional($0.result.storage?.tally.hostEarningsPerTiBMonth, 6)
        },
        SummaryColumn(Metrics.swarmSurvived) { r in r.summary.survived.map { $0 ? "true" : "false" } ?? "" },
        SummaryColumn(Metrics.swarmLifetimeCapped) { CSVFormat.seconds($0.summary.lifetimeCapped) },
        SummaryColumn(Metrics.availableFraction) { CSVFormat.optional($0.summary.availableFraction, 6) },
        SummaryColumn(Metrics.bttFees) { "\($0.result.bttFees)" },
        SummaryColumn(Metrics.bttNet) { r in "\(r.result.peers.reduce(TokenAmount.zero) { $0 + $1.bttNet })" },
        SummaryColumn("horizon_s") { CSVFormat.seconds($0.result.horizon.seconds) },
    ]

    public static var header: [String] { all.map(\.name) }

    /// The metrics among the columns, in column order.
    public static var metrics: [Metric] { all.compactMap(\.metric) }

    static func row(_ run: SummaryColumn.Run) -> [String] { all.map { $0.cell(run) } }
}
