import SimKernel

/// `propshare` (after Levin et al., "BitTorrent is an Auction", SIGCOMM 2008): a leecher
/// shares its upload in proportion to what each peer gave it last round. In a choking
/// client that becomes: each regular slot goes to a peer drawn with probability
/// proportional to its contribution, without replacement; peers that gave nothing get
/// no regular slot (only the optimistic one, which is how newcomers get in). A seed has
/// no contributions to weigh and ranks like plain BitTorrent.
public final class PropShare: PeerStrategy {
    public init() {}

    public func rankRegular(
        _ candidates: inout [ChokeCandidate], slots: Int, client: TorrentClient, now: SimTime,
        out: inout [ClientAction]
    ) -> Int {
        guard !client.isSeed else { return Choker.rankRegular(&candidates, slots: slots) }
        // Contributors first, in index order, so the draw below sees a stable sequence.
        var contributors = 0
        for i in candidates.indices where candidates[i].rateBytesPerSecond > 0 && !candidates[i].isSnubbing {
            candidates.swapAt(i, contributors)
            contributors += 1
        }
        var total = 0.0
        for i in 0..<contributors { total += candidates[i].rateBytesPerSecond }
        let winners = min(slots, contributors)
        for k in 0..<winners {
            var ticket = client.random.uniform() * total
            var pick = contributors - 1
            for i in k..<contributors {
                ticket -= candidates[i].rateBytesPerSecond
                if ticket < 0 {
                    pick = i
                    break
                }
            }
            total -= candidates[pick].rateBytesPerSecond
            candidates.swapAt(k, pick)
        }
        return winners
    }
}
