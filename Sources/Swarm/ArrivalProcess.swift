import Scenario
import SimKernel

#if canImport(Glibc)
    import Glibc
#endif

/// When the peers of one group arrive.
///
/// Poisson arrivals are drawn as exponential gaps; decaying arrivals (λ(t) = λ0·e^(−t/τ),
/// Guo et al.) by inverting the integrated rate Λ(t) = λ0·τ·(1 − e^(−t/τ)), which is
/// exact and needs one draw per arrival. Each group has its own stream, so adding a
/// group leaves the others' arrival times unchanged.
struct ArrivalProcess {
    let arrival: Arrival
    private var remaining: Int?
    private let random: RandomStream
    /// Times count from here: the release of the group's torrent.
    private let release: SimTime
    /// The group's rate times the torrent's popularity (`TorrentPlan.rateScale`).
    private let rateScale: Double
    /// Λ at the last arrival (decaying arrivals only).
    private var integratedRate = 0.0

    init(group: PeerGroup, random: RandomStream, release: SimTime = .zero, rateScale: Double = 1) {
        arrival = group.arrival
        remaining = group.count
        self.random = random
        self.release = release
        self.rateScale = rateScale
    }

    /// How many peers arrive in one arrival event: all of them for `at`, else one.
    var batchSize: Int {
        if case .at = arrival { return remaining ?? 0 }
        return 1
    }

    /// The first arrival time, or nil when the group never arrives.
    mutating func first() -> SimTime? {
        if case .at(let t) = arrival { return (remaining ?? 0) > 0 ? release.adding(t) : nil }
        return next(after: release)
    }

    /// The next arrival time after the batch at `now`, if any.
    mutating func next(after now: SimTime) -> SimTime? {
        guard remaining.map({ $0 > 0 }) ?? true else { return nil }
        switch arrival {
        case .at:
            return nil
        case .poisson(let rate, let until):
            // A torrent whose share of demand underflows to nothing gets nobody.
            guard rate * rateScale > 0 else { return nil }
            let gap = SimTime.seconds(random.exponential(mean: 1 / (rate * rateScale)))
            return within(now.adding(gap), until: until)
        case .decaying(let rate, let tau, let until):
            let total = rate * rateScale * tau.seconds
            integratedRate += random.exponential(mean: 1)
            guard integratedRate < total else { return nil }
            return within(
                release.adding(.seconds(-tau.seconds * log1p(-integratedRate / total))), until: until)
        }
    }

    /// `t`, unless it is past the group's `until` (counted from the release).
    private func within(_ t: SimTime?, until: SimTime?) -> SimTime? {
        guard let t else { return nil }
        guard let until else { return t }
        return t <= (release.adding(until) ?? .never) ? t : nil
    }

    /// Counts arrived peers against the group's cap.
    mutating func arrived(_ n: Int) {
        if let r = remaining { remaining = r - n }
    }
}
