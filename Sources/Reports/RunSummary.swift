import Swarm

/// The per-run metrics of `summary.csv` (DESIGN.md §6), derived from a run's records.
///
/// Download times are over leechers that completed; seeding time is over leechers that
/// completed (peers that arrived with the file would otherwise dominate it with the
/// run's length). docs/metrics.md defines each column.
public struct RunSummary: Sendable, Equatable {
    public var peers: Int
    public var leechers: Int
    public var completed: Int
    public var completionRatio: Double?
    public var meanDownload: Double?
    public var medianDownload: Double?
    public var p95Download: Double?
    public var lastFinish: Double?
    public var aliveAtEnd: Bool
    public var lifetime: Double?
    public var meanSeeding: Double?

    public init(_ result: RunResult) {
        let leecherRecords = result.peers.filter { !$0.startedWithFile }
        let finished = leecherRecords.filter { $0.completed != nil }
        let downloads = finished.compactMap { $0.downloadTime?.seconds }
        peers = result.peers.count
        leechers = leecherRecords.count
        completed = finished.count
        completionRatio = leechers > 0 ? Double(completed) / Double(leechers) : nil
        meanDownload = Statistics.mean(downloads)
        medianDownload = Statistics.median(downloads)
        p95Download = Statistics.quantile(downloads, 0.95)
        lastFinish = finished.compactMap { $0.completed?.seconds }.max()
        aliveAtEnd = result.aliveAtEnd
        lifetime = result.swarmDeath?.seconds
        meanSeeding = Statistics.mean(finished.map(\.seeding.seconds))
    }
}
