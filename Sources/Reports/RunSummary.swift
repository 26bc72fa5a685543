import SimKernel
import Swarm

/// The per-run metrics of `summary.csv` (docs/metrics.md), derived from a run's records:
/// its peers' `DownloadStats`, and the swarm's availability and lifetime.
@dynamicMemberLookup
public struct RunSummary: Sendable, Equatable {
    public var downloads: DownloadStats
    /// Nil in a catalogue, whose torrents each say it in torrents.csv.
    public var aliveAtEnd: Bool?
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

    public subscript<T>(dynamicMember path: KeyPath<DownloadStats, T>) -> T { downloads[keyPath: path] }

    public init(_ result: RunResult) {
        downloads = DownloadStats(result.peers)
        aliveAtEnd = result.isCatalog ? nil : result.aliveAtEnd
        // A catalogue's torrents each have their lifetime, in torrents.csv and survival.csv.
        if result.hasSwarm && !result.isCatalog {
            let swarm = SwarmLifetime(
                firstAvailable: result.firstAvailable, death: result.swarmDeath, availableTime: result.availableTime,
                release: .zero, horizon: result.horizon)
            lifetime = swarm.lifetime
            survived = swarm.survived
            lifetimeCapped = swarm.lifetimeCapped
            availableFraction = swarm.availableFraction
        }
    }
}
