import Incentives
import SimKernel
import Swarm

/// torrents.csv: one row per run and torrent (docs/metrics.md, "Catalogues"), so that a
/// catalogue's torrents are never pooled into one swarm; torrent_timeseries.csv: their time
/// series. A one-torrent run has one row, whose numbers are summary.csv's.
public enum TorrentColumns {
    /// What a cell is made from: one torrent's swarm in one run.
    public struct Torrent: Sendable {
        public let scenario: String
        public let variant: String
        public let run: Int
        public let outcome: TorrentOutcome
        public let records: [PeerRecord]
        public let downloads: DownloadStats
        public let horizon: SimTime
        /// Nil for a torrent released at or after the horizon: it was never observed.
        public let lifetime: SwarmLifetime?

        var plan: TorrentPlan { outcome.plan }
    }

    public static let size = Metric("size_bytes", unit: "B", better: .neither)
    public static let share = Metric.fraction("share", better: .neither)
    public static let bttEarned = Metric("btt_earned", unit: "BTT", better: .neither)

    public static let all: [Column<Torrent>] =
        [
            Column("scenario") { $0.scenario },
            Column("variant") { $0.variant },
            Column("run") { "\($0.run)" },
            Column("torrent") { "\($0.plan.rank)" },
            Column(size) { "\($0.plan.sizeBytes)" },
            Column("pieces") { "\($0.outcome.pieces)" },
            Column(share) { CSVFormat.fixed($0.plan.share, 6) },
            Column("release_s") { CSVFormat.seconds($0.plan.release.seconds) },
        ] + DownloadStats.columns { $0.downloads } + [
            Column("first_available_s") { CSVFormat.seconds($0.outcome.firstAvailable?.seconds) },
            Column("death_s") { CSVFormat.seconds($0.outcome.death?.seconds) },
            Column(Metrics.swarmLifetime) { CSVFormat.seconds($0.lifetime?.lifetime) },
            Column(Metrics.availableFraction) { CSVFormat.optional($0.lifetime?.availableFraction, 6) },
            Column("alive_at_end") { $0.outcome.aliveAtEnd ? "true" : "false" },
            Column(bttEarned) { t in "\(t.records.reduce(TokenAmount.zero) { $0 + $1.bttEarned })" },
            // What survival.csv's per-torrent curves are computed from, as summary.csv's are.
            Column(Metrics.swarmSurvived) { t in t.lifetime.map { $0.survived ? "true" : "false" } ?? "" },
            Column(Metrics.swarmLifetimeCapped) { CSVFormat.seconds($0.lifetime?.lifetimeCapped) },
            Column("horizon_s") { CSVFormat.seconds($0.horizon.seconds) },
            Column("files") { "\($0.plan.files)" },
        ]

    public static var header: [String] { all.map(\.name) }
    public static var metrics: [Metric] { all.compactMap(\.metric) }

    /// torrents.csv for `runs`; nil when they have no swarm (storage only).
    public static func table(_ runs: [RunOutput], scenario: String, variant: String) -> CSVTable? {
        guard runs.contains(where: { $0.result.hasSwarm }) else { return nil }
        var t = CSVTable(header: header)
        for r in runs where r.result.hasSwarm {
            var byTorrent = [[PeerRecord]](repeating: [], count: r.result.torrents.count)
            for p in r.result.peers where p.torrent >= 1 && p.torrent <= byTorrent.count {
                byTorrent[p.torrent - 1].append(p)
            }
            for (k, outcome) in r.result.torrents.enumerated() {
                let torrent = Torrent(
                    scenario: scenario, variant: variant, run: r.run, outcome: outcome, records: byTorrent[k],
                    downloads: DownloadStats(byTorrent[k]), horizon: r.result.horizon,
                    lifetime: outcome.plan.release < r.result.horizon
                        ? SwarmLifetime(
                            firstAvailable: outcome.firstAvailable, death: outcome.death,
                            availableTime: outcome.availableTime, release: outcome.plan.release,
                            horizon: r.result.horizon) : nil)
                t.append(all.cells(torrent))
            }
        }
        return t
    }

    /// torrent_timeseries.csv: timeseries.csv's per-swarm columns for each torrent of a
    /// catalogue (BTT is the market's, not a torrent's, so it is left out); nil when no run
    /// is a catalogue, whose timeseries.csv already is its one torrent's.
    public static func timeseries(_ runs: [RunOutput]) -> CSVTable? {
        guard runs.contains(where: { $0.result.isCatalog }) else { return nil }
        var t = CSVTable(header: ["run", "torrent"] + ResultTables.swarmSampleColumns.map(\.name))
        for r in runs where r.result.isCatalog {
            for outcome in r.result.torrents {
                for s in outcome.samples {
                    t.append(["\(r.run)", "\(outcome.plan.rank)"] + ResultTables.swarmSampleColumns.cells(s))
                }
            }
        }
        return t
    }
}
