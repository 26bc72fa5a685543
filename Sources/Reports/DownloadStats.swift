import Swarm

/// What a set of peers' downloads came to — a whole run's (summary.csv) or one group's
/// (groups.csv), with one definition for both: download times over the leechers that
/// completed, seeding time over them too (peers that arrived with the file would
/// otherwise dominate it with the run's length). docs/metrics.md defines each one.
public struct DownloadStats: Sendable, Equatable {
    /// `peers`, `completed` and the four download metrics, the columns of summary.csv
    /// and groups.csv that come straight from these statistics.
    static func columns<Source>(_ stats: @escaping @Sendable (Source) -> DownloadStats) -> [Column<Source>] {
        [
            Column("peers") { "\(stats($0).peers)" },
            Column("completed") { "\(stats($0).completed)" },
            Column(Metrics.completionRatio) { CSVFormat.optional(stats($0).completionRatio, 6) },
            Column(Metrics.meanDownload) { CSVFormat.seconds(stats($0).meanDownload) },
            Column(Metrics.medianDownload) { CSVFormat.seconds(stats($0).medianDownload) },
            Column(Metrics.p95Download) { CSVFormat.seconds(stats($0).p95Download) },
        ]
    }

    public var peers: Int
    /// Peers that arrived without the file.
    public var leechers: Int
    public var completed: Int
    public var completionRatio: Double?
    public var meanDownload: Double?
    public var medianDownload: Double?
    public var p95Download: Double?
    public var lastFinish: Double?
    public var meanSeeding: Double?

    public init(_ records: some Collection<PeerRecord>) {
        let leecherRecords = records.filter { !$0.startedWithFile }
        let finished = leecherRecords.filter { $0.completed != nil }
        let downloads = finished.compactMap { $0.downloadTime?.seconds }
        peers = records.count
        leechers = leecherRecords.count
        completed = finished.count
        completionRatio = leechers > 0 ? Double(completed) / Double(leechers) : nil
        meanDownload = Statistics.mean(downloads)
        medianDownload = Statistics.median(downloads)
        p95Download = Statistics.quantile(downloads, 0.95)
        lastFinish = finished.compactMap { $0.completed?.seconds }.max()
        meanSeeding = Statistics.mean(finished.map(\.seeding.seconds))
    }
}
