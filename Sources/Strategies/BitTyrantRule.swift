/// BitTyrant's decision rule (Piatek, Isdal, Anderson, Krishnamurthy and Venkataramani,
/// "Do incentives build robustness in BitTorrent?", NSDI 2007, section 4.2), kept apart
/// from the client so that it can be tested on small fixtures like the choker.
///
/// For each peer p a BitTyrant client estimates d_p, the download rate p gives it while p
/// reciprocates, and u_p, the upload rate it must give p to be reciprocated. Each round it
/// unchokes peers in decreasing order of d_p/u_p until the u_p of the unchoked set would
/// exceed its upload capacity, and uploads to each at u_p. After the round, for each peer
/// it unchoked: one that did not unchoke it back needs more (u_p × (1 + δ)); one that
/// unchoked it has d_p set to the observed rate, and after `rounds` consecutive rounds of
/// that, is tested with less (u_p × (1 − γ)). The paper's values: γ = 10 %, δ = 20 %,
/// r = 3 rounds.
public struct BitTyrantRule: Sendable, Equatable {
    public var gamma = 0.1
    public var delta = 0.2
    public var rounds = 3
    /// A standard client's active set (four regular slots and the optimistic one): the
    /// equal split a peer gives each peer it unchokes is its rate divided by this.
    public var equalSplitSlots = 5.0

    public init() {}

    /// What BitTyrant believes of one peer, in bytes per second.
    public struct Estimate: Sendable, Equatable {
        /// d_p: what the peer gives us while it reciprocates.
        public var download: Double
        /// u_p: what we must give it to be reciprocated.
        public var upload: Double
        /// Consecutive rounds the peer unchoked us.
        public var roundsReciprocated = 0

        public init(download: Double, upload: Double, roundsReciprocated: Int = 0) {
            self.download = download
            self.upload = upload
            self.roundsReciprocated = roundsReciprocated
        }

        /// How much download a byte of upload buys from this peer.
        public var returnPerByte: Double { upload > 0 ? download / upload : 0 }
    }

    /// A peer seen for the first time. The paper starts from its measured distribution of
    /// capacities; lacking that, both estimates start at the peer's equal split as its
    /// `have`s show it (its download rate, which tit-for-tat keeps near its upload rate),
    /// or at our own equal split when it has announced nothing yet.
    public func initial(announcedRate: Double, capacity: Double) -> Estimate {
        let split = announcedRate > 0 ? announcedRate / equalSplitSlots : capacity / equalSplitSlots
        let start = min(max(split, Self.floor), capacity)
        return Estimate(download: start, upload: start)
    }

    /// The estimate after a round. `unchokedUs`: the peer sent us data during the round
    /// at `observedRate`; `weUnchokedIt`: it had one of our regular slots.
    /// `announcedRate` is the rate of its `have`s over the round, for a peer that does
    /// not reciprocate: its equal split is the best guess of what it would give.
    public func updated(
        _ e: Estimate, unchokedUs: Bool, observedRate: Double, announcedRate: Double, weUnchokedIt: Bool,
        capacity: Double
    ) -> Estimate {
        var next = e
        if unchokedUs {
            next.download = max(observedRate, Self.floor)
            next.roundsReciprocated += 1
            if weUnchokedIt && next.roundsReciprocated >= rounds {
                next.upload = e.upload * (1 - gamma)
                next.roundsReciprocated = 0
            }
        } else {
            next.roundsReciprocated = 0
            next.download = max(announcedRate / equalSplitSlots, Self.floor)
            if weUnchokedIt { next.upload = e.upload * (1 + delta) }
        }
        next.upload = min(max(next.upload, Self.floor), capacity)
        return next
    }

    /// How many of `uploads` (the u_p of candidates already sorted best first) fit in
    /// `capacity`: at least one, so a peer always has someone to trade with.
    public func activeSetSize(uploads: some Sequence<Double>, capacity: Double) -> Int {
        var used = 0.0
        var count = 0
        for u in uploads {
            guard count == 0 || used + u <= capacity else { break }
            used += u
            count += 1
        }
        return count
    }

    /// No estimate goes below one 16 KiB block per ten-second round: below that a rate
    /// cannot be observed within a round.
    public static let floor = 16_384.0 / 10
}
