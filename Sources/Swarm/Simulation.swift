import BitTorrent
import DequeModule
import Scenario
import SimKernel
import SimNet
import Speed
import Storage

#if canImport(Glibc)
    import Glibc
#endif

/// One run of a scenario: virtual peers running `TorrentClient` over `Network`, driven
/// by one event queue.
///
/// The driver is thin: it turns network deliveries and timers into client inputs, and
/// client actions into network sends, timers and tracker calls. Peer attributes are drawn
/// from streams keyed by (group name, ordinal), so a run is a pure function of scenario
/// and seed. Split by concern: `+Actions` applies client actions, `+Membership` handles
/// arrivals and departures.
public final class Simulation {
    let scenario: Scenario
    let seed: UInt64
    var queue = EventQueue<SwarmEvent>()
    let network: Network
    /// The run's torrents as drawn for it, in popularity order (`TorrentPlan`).
    let plans: [TorrentPlan]
    /// The swarm of each torrent, with its tracker and metrics; a peer belongs to one
    /// (`PeerState.torrent`).
    var swarms: [TorrentSwarm] = []
    /// One scratch stream for one-off draws (bandwidth class, latency, …), reseeded per key.
    let attributeRandom: RandomStream
    var peers: [PeerState] = []
    /// Each peer's client again, unretained: `peers` keeps every client alive for the
    /// whole run, and calling through these costs no reference counting (an atomic
    /// increment and decrement per call otherwise; docs/performance.md).
    var clients: [Unmanaged<TorrentClient>] = []
    var links: [LinkEnds] = []
    /// One arrival process per torrent and peer group, torrent-major, then one per group
    /// of users (`SwarmEvent.arrival`): process `p` is group `processGroup[p]`, in torrent
    /// `processTorrent[p]` (nil for users, who choose their torrents).
    var arrivals: [ArrivalProcess] = []
    var processGroup: [Int] = []
    var processTorrent: [Int?] = []
    /// A catalogue's users, in arrival order.
    var users: [UserState] = []
    /// The piece hashes of every swarm's virtual torrent, shared (`TorrentSwarm.infoHash`).
    let zeroRuns = ZeroRunHasher()
    /// Each Sybil user's identities (peer indices), the first identity first.
    var sybils: [[Int32]] = []
    /// A catalogue's economy at each sample time (`CatalogSample`).
    var catalogSamples: [CatalogSample] = []
    var arrivalsPending = 0
    /// Peers arrived so far per process: a peer's streams are keyed by its ordinal within
    /// its torrent and group, so a torrent's draws do not depend on the others'.
    var ordinals: [Int] = []
    /// Streams are keyed by group name, not position, so inserting a group into a
    /// scenario leaves every other group's draws unchanged.
    let groupKeys: [UInt64]
    /// Peers online in every swarm together: the run stops when none is and none will come.
    var online = 0
    /// The run's ledger and chain, when a group runs `speed`.
    let market: SpeedMarket?
    /// The BTFS storage market, when the scenario has one; its events run in time order
    /// with the swarm's (storage first at equal times).
    let storage: StorageMarket?
    /// When a `.chain` event is queued for (`.never`: none).
    var chainWake = SimTime.never
    /// The first arrival the supply could not fund; the run stops there.
    var fundingShortfall: FundingShortfall?
    var now = SimTime.zero
    /// Scratch buffers reused for every call, so the loop allocates nothing.
    var netScratch = NetSchedule()
    var actionScratch: [ClientAction] = []
    /// The outermost call's own actions, applied straight from this buffer.
    var applying: [ClientAction] = []
    var pendingActions: Deque<(peer: Int32, action: ClientAction)> = []
    var draining = false
    /// Off only in the test that shows the skip changes no output (DeadSwarmTests).
    var skipsIdleTimers = true
    /// Whose decisions are recorded, and what they recorded so far (`RunResult.traces`).
    let traceSelection: TraceSelection
    var traces: [PeerTrace] = []

    /// Builds the run; fails when a torrent cannot exist (e.g. more pieces than a
    /// metainfo may hold). The peers `trace` selects record what their clients report.
    public convenience init(scenario: Scenario, seed: UInt64, trace: TraceSelection = .none) throws(MetainfoError) {
        try self.init(
            scenario: scenario, seed: seed, torrents: TorrentPlan.plans(for: scenario, seed: seed), trace: trace)
    }

