import Scenario
import SimKernel

/// A catalogue's users (docs/scenarios.md, "Users"): each arrives once, with one host, and
/// asks for torrents one after another, each a new peer on that host.
extension Simulation {
    /// User `ordinal` of group `g` arrives: its host, how many torrents it wants, and its
    /// first request, now.
    func addUser(group g: Int, ordinal: Int) {
        let spec = scenario.peers[g]
        guard let downloads = spec.downloads else { return }
        let keys = DrawKeys(master: seed, groupKeys[g], UInt64(ordinal))
        let (up, down) = Self.bandwidth(spec.bandwidth, draw(.bandwidth, keys))
        let latency = scenario.network.latency.sampleDuration(draw(.latency, keys))
        let userSeed = SeedDerivation.seed(master: seed, purpose: .user, groupKeys[g], UInt64(ordinal))
        let choices = RandomStream(seed: userSeed)
        let drawn = downloads.count.sample(choices)
        // Rounded, as docs/scenarios.md says, and at most every torrent.
        let wanted = drawn.isNaN ? 0 : Int(min(max(drawn, 0), Double(plans.count)).rounded())
        users.append(
            UserState(
                group: g, ordinal: ordinal, seed: userSeed,
                host: network.addHost(upBitsPerSecond: up, downBitsPerSecond: down, latency: latency), up: up,
                down: down, choices: choices, joined: now, wanted: wanted,
                torrents: Array(repeating: false, count: plans.count)))
        guard wanted > 0 else { return }
        arrivalsPending += 1
        request(user: users.count - 1)
    }

    /// User `u` starts its next download: a torrent it has not joined, among those released,
    /// drawn by popularity. With none to choose now, the request passes; with downloads left,
    /// the next comes after the user's interval.
    func request(user u: Int) {
        let spec = scenario.peers[users[u].group]
        // The user's funds come from the supply once, with its first download.
        if users[u].account == nil, spec.strategy.market == .speed, let shortfall = shortfall(funding: spec) {
            fundingShortfall = fundingShortfall ?? shortfall
            arrivalsPending -= 1
            return
        }
        users[u].wanted -= 1
        if let t = choose(for: u) {
            users[u].torrents[t] = true
            let k = users[u].started
            users[u].started += 1
            let user = users[u]
            join(
                torrent: t, group: user.group, keys: DrawKeys(master: user.seed, UInt64(k), 0), user: u, up: user.up,
                down: user.down, host: user.host)
        } else {
            users[u].passed += 1
        }
        guard users[u].wanted > 0, let downloads = spec.downloads,
            let next = now.adding(downloads.interval.sampleDuration(users[u].choices))
        else {
            arrivalsPending -= 1
            return
        }
        queue.push(.request(user: Int32(u)), at: next)
    }

    /// A torrent for user `u` by popularity among the released ones it has not joined.
    private func choose(for u: Int) -> Int? {
        var total = 0.0
        for t in plans.indices where !users[u].torrents[t] && plans[t].release <= now { total += plans[t].share }
        guard total > 0 else { return nil }
        var x = users[u].choices.uniform() * total
        var last: Int?
        for t in plans.indices where !users[u].torrents[t] && plans[t].release <= now {
            x -= plans[t].share
            last = t
            if x < 0 { return t }
        }
        return last
    }

}
