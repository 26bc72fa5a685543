import BitTorrent
import SimKernel

extension StrategyDefinition {
    /// BitTyrant (Piatek et al., NSDI 2007): unchokes the peers that return the most per
    /// byte uploaded, gives each only the rate it needs to be reciprocated, and so keeps a
    /// larger active set (`BitTyrantRule`).
    public static let bittyrant = StrategyDefinition(
        name: "bittyrant",
        summary:
            "BitTyrant: unchokes by download returned per byte uploaded, each at the rate needed to be reciprocated"
    ) { context in
        StrategyInstance(strategy: BitTyrant(capacity: context.uploadBytesPerSecond))
    }
}

/// The client side of `BitTyrantRule`: estimates are updated when a rechoke round starts,
/// regular slots go by return per byte while their upload rates fit the capacity, and the
/// uplink is shared by a weighted fair queue with each unchoked peer's u_p as its weight
/// (`UploadScheduling.strategyChooses`). A seed has no return to weigh: it ranks like plain
/// BitTorrent and shares its uplink equally.
public final class BitTyrant: PeerStrategy {
    public let rule: BitTyrantRule
    /// The upload capacity in bytes per second: the host's uplink in the simulator, the
    /// rate limit in Live; nil estimates it as the fastest round seen so far.
    let givenCapacity: Double?
    private var observedCapacity = BitTyrantRule.floor
    public var capacity: Double { givenCapacity ?? observedCapacity }

    public private(set) var estimates: [ConnectionID: BitTyrantRule.Estimate] = [:]
    /// Per connection, the counters at the start of the round.
    private var marks: [ConnectionID: RoundMark] = [:]
    private var roundStart = SimTime.zero
    private var uploadedAtRoundStart: Int64 = 0

    struct RoundMark {
        var downloaded: Int64
        var uploaded: Int64
        var pieces: Int
    }

    public init(capacity: Double?, rule: BitTyrantRule = BitTyrantRule()) {
        givenCapacity = capacity.flatMap { $0 > 0 ? $0 : nil }
        self.rule = rule
    }

    public var uploadScheduling: UploadScheduling { .strategyChooses }

    public func roundStarted(client: TorrentClient, now: SimTime, out: inout [ClientAction]) {
        let elapsed = (now - roundStart).seconds
        let pieceBytes = Double(client.config.layout.pieceLength)
        if elapsed > 0 {
            let uploaded = Double(client.bytesUploaded - uploadedAtRoundStart)
            observedCapacity = max(observedCapacity, uploaded / elapsed)
        }
        for id in client.connectionIDs {
            guard let s = client.session(id), s.phase == .active else { continue }
            let mark = marks[id] ?? RoundMark(downloaded: 0, uploaded: 0, pieces: 0)
            let announced = elapsed > 0 ? Double(s.remoteHas.setCount - mark.pieces) * pieceBytes / elapsed : 0
            if let e = estimates[id], elapsed > 0 {
                let got = Double(s.totalDownloaded - mark.downloaded)
                estimates[id] = rule.updated(
                    e, unchokedUs: !s.peerChoking && got > 0, observedRate: got / elapsed,
                    announcedRate: max(announced, 0), weUnchokedIt: Self.hasRegularSlot(s, client: client),
                    capacity: capacity)
            } else {
                estimates[id] = rule.initial(announcedRate: max(announced, 0), capacity: capacity)
            }
            marks[id] = RoundMark(
                downloaded: s.totalDownloaded, uploaded: s.totalUploaded, pieces: s.remoteHas.setCount)
        }
        roundStart = now
        uploadedAtRoundStart = client.bytesUploaded
    }

    public func rankRegular(
        _ candidates: inout [ChokeCandidate], slots: Int, client: TorrentClient, now: SimTime,
        out: inout [ClientAction]
    ) -> Int {
        guard !client.isSeed else { return Choker.rankRegular(&candidates, slots: slots) }
        for c in candidates where estimates[c.connection] == nil {
            estimates[c.connection] = rule.initial(announcedRate: 0, capacity: capacity)
        }
        candidates.sort { a, b in
            let ra = estimates[a.connection]?.returnPerByte ?? 0
            let rb = estimates[b.connection]?.returnPerByte ?? 0
            return ra != rb ? ra > rb : a.tieBreak < b.tieBreak
        }
        return rule.activeSetSize(
            uploads: candidates.lazy.map { self.estimates[$0.connection]?.upload ?? 0 }, capacity: capacity)
    }

    /// Weighted fair queueing: the connection that has had the least of its share this
    /// round sends next, a share being u_p for a regular slot and an equal split for any
    /// other (the optimistic slot, or everyone while we seed).
    public func nextUpload(among candidates: [ConnectionID], client: TorrentClient) -> ConnectionID? {
        let equal = capacity / rule.equalSplitSlots
        var best: ConnectionID?
        var bestLoad = Double.infinity
        for id in candidates {
            guard let s = client.session(id) else { continue }
            let sent = Double(s.totalUploaded - (marks[id]?.uploaded ?? s.totalUploaded))
            let weight = Self.hasRegularSlot(s, client: client) ? (estimates[id]?.upload ?? equal) : equal
            let load = sent / max(weight, BitTyrantRule.floor)
            if load < bestLoad {
                bestLoad = load
                best = id
            }
        }
        return best
    }

    public func connectionClosed(_ id: ConnectionID, client: TorrentClient, now: SimTime) {
        estimates[id] = nil
        marks[id] = nil
    }

    /// One of our regular slots, given while leeching: the set BitTyrant ranked and sized
    /// (read from the session rather than kept twice). A seed ranks like BitTorrent, so its
    /// regular slots carry no u_p.
    static func hasRegularSlot(_ s: PeerSession, client: TorrentClient) -> Bool {
        !client.isSeed && s.slot == .regular
    }
}
