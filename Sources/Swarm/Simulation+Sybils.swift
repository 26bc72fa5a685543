import BitTorrent
import Incentives
import SimKernel
import SimNet

/// Which of a Sybil user's identities a peer is: the user's index in `Simulation.sybils`
/// and the identity's place among its own (0 for the first).
struct SybilIdentity {
    let user: Int32
    let ordinal: Int
}

/// Sybil requesters (`identities: k`, docs/model.md "Sybil requesters"), and the state
/// they share with self-dealing farms (`farm: k`, Simulation+Farms.swift): one user behind
/// k peers in one swarm. They share the user's host (one uplink and downlink), its one
/// Speed balance (ledger aliases, as a catalogue user's downloads do) and its storage:
/// their clients pick as one (`TorrentClient.sharesBlocks`), so a block one identity asks
/// for the others leave alone, and one it stores every identity has. They never
/// connect to each other, and they leave together, when the first identity does. The
/// market sees k requesters, so each may win a slot at every provider; peers.csv shows
/// the user as one row, with its identities' bytes and BTT summed.
extension Simulation {
    /// A Sybil user of group `g` arrives in torrent `t`: `k` peers on `host`, the first
    /// drawing the user's attributes from `keys` as an ordinary peer would, so that with
    /// k = 1 nothing changes.
    func joinIdentities(
        _ k: Int, torrent t: Int, group g: Int, keys: DrawKeys, up: Double, down: Double, host: HostID
    ) {
        let user = Int32(sybils.count)
        sybils.append([])
        let first = peers.count
        for ordinal in 0..<k {
            join(
                torrent: t, group: g, keys: keys, user: nil, up: up, down: down, host: host,
                sharing: ordinal == 0 ? nil : peers[first].trader?.account,
                identity: SybilIdentity(user: user, ordinal: ordinal))
        }
    }

    /// The seed of a client's own choices: an ordinary peer's from its keys, and each
    /// further identity of a Sybil user its own, so that its identities do not choose alike.
    func behaviourSeed(_ keys: DrawKeys, identity ordinal: Int) -> UInt64 {
        let seed = SeedDerivation.seed(master: keys.master, purpose: .peerBehaviour, keys.a, keys.b)
        guard ordinal > 0 else { return seed }
        return SeedDerivation.seed(master: seed, purpose: .identity, UInt64(ordinal))
    }

    /// Whether peer `a` may connect to peer `b`: a Sybil user's identities never connect
    /// to each other, and a farm's leechers connect only to their farmer's seed.
    func mayConnect(_ a: Int, _ b: Int) -> Bool {
        if isFarmhand(a) { return sybils[Int(peers[a].sybil ?? 0)].first == Int32(b) }
        if isFarmhand(b) { return sybils[Int(peers[b].sybil ?? 0)].first == Int32(a) }
        guard let user = peers[a].sybil else { return true }
        return peers[b].sybil != user || scenario.peers[peers[a].group].farm > 0
    }

    /// Tells `peer`'s other identities online what it did with block `r` (`sharesBlocks`).
    func shareWithIdentities(_ action: ClientAction, from peer: Int32) {
        guard let user = peers[Int(peer)].sybil else { return }
        for other in sybils[Int(user)] where other != peer && peers[Int(other)].online {
            switch action {
            case .blockClaimed(let r): peers[Int(other)].client.claimedBySibling(r)
            case .blockReleased(let r): peers[Int(other)].client.releasedBySibling(r)
            case .blockStored(let r): call(other) { c, out in c.storedBySibling(r, now: now, out: &out) }
            default: return
            }
        }
    }

    /// The first identity of a Sybil user is leaving: its others leave first, so that the
    /// balance it withdraws is what is left once all their channels are closed.
    func departIdentities(after index: Int, reason: DepartureReason) {
        guard let user = peers[index].sybil, sybils[Int(user)].first == Int32(index) else { return }
        for other in sybils[Int(user)].dropFirst() { depart(Int(other), reason: reason) }
    }

    /// An identity after a user's first.
    func isLaterIdentity(_ index: Int) -> Bool {
        guard let user = peers[index].sybil else { return false }
        return sybils[Int(user)].first != Int32(index)
    }

    /// A Sybil requester's later identity: its balance is the first identity's to withdraw.
    func sharesBalance(_ index: Int) -> Bool {
        isLaterIdentity(index) && scenario.peers[peers[index].group].farm == 0
    }

    /// One of a farm's leechers (`farm: k`, Simulation+Farms.swift).
    func isFarmhand(_ index: Int) -> Bool {
        isLaterIdentity(index) && scenario.peers[peers[index].group].farm > 0
    }

    /// One row per user: each Sybil user's first identity carries its identities' bytes
    /// and BTT, and the later identities' rows go. `records` are indexed by peer.
    func foldIdentities(_ records: [PeerRecord]) -> [PeerRecord] {
        guard !sybils.isEmpty else { return records }
        var rows = records
        var later = Array(repeating: false, count: records.count)
        for ids in sybils {
            guard let first = ids.first.map(Int.init) else { continue }
            rows[first].identities = ids.count
            for other in ids.dropFirst().map(Int.init) {
                later[other] = true
                rows[first].bytesDown += records[other].bytesDown
                rows[first].bytesUp += records[other].bytesUp
                rows[first].bttSpent += records[other].bttSpent
                rows[first].bttEarned += records[other].bttEarned
                rows[first].bttFees += records[other].bttFees
            }
        }
        return rows.indices.filter { !later[$0] }.map { rows[$0] }
    }
}
