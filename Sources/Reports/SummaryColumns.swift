import Incentives
import Swarm

/// A column of summary.csv, made from one run.
public typealias SummaryColumn = Column<SummaryColumns.Run>

/// summary.csv's columns, in order: the header, the cells and the list of aggregated
/// metrics all come from `all`, so a column cannot be named in one place and missed in
/// another. Columns may be added at the end, never changed (docs/metrics.md).
public enum SummaryColumns {
    /// What a cell is made from.
    public struct Run: Sendable {
        public let scenario: String
        public let variant: String
        public let output: RunOutput
        public let summary: RunSummary
        var result: RunResult { output.result }
    }

    public static let all: [SummaryColumn] =
        [
            SummaryColumn("scenario") { $0.scenario },
            SummaryColumn("variant") { $0.variant },
            SummaryColumn("run") { "\($0.output.run)" },
            SummaryColumn("seed") { "\($0.result.seed)" },
        ] + DownloadStats.columns { $0.summary.downloads } + [
            SummaryColumn(Metrics.lastFinish) { CSVFormat.seconds($0.summary.lastFinish) },
            SummaryColumn("swarm_alive_at_end") { r in r.summary.aliveAtEnd.map { $0 ? "true" : "false" } ?? "" },
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
}
