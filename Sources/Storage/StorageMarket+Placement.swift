import Incentives
import SimKernel

/// Where shards go: uploads choose hosts by score among those the renter can afford, and
/// repair rebuilds lost shards onto new hosts.
extension StorageMarket {
    /// A renter stores one more file: all its shards on distinct hosts, or nothing (the
    /// upload fails when there are too few eligible hosts or the budget does not cover
    /// every contract's escrow).
    func upload(renter r: Int) {
        let spec = settings.renters[renters[r].group]
        // A draw from a distribution's far tail must not overflow: files are 1 B to 1 PiB
        // (docs/storage.md).
        let bytes = spec.fileSize.sampleWhole(renterDraws, within: 1...StoredFile.largestBytes)
        let f = files.count
        let n = spec.redundancy.shardCount
        files.append(
            StoredFile(
                id: f, renter: r, bytes: bytes, redundancy: spec.redundancy, uploaded: now,
                holders: Array(repeating: nil, count: n), contracts: Array(repeating: nil, count: n)))
        let chosen = pickHosts(n, for: f, excluding: [])
        let escrow = chosen.reduce(TokenAmount.zero) { $0 + escrowNeeded(file: f, host: $1) }
        guard chosen.count == n, bank.spendable(renters[r].account) >= escrow else {
            files.removeLast()
            tally.failedUploads += 1
            return
        }
        tally.filesUploaded += 1
        tally.bytesStored += bytes
        for (shard, h) in chosen.enumerated() {
            guard sign(file: f, shard: shard, host: h, renewal: false) != nil else {
                preconditionFailure("escrow for every shard was checked")
            }
        }
    }

    /// Whether `h` may take a shard of `f` now: online, staying, scoring at least the
    /// minimum, with room, at a price the renter accepts.
    private func eligible(_ h: Int, for f: Int) -> Bool {
        let host = hosts[h]
        let spec = settings.renters[renters[files[f].renter].group]
        return host.online && host.departed == nil && host.capacityBytes - host.usedBytes >= files[f].shardBytes
            && spec.maxPrice.map { host.price <= $0 } ?? true
            && host.score(at: now, weights: settings.scoreWeights) >= settings.minimumScore
    }

    /// Up to `count` distinct eligible hosts, each drawn with probability proportional to
    /// its score (renters prefer reliable hosts but do not all pile onto the best one).
    /// Draws by rejection while that is cheap; a full scan when eligible hosts are rare.
    func pickHosts(_ count: Int, for f: Int, excluding: Set<Int>) -> [Int] {
        var chosen: [Int] = []
        var taken = excluding
        var attempts = 0
        while chosen.count < count && attempts < 20 * count && !hosts.isEmpty {
            attempts += 1
            let h = placementDraws.integer(below: hosts.count)
            guard !taken.contains(h), eligible(h, for: f) else { continue }
            if placementDraws.uniform() < hosts[h].score(at: now, weights: settings.scoreWeights) {
                chosen.append(h)
                taken.insert(h)
            }
        }
        guard chosen.count < count else { return chosen }
        var pool = hosts.indices.filter { !taken.contains($0) && eligible($0, for: f) }
        var weights = pool.map { max(1e-9, hosts[$0].score(at: now, weights: settings.scoreWeights)) }
        while chosen.count < count && !pool.isEmpty {
            var u = placementDraws.uniform() * weights.reduce(0, +)
            var k = 0
            while k < pool.count - 1 && u >= weights[k] {
                u -= weights[k]
                k += 1
            }
            chosen.append(pool.remove(at: k))
            weights.remove(at: k)
        }
        return chosen
    }

    /// Rebuilds the missing shards of `f` from any `needed` online ones onto new hosts;
    /// tries again later while too few shards are online or no host takes them.
    func repair(_ f: Int) {
        files[f].repairPending = false
        guard files[f].lostAt == nil else { return }
        let missing = files[f].holders.indices.filter { files[f].holders[$0] == nil }
        guard !missing.isEmpty else { return }
        guard files[f].onlineShards >= files[f].redundancy.needed else {
            scheduleRepair(f)
            return
        }
        let current = Set(files[f].holders.compactMap { $0 })
        let targets = pickHosts(missing.count, for: f, excluding: current)
        var placed = 0
        for (shard, h) in zip(missing, targets) where sign(file: f, shard: shard, host: h, renewal: false) != nil {
            placed += 1
        }
        guard placed > 0 else {
            scheduleRepair(f)
            return
        }
        // Read `needed` shards (one copy for replicas), write each rebuilt one.
        tally.repairBytes += Int64(files[f].redundancy.needed + placed) * files[f].shardBytes
        tally.repairs += 1
        scheduleRepair(f)
    }
}