    /// The run of `scenario` over the torrents `plans` (issue 24's test of point 6a runs one
    /// torrent of a catalogue alone this way).
    init(scenario: Scenario, seed: UInt64, torrents plans: [TorrentPlan], trace: TraceSelection = .none)
        throws(MetainfoError)
    {
        self.scenario = scenario
        self.seed = seed
        self.plans = plans
        traceSelection = trace
        // Requests are in the protocol's blocks (16 KiB, or 64 KiB in `fidelity: piece`);
        // the scenario parser checked they divide the piece.
        for plan in plans {
            swarms.append(
                try TorrentSwarm(
                    name: plan.name, length: plan.sizeBytes, pieceLength: plan.pieceSizeBytes,
                    blockLength: scenario.protocolSettings.blockLength,
                    trackerSeed: SeedDerivation.seed(master: plan.seed, purpose: .tracker)))
        }
        network = Network(controlOverlap: scenario.network.controlOverlap)
        attributeRandom = RandomStream(seed: seed)
        let market =
            scenario.peers.contains { $0.strategy.market == .speed }
            ? SpeedMarket(
                settings: Self.speedSettings(scenario.incentives), chain: scenario.incentives.chain, seed: seed) : nil
        self.market = market
        // With Speed peers both markets share one ledger and chain.
        storage = scenario.storage.map {
            StorageMarket(settings: $0, seed: seed, sampleInterval: $0.sampleInterval, bank: market)
        }
        groupKeys = scenario.peers.map { SeedDerivation.key($0.name) }
        for (t, plan) in plans.enumerated() {
            for (g, group) in scenario.peers.enumerated() where group.downloads == nil {
                let stream = RandomStream(
                    seed: SeedDerivation.seed(master: plan.seed, purpose: .arrivals, groupKeys[g]))
                arrivals.append(
                    ArrivalProcess(group: group, random: stream, release: plan.release, rateScale: plan.rateScale))
                processGroup.append(g)
                processTorrent.append(t)
            }
        }
        // Users arrive in the catalogue, not in a torrent: their rates are not scaled.
        for (g, group) in scenario.peers.enumerated() where group.downloads != nil {
            let stream = RandomStream(seed: SeedDerivation.seed(master: seed, purpose: .arrivals, groupKeys[g]))
            arrivals.append(ArrivalProcess(group: group, random: stream))
            processGroup.append(g)
            processTorrent.append(nil)
        }
        ordinals = Array(repeating: 0, count: arrivals.count)
    }

    /// Runs to the scenario's duration, or until nobody is online and nobody will arrive
    /// (the time series still covers the whole duration). A dead swarm runs on: its
    /// arrivals are recorded and its leechers trade the pieces that exist, and a `has_file`
    /// arrival revives it.
    public func run(progress: ((RunProgress) -> Void)? = nil) -> RunResult {
        let wallStart = Self.wallClock()
        var lastReport = wallStart
        scheduleInitialEvents()
        var stopReason = StopReason.duration
        var handled: UInt64 = 0
        while let next = queue.nextTime, next <= scenario.duration {
            storage?.advance(through: next)
            guard let entry = queue.pop() else { break }
            now = entry.time
            handle(entry.payload)
            handled &+= 1
            if let market, let due = market.nextChainDeadline, due < chainWake {
                queue.push(.chain, at: due)
                chainWake = due
            }
            if let reason = stopCondition() {
                stopReason = reason
                break
            }
            if handled & 0xFFFF == 0, let progress {
                let wall = Self.wallClock()
                if wall - lastReport >= 0.5 {
                    lastReport = wall
                    progress(
                        RunProgress(
                            now: now, duration: scenario.duration, events: handled, online: online,
                            joined: peers.count, completed: swarms.reduce(0) { $0 + $1.metrics.completedTotal },
                            wallSeconds: wall - wallStart))
                }
            }
        }
        let end = stopReason == .duration ? scenario.duration : now
        if stopReason == .empty { sampleTheEmptySwarm() }
        for p in peers where p.online { p.trader?.settleAll(now: end) }
        // The storage market runs to the scenario's end even when the swarm stopped early.
        storage?.finish(at: scenario.duration)
        return finish(end: end, stopReason: stopReason, events: handled, wallSeconds: Self.wallClock() - wallStart)
    }

    private func scheduleInitialEvents() {
        for p in arrivals.indices {
            guard let t = arrivals[p].first() else { continue }
            queue.push(.arrival(process: Int32(p)), at: t)
            arrivalsPending += 1
        }
        queue.push(.sample, at: .zero)
    }

