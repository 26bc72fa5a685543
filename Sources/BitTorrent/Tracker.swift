import SimKernel

/// A tracker's logic: who is in the swarm, and a random sample of them for each announce.
///
/// Sans-IO like the client: the simulator calls it directly, Live wraps it in HTTP.
/// Seeds are only given leechers (two seeds have nothing to trade), as common trackers do.
public struct Tracker: Sendable {
    private var leecherPool: [PeerAddress] = []
    private var seedPool: [PeerAddress] = []
    private var index: [PeerAddress: (isSeed: Bool, position: Int)] = [:]

    public init() {}

    public var count: Int { index.count }
    public var seeds: Int { seedPool.count }
    public var leechers: Int { leecherPool.count }
    public func contains(_ address: PeerAddress) -> Bool { index[address] != nil }

    /// Registers, updates or removes the peer, then answers with up to `numwant` other
    /// peers chosen uniformly at random (Floyd's sampling: O(numwant), not O(swarm)).
    public mutating func announce(_ request: AnnounceRequest, random: some RandomSource) -> AnnounceResponse {
        remove(request.address)
        guard request.event != .stopped else {
            return AnnounceResponse(peers: [], complete: seeds, incomplete: leechers)
        }
        let isSeed = request.left == 0
        let total = isSeed ? leecherPool.count : leecherPool.count + seedPool.count
        let peers = sample(count: min(request.numwant, total), from: total, random: random)
        insert(request.address, isSeed: isSeed)
        return AnnounceResponse(peers: peers, complete: seeds, incomplete: leechers)
    }

    /// Element `i` of the leechers followed by the seeds.
    private func member(_ i: Int) -> PeerAddress {
        i < leecherPool.count ? leecherPool[i] : seedPool[i - leecherPool.count]
    }

    private func sample(count k: Int, from n: Int, random: some RandomSource) -> [PeerAddress] {
        guard k > 0 else { return [] }
        if k == n { return (0..<n).map(member) }
        var chosen = Set<Int>(minimumCapacity: k)
        var out: [PeerAddress] = []
        out.reserveCapacity(k)
        for j in (n - k)..<n {
            let t = random.integer(below: j + 1)
            let pick = chosen.contains(t) ? j : t
            chosen.insert(pick)
            out.append(member(pick))
        }
        return out
    }

    private mutating func insert(_ address: PeerAddress, isSeed: Bool) {
        if isSeed {
            index[address] = (true, seedPool.count)
            seedPool.append(address)
        } else {
            index[address] = (false, leecherPool.count)
            leecherPool.append(address)
        }
    }

    private mutating func remove(_ address: PeerAddress) {
        guard let entry = index.removeValue(forKey: address) else { return }
        if entry.isSeed {
            Self.swapRemove(&seedPool, at: entry.position, index: &index)
        } else {
            Self.swapRemove(&leecherPool, at: entry.position, index: &index)
        }
    }

    private static func swapRemove(
        _ pool: inout [PeerAddress], at i: Int, index: inout [PeerAddress: (isSeed: Bool, position: Int)]
    ) {
        let last = pool.removeLast()
        guard i < pool.count else { return }
        pool[i] = last
        index[last]?.position = i
    }
}
