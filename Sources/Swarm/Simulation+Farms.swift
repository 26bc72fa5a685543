import BitTorrent
import SimKernel
import SimNet

/// Self-dealing farms (`farm: k`, docs/model.md "Self-dealing farms"): a Speed seed with
/// k leechers of its own on its host, each with its own account funded from the supply
/// like any peer of its group. The leechers (farmhands) know only their farmer's seed:
/// the tracker never hears of them and they connect to nobody else, so every BTT they
/// spend goes to their farmer. They bid the rule's ceiling, so they win its slots, and
/// leave when done (or with their farmer). peers.csv shows the farm as one row: the
/// farmhands' BTT spent is what the farmer paid itself.
extension Simulation {
    /// A farmer of group `g` arrives in torrent `t`: its seed, drawn from `keys` as an
    /// ordinary peer would be, then its `k` farmhands on `host`, each funded while the
    /// supply lasts.
    func joinFarm(_ k: Int, torrent t: Int, group g: Int, keys: DrawKeys, up: Double, down: Double, host: HostID) {
        let user = Int32(sybils.count)
        sybils.append([])
        for ordinal in 0...k {
            if ordinal > 0, let shortfall = shortfall(funding: scenario.peers[g]) {
                fundingShortfall = shortfall
                return
            }
            join(
                torrent: t, group: g, keys: keys, user: nil, up: up, down: down, host: host,
                identity: SybilIdentity(user: user, ordinal: ordinal))
        }
    }

    /// A farmhand announces to its farmer rather than to the tracker: the answer is its
    /// farmer's seed while it is online.
    func announceToFarm(_ peer: Int32, _ event: AnnounceEvent) {
        guard event != .stopped, let user = peers[Int(peer)].sybil, let seed = sybils[Int(user)].first else { return }
        let online = peers[Int(seed)].online
        let response = AnnounceResponse(
            peers: online ? [Self.address(ofPeer: Int(seed))] : [], complete: online ? 1 : 0, incomplete: 0)
        call(peer) { c, out in c.trackerResponded(response, now: now, out: &out) }
    }
}
