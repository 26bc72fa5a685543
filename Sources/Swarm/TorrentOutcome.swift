import SimKernel

/// What happened to one torrent's swarm in a run (a row of torrents.csv, and its rows of
/// torrent_timeseries.csv): availability and lifetime as docs/metrics.md defines them for
/// one swarm, measured from the torrent's release.
public struct TorrentOutcome: Sendable {
    public var plan: TorrentPlan
    public var pieces: Int
    /// The swarm's samples, at the run's sample times (before the release: an empty swarm).
    public var samples: [Sample]
    /// First time its online peers held a full copy between them; nil if they never did.
    public var firstAvailable: SimTime?
    /// First time after `firstAvailable` that they no longer did.
    public var death: SimTime?
    /// How long they held a full copy in all, revivals included.
    public var availableTime: SimTime
    public var aliveAtEnd: Bool

    /// A catalogue's time series (timeseries.csv, docs/metrics.md "Catalogues"): counts and
    /// throughput summed over its torrents; copies averaged over the torrents released by
    /// each sample's time (0 before the first release). Every swarm is sampled at the same
    /// times, so sample k of each is one instant.
    static func catalogSamples(_ torrents: [TorrentOutcome]) -> [Sample] {
        guard let first = torrents.first else { return [] }
        return first.samples.indices.map { k in
            var total = Sample(
                time: first.samples[k].time, leechers: 0, seeds: 0, completedTotal: 0, distributedCopies: 0,
                meanCopies: 0, throughputBitsPerSecond: 0, bttTransferred: first.samples[k].bttTransferred)
            var released = 0
            for t in torrents {
                let s = t.samples[k]
                total.leechers += s.leechers
                total.seeds += s.seeds
                total.completedTotal += s.completedTotal
                total.throughputBitsPerSecond += s.throughputBitsPerSecond
                guard t.plan.release <= s.time else { continue }
                released += 1
                total.distributedCopies += s.distributedCopies
                total.meanCopies += s.meanCopies
            }
            if released > 0 {
                total.distributedCopies /= Double(released)
                total.meanCopies /= Double(released)
            }
            return total
        }
    }
}
