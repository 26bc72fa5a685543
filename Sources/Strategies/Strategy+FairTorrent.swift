import BitTorrent
import SimKernel

extension StrategyDefinition {
    /// FairTorrent (Sherman, Nieh and Stein, CoNEXT 2009): unchokes every interested
    /// peer and sends the next block to the one it owes most (`FairTorrent`).
    public static let fairtorrent = StrategyDefinition(
        name: "fairtorrent",
        summary: "FairTorrent: unchokes every interested peer; the next block goes to the peer it owes most"
    ) { _ in
        StrategyInstance(strategy: FairTorrent())
    }
}

/// FairTorrent's deficit rule (Sherman, Nieh and Stein, "FairTorrent: bringing fairness
/// to peer-to-peer systems", CoNEXT 2009; IEEE/ACM ToN 20(5), 2012, §3.2). Per neighbour j
/// the deficit is bytes sent to j minus bytes received from j; the uplink sends one block
/// at a time (`UploadScheduling.strategyChooses`) to the requesting neighbour with the
/// lowest deficit, ties going in the order of a list shuffled once (the paper's randomly
/// ordered list). There is no rate estimation and no choking: every interested neighbour
/// is unchoked, so a neighbour that reciprocates is served again before the list moves
/// on, and one that never does (a free-rider) is served only when no one owed more is
/// waiting. A seed receives nothing, so its rule gives every downloader equal bytes.
public final class FairTorrent: PeerStrategy {
    /// Each connection's place in the shuffled list: the tie-break the choker drew for it
    /// when it first became a candidate.
    private var position: [ConnectionID: UInt32] = [:]

    public init() {}

    public var uploadScheduling: UploadScheduling { .strategyChooses }

    /// Every interested peer gets a slot.
    public func rankRegular(
        _ candidates: inout [ChokeCandidate], slots: Int, client: TorrentClient, now: SimTime,
        out: inout [ClientAction]
    ) -> Int {
        for c in candidates where position[c.connection] == nil { position[c.connection] = c.tieBreak }
        return candidates.count
    }

    /// Called for every block the peer sends: a plain loop, no closure or array to allocate.
    public func nextUpload(among candidates: [ConnectionID], client: TorrentClient) -> ConnectionID? {
        var best: Candidate?
        for id in candidates {
            guard let s = client.session(id) else { continue }
            let c = Candidate(id: id, deficit: s.totalUploaded - s.totalDownloaded, position: position[id] ?? .max)
            if Self.precedes(c, best) { best = c }
        }
        return best?.id
    }

    /// A connection with a request waiting, as the rule sees it.
    public struct Candidate: Sendable, Equatable {
        public var id: ConnectionID
        /// Bytes we sent it minus bytes it sent us.
        public var deficit: Int64
        /// Its place in the shuffled list.
        public var position: UInt32

        public init(id: ConnectionID, deficit: Int64, position: UInt32) {
            self.id = id
            self.deficit = deficit
            self.position = position
        }
    }

    /// The rule: `a` goes before `b` (or before nothing) when its deficit is lower, or equal
    /// and earlier in the list.
    public static func precedes(_ a: Candidate, _ b: Candidate?) -> Bool {
        guard let b else { return true }
        return a.deficit != b.deficit ? a.deficit < b.deficit : a.position < b.position
    }

    public func connectionClosed(_ id: ConnectionID, client: TorrentClient, now: SimTime) {
        position[id] = nil
    }
}