    private func handle(_ event: SwarmEvent) {
        switch event {
        case .net(let e):
            guard let delivery = network.handle(e, now: now, schedule: &netScratch) else {
                flushNet()
                return
            }
            flushNet()
            deliver(delivery)
        case .timer(let peer, let timer):
            // With no leecher online in its swarm and none to come, a timer cannot change anything.
            guard peers[Int(peer)].online, !(skipsIdleTimers && isQuiescent(peers[Int(peer)].torrent)) else { return }
            // The queue runs an event exactly at the time it was pushed for, which for a
            // timer is the deadline the client armed: the timer rule's `now == deadline` case.
            call(peer) { c, out in c.timerFired(timer, deadline: now, now: now, out: &out) }
        case .arrival(let process):
            arrive(process: Int(process))
        case .request(let user):
            request(user: Int(user))
        case .comeback(let peer):
            comeback(Int(peer))
        case .departure(let peer, .seedingReview):
            reviewSeeding(Int(peer))
        case .departure(let peer, let reason):
            depart(Int(peer), reason: reason)
        case .chain:
            chainWake = .never
            market?.advanceChain(to: now)
        case .sample:
            takeSamples(at: now)
            if let next = now.adding(scenario.sampleInterval), next <= scenario.duration {
                queue.push(.sample, at: next)
            }
        }
    }

    /// True when no leecher is online in swarm `torrent` and nobody will arrive: only
    /// departures and samples still matter there.
    func isQuiescent(_ torrent: Int32) -> Bool {
        swarms[Int(torrent)].metrics.onlineLeechers == 0 && arrivalsPending == 0
    }

    private func stopCondition() -> StopReason? {
        if fundingShortfall != nil { return .supplyExhausted }
        return online == 0 && arrivalsPending == 0 ? .empty : nil
    }

    /// Every swarm's sample at `time`; the BTT moved is the run's (one market for all).
    private func takeSamples(at time: SimTime) {
        let transferred = market?.transferred ?? .zero
        for t in swarms.indices { swarms[t].metrics.takeSample(now: time, bttTransferred: transferred) }
        if plans.count > 1 { catalogSamples.append(catalogSample(at: time)) }
    }

    /// After an early stop, the samples an empty swarm would have given up to the
    /// duration (nobody online, nothing delivered), so every run's time series has the
    /// same times and a swarm that emptied counts as 0 online, not as missing.
    private func sampleTheEmptySwarm() {
        // A storage-only scenario has no swarm to sample.
        guard !scenario.peers.isEmpty, let last = swarms[0].metrics.samples.last?.time else { return }
        var next = last.adding(scenario.sampleInterval)
        while let t = next, t <= scenario.duration {
            takeSamples(at: t)
            next = t.adding(scenario.sampleInterval)
        }
    }

    func flushNet() {
        netScratch.drain { queue.push(.net($0.event), at: $0.time) }
    }

    func deliver(_ frame: ControlFrame, to peer: Int32, on slot: ConnectionID) {
        switch frame {
        case .handshake(let h): call(peer) { c, out in c.received(h, on: slot, now: now, out: &out) }
        case .message(let m): call(peer) { c, out in c.received(m, on: slot, now: now, out: &out) }
        }
    }

    private func deliver(_ delivery: NetDelivery) {
        switch delivery {
        case .control(let link):
            let l = Int(link.index)
            guard let frame = links[l].control.popFirst() else { return }
            deliver(frame, to: links[l].receiver, on: links[l].receiverSlot)
        case .data(let link):
            let l = Int(link.index)
            guard let block = links[l].data.popFirst() else { return }
            let peer = links[l].receiver
            swarms[Int(peers[Int(peer)].torrent)].metrics.payloadDelivered += Int64(block.length)
            let slot = links[l].receiverSlot
            call(peer) { c, out in c.received(.piece(block, .virtual), on: slot, now: now, out: &out) }
        case .dataSent(let link):
            let l = Int(link.index)
            let peer = links[l].sender
            let slot = links[l].senderSlot
            call(peer) { c, out in c.blockSent(on: slot, now: now, out: &out) }
        }
    }

    /// Calls one client and applies what it asks for, including what other clients ask
    /// for in turn (first in, first out). The outermost call's actions are applied from
    /// their own buffer; those of calls they cause queue behind them, so the order is
    /// the same as queueing everything, without copying the common case through the queue.
    func call(_ peer: Int32, _ body: (TorrentClient, inout [ClientAction]) -> Void) {
        clients[Int(peer)]._withUnsafeGuaranteedRef { body($0, &actionScratch) }
        guard !draining else {
            for a in actionScratch { pendingActions.append((peer, a)) }
            actionScratch.removeAll(keepingCapacity: true)
            return
        }
        draining = true
        swap(&actionScratch, &applying)
        for a in applying { apply(a, from: peer) }
        applying.removeAll(keepingCapacity: true)
        while let next = pendingActions.popFirst() { apply(next.action, from: next.peer) }
        draining = false
    }

    static func wallClock() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
