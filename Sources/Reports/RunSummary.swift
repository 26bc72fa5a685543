import SimKernel
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
    /// From the first full copy online to the first death; 0 when there never was a full
    /// copy; nil while alive, and without a swarm.
    public var lifetime: Double?
    /// The swarm never died before the horizon; nil without a swarm.
    public var survived: Bool?
    /// `lifetime`, or the time from the first full copy to the horizon for a swarm that
    /// survived: its mean over runs is the restricted mean lifetime.
    public var lifetimeCapped: Double?
    /// Share of the horizon with a full copy online, revivals counted.
    public var availableFraction: Double?
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
        if result.hasSwarm {
            let start = result.firstAvailable ?? .zero
            let death = result.firstAvailable == nil ? start : result.swarmDeath
            lifetime = death.map { ($0 - start).seconds }
            survived = death == nil
            lifetimeCapped = lifetime ?? (result.horizon - start).seconds
            availableFraction = result.horizon > .zero ? result.availableTime.seconds / result.horizon.seconds : nil
        }
        meanSeeding = Statistics.mean(finished.map(\.seeding.seconds))
    }
}
