import Incentives
import SimKernel

/// The BTFS storage market of one run, driven by its own SimKernel event queue: hosts go
/// online and offline and eventually leave; renters upload erasure-coded files and sign one
/// contract per shard; contracts are challenged, paid per period from escrow and renewed;
/// shards lost with departed hosts are repaired from any `needed` online shards.
///
/// `advance(through:)` and `finish(at:)` let a driver interleave it with a swarm;
/// `run(until:)` runs it alone. Every draw comes from streams derived from `seed`, in event order, so a
/// seed gives the same run.
public final class StorageMarket {
    enum Event {
        case toggle(host: Int)
        case depart(host: Int)
        case upload(renter: Int)
        case challenge(contract: Int)
        case periodEnd(contract: Int)
        case repair(file: Int)
    }

    struct Renter {
        let group: Int
        let account: AccountID
        /// The swarm peer renting, for a group tied to peers.
        let peer: Int?
    }

    public let settings: StorageSettings
    public let bank: any EscrowBank
    public internal(set) var hosts: [StorageHost] = []
    public internal(set) var files: [StoredFile] = []
    public internal(set) var contracts: [StorageContract] = []
    var renters: [Renter] = []
    var queue = EventQueue<Event>()
    public private(set) var now = SimTime.zero
    let hostDraws: RandomStream
    let renterDraws: RandomStream
    let placementDraws: RandomStream
    let challengeDraws: RandomStream
    /// Counters and time integrals for the outputs.
    public internal(set) var tally = StorageTally()
    /// One row of storage.csv every `sampleInterval`.
    public private(set) var samples: [StorageSample] = []
    let sampleInterval: SimTime
    private var nextSample = SimTime.zero

    /// `bank`: the ledger and chain to pay through; nil: a `StorageBank` of its own.
    public init(settings: StorageSettings, seed: UInt64, sampleInterval: SimTime, bank: (any EscrowBank)? = nil) {
        self.settings = settings
        self.sampleInterval = sampleInterval
        self.bank = bank ?? StorageBank(chain: settings.chain)
        hostDraws = RandomStream(seed: SeedDerivation.seed(master: seed, purpose: .storageHosts))
        renterDraws = RandomStream(seed: SeedDerivation.seed(master: seed, purpose: .storageRenters))
        placementDraws = RandomStream(seed: SeedDerivation.seed(master: seed, purpose: .storagePlacement))
        challengeDraws = RandomStream(seed: SeedDerivation.seed(master: seed, purpose: .storageChallenges))
        for (g, spec) in settings.hosts.enumerated() {
            for _ in 0..<spec.count { addHost(group: g, spec: spec) }
        }
        for (g, spec) in settings.renters.enumerated() where spec.peers == nil {
            for _ in 0..<spec.count {
                addRenter(group: g, budget: spec.budget)
            }
        }
    }

    /// A renter of group `g` joins now and uploads its files after the group's upload
    /// delays. It pays from `account` (a swarm peer's Speed ledger account) or, when nil,
    /// from an account of its own opened with `budget`. A swarm peer of a group that rents
    /// (`peers` in the renter group) joins this way when it arrives.
    public func addRenter(group g: Int, peer: Int? = nil, account: AccountID? = nil, budget: TokenAmount = .zero) {
        let spec = settings.renters[g]
        let id = renters.count
        let pays = account ?? bank.openAccount(.storageRenter(id), funds: budget)
        renters.append(Renter(group: g, account: pays, peer: peer))
        for _ in 0..<spec.files { queue.push(.upload(renter: id), at: now + spec.upload.sampleDuration(renterDraws)) }
    }

    /// A host joins now, online with its long-run probability of being online (so a
    /// market starts in its steady state: exact for exponential periods).
    private func addHost(group: Int, spec: HostGroupSpec) {
        let id = hosts.count
        let online = hostDraws.bernoulli(spec.availability)
        hosts.append(
            StorageHost(
                id: id, group: group, capacityBytes: spec.capacityBytes, price: max(0, spec.price.sample(hostDraws)),
                version: spec.version, joined: now, account: bank.openAccount(.storageHost(id), funds: .zero),
                online: online, since: now))
        if online { tally.hostsOnline += 1 }
        scheduleToggle(id)
        if let departure = spec.departure {
            queue.push(.depart(host: id), at: now + departure.sampleDuration(hostDraws))
        }
    }

    private func scheduleToggle(_ h: Int) {
        let spec = settings.hosts[hosts[h].group]
        // A host whose other state never lasts stays as it is.
        guard (hosts[h].online ? spec.offline : spec.online).mean > 0 else { return }
        let period = (hosts[h].online ? spec.online : spec.offline).sampleDuration(hostDraws)
        queue.push(.toggle(host: h), at: now + period)
    }

    /// When the next event is due; nil when nothing is left to happen.
    public var nextEventTime: SimTime? { queue.nextTime }

    /// Handles the next event.
    public func step() {
        guard let entry = queue.pop() else { return }
        advanceClock(to: entry.time)
        tally.events += 1
        switch entry.payload {
        case .toggle(let h): toggle(h)
        case .depart(let h): depart(h)
        case .upload(let r): upload(renter: r)
        case .challenge(let c): challenge(c)
        case .periodEnd(let c): endPeriod(c)
        case .repair(let f): repair(f)
        }
    }

    /// Handles every event due by `t` (inclusive), sampling on the way.
    public func advance(through t: SimTime) {
        while let next = queue.nextTime, next <= t {
            sample(before: next, inclusive: false)
            step()
        }
    }

    /// Runs to `end` and takes the last samples: the run is over.
    public func finish(at end: SimTime) {
        advance(through: end)
        sample(before: end, inclusive: true)
        advanceClock(to: end)
    }

    /// Runs alone until `end`; the samples (one every `sampleInterval`).
    public func run(until end: SimTime) -> [StorageSample] {
        finish(at: end)
        return samples
    }

    /// A sample at t shows the state before the events at t.
    private func sample(before t: SimTime, inclusive: Bool) {
        while nextSample < t || (inclusive && nextSample == t) {
            advanceClock(to: nextSample)
            samples.append(sample())
            nextSample += sampleInterval
        }
    }

    /// Moves time to `t`: the availability integrals and the chain catch up.
    func advanceClock(to t: SimTime) {
        guard t > now else { return }
        let dt = (t - now).seconds
        tally.readableFileSeconds += Double(tally.filesReadable) * dt
        tally.uploadedFileSeconds += Double(tally.filesUploaded) * dt
        tally.storedByteSeconds += Double(tally.bytesStored) * dt
        tally.heldByteSeconds += Double(tally.shardBytesHeld) * dt
        now = t
        bank.advance(to: t)
    }

    // MARK: hosts

    private func toggle(_ h: Int) {
        guard hosts[h].departed == nil else { return }
        setOnline(h, !hosts[h].online)
        scheduleToggle(h)
    }

    func setOnline(_ h: Int, _ online: Bool) {
        guard hosts[h].online != online else { return }
        hosts[h].setOnline(online, at: now)
        tally.hostsOnline += online ? 1 : -1
        for c in hosts[h].activeContracts {
            let f = contracts[c].file
            if files[f].holders[contracts[c].shard] == h { changeOnlineShards(f, by: online ? 1 : -1) }
        }
    }

    private func depart(_ h: Int) {
        guard hosts[h].departed == nil else { return }
        setOnline(h, false)
        hosts[h].departed = now
        for c in hosts[h].activeContracts.sorted() {
            refundRest(c)
            endContract(c)
            shardLost(file: contracts[c].file, shard: contracts[c].shard)
        }
    }

    // MARK: files

    func changeOnlineShards(_ f: Int, by delta: Int) {
        let was = files[f].readable
        files[f].onlineShards += delta
        tally.shardsOnline += files[f].lostAt == nil ? delta : 0
        updateReadable(f, was: was)
    }

    func updateReadable(_ f: Int, was: Bool) {
        let isReadable = files[f].readable
        if was != isReadable { tally.filesReadable += isReadable ? 1 : -1 }
    }

    /// The shard's holder lost it (left, or its contract ended unrenewed): the file is lost
    /// when fewer than `needed` shards remain anywhere, else queued for repair.
    func shardLost(file f: Int, shard: Int) {
        guard let h = files[f].holders[shard] else { return }
        let was = files[f].readable
        let alive = files[f].lostAt == nil
        files[f].holders[shard] = nil
        files[f].contracts[shard] = nil
        hosts[h].usedBytes -= files[f].shardBytes
        tally.shardBytesHeld -= files[f].shardBytes
        if hosts[h].online {
            files[f].onlineShards -= 1
            if alive { tally.shardsOnline -= 1 }
        }
        if alive { tally.shardsPresent -= 1 }
        if alive && files[f].presentShards < files[f].redundancy.needed { markLost(f) }
        updateReadable(f, was: was)
        scheduleRepair(f)
    }

    /// Too few shards are left to rebuild the file: it is lost for good, and the renter
    /// ends the contracts of the shards that are left (the rest of their escrow comes back).
    private func markLost(_ f: Int) {
        files[f].lostAt = now
        tally.filesLost += 1
        tally.bytesStored -= files[f].bytes
        tally.shardsOnline -= files[f].onlineShards
        tally.shardsPresent -= files[f].presentShards
        for shard in files[f].contracts.indices {
            guard let c = files[f].contracts[shard] else { continue }
            refundRest(c)
            endContract(c)
            shardLost(file: f, shard: shard)
        }
    }

    func scheduleRepair(_ f: Int) {
        let missing = files[f].holders.count - files[f].presentShards
        guard settings.repair, files[f].lostAt == nil, missing >= settings.repairThreshold, !files[f].repairPending
        else { return }
        files[f].repairPending = true
        queue.push(.repair(file: f), at: now + settings.repairDelay)
    }
}
