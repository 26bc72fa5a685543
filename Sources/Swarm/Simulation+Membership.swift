import BitTorrent
import Incentives
import Scenario
import SimKernel
import SimNet
import Speed
import Strategies

extension Simulation {
    /// Handles an arrival event of process `p` (a group in a torrent, or a group of users):
    /// creates its peers or users and schedules the next one.
    func arrive(process p: Int) {
        let batch = arrivals[p].batchSize
        arrivals[p].arrived(batch)
        for _ in 0..<batch {
            let ordinal = ordinals[p]
            ordinals[p] += 1
            if let t = processTorrent[p] {
                addPeer(group: processGroup[p], torrent: t, ordinal: ordinal)
            } else {
                addUser(group: processGroup[p], ordinal: ordinal)
            }
        }
        if let next = arrivals[p].next(after: now) {
            queue.push(.arrival(process: Int32(p)), at: next)
        } else {
            arrivalsPending -= 1
        }
    }

    /// A peer of group `g` in torrent `t`, with its own host.
    private func addPeer(group g: Int, torrent t: Int, ordinal: Int) {
        let spec = scenario.peers[g]
        guard fundingShortfall == nil else { return }
        if let shortfall = shortfall(funding: spec) {
            fundingShortfall = shortfall
            return
        }
        let keys = DrawKeys(master: plans[t].seed, groupKeys[g], UInt64(ordinal))
        let (up, down) = Self.bandwidth(spec.bandwidth, draw(.bandwidth, keys))
        let latency = scenario.network.latency.sampleDuration(draw(.latency, keys))
        let host = network.addHost(upBitsPerSecond: up, downBitsPerSecond: down, latency: latency)
        if spec.identities > 1 {
            joinIdentities(spec.identities, torrent: t, group: g, keys: keys, up: up, down: down, host: host)
        } else if spec.farm > 0 {
            joinFarm(spec.farm, torrent: t, group: g, keys: keys, up: up, down: down, host: host)
        } else {
            join(torrent: t, group: g, keys: keys, user: nil, up: up, down: down, host: host)
        }
    }

    /// Draws a one-off attribute from its own stream, keyed by `keys` and `purpose`.
    func draw(_ purpose: StreamPurpose, _ keys: DrawKeys) -> RandomStream {
        attributeRandom.reseed(SeedDerivation.seed(master: keys.master, purpose: purpose, keys.a, keys.b))
        return attributeRandom
    }

    /// Peer `peers.count` joins torrent `t` on `host`: a group's peer, user `user`'s
    /// download, or a publisher's next session. Its one-off attributes and its client's
    /// behaviour draw from `keys`; it trades on aliases of `sharing` when given (its user's
    /// or its earlier session's account).
    func join(
        torrent t: Int, group g: Int, keys: DrawKeys, user: Int?, up: Double, down: Double, host: HostID,
        sharing: SpeedAccount? = nil, session earlier: PublisherSession? = nil, identity: SybilIdentity? = nil
    ) {
        let spec = scenario.peers[g]
        let index = peers.count
        let session = spec.uptime.map { _ in
            earlier ?? PublisherSession(first: keys, start: now, spec: spec, draw: draw)
        }
        // A Sybil user's later identities leave with its first (`departIdentities`); a
        // farm's leechers leave when done, or with their farmer.
        let follows = (identity?.ordinal ?? 0) > 0
        let farmhand = follows && spec.farm > 0
        let hasFile = spec.hasFile && !farmhand
        let seeding: SimTime? =
            if farmhand {
                .zero
            } else if follows {
                nil
            } else if let session, let uptime = spec.uptime {
                session.online(uptime.on.sampleDuration(draw(.sessionOn, keys)), now: now)
            } else {
                switch spec.seeding {
                case .forever: nil
                case .duration(let d): d.sampleDuration(draw(.seeding, keys))
                }
            }
        let abort = follows ? nil : spec.abort.map { $0.sampleDuration(draw(.abort, keys)) }
        let torrent = Int32(t)
        let config = ClientConfiguration(
            infoHash: swarms[t].infoHash(zeros: zeroRuns), peerID: PeerID(azureusStyle: UInt64(index)),
            address: Self.address(ofPeer: index),
            layout: swarms[t].layout, settings: spec.protocolSettings ?? scenario.protocolSettings,
            startsAsSeed: hasFile)
        let cost = spec.rationalSeeding.map { $0.costPerHour.sample(draw(.seedingCost, keys)) }
        let definition = farmhand ? StrategyDefinition.speedFarmhand : spec.strategy
        let made = makeStrategy(
            spec, peer: index, upBitsPerSecond: up, sharing: sharing ?? user.flatMap { users[$0].account },
            as: definition)
        if let user, users[user].account == nil { users[user].account = made.trader?.account }
        let behaviour = RandomStream(seed: behaviourSeed(keys, identity: identity?.ordinal ?? 0))
        let record = PeerRecord(
            peer: index, group: spec.name, strategy: definition.name, upBitsPerSecond: up,
            downBitsPerSecond: down, joined: now, completed: nil, left: nil, bytesDown: 0, bytesUp: 0, seeding: .zero,
            startedWithFile: hasFile, torrent: plans[t].rank, user: user)
        peers.append(
            PeerState(
                client: TorrentClient(config: config, random: behaviour, strategy: made.strategy),
                host: host, group: g,
                torrent: torrent, record: record, seedingSince: hasFile ? now : nil, seedingDuration: seeding,
                trader: made.trader,
                seedingCost: cost, session: session, sybil: identity?.user))
        if let identity { sybils[Int(identity.user)].append(Int32(index)) }
        if identity != nil && spec.farm == 0 { peers[index].client.sharesBlocks = true }
        clients.append(Unmanaged.passUnretained(peers[index].client))
        if traceSelection.selects(peer: index, group: spec.name) { startTrace(index) }
        joinStorage(index, trader: made.trader)
        online += 1
        if let user { users[user].online += 1 }
        if hasFile {
            swarms[Int(torrent)].metrics.onlineSeeds += 1
            swarms[Int(torrent)].metrics.gained(peers[index].client.have, now: now)
            startSeeding(index)
        } else {
            swarms[Int(torrent)].metrics.onlineLeechers += 1
            if let abort, let end = now.adding(abort) { queue.push(.departure(peer: Int32(index), .abort), at: end) }
        }
        call(Int32(index)) { c, out in c.start(now: now, out: &out) }
    }

    /// Records what peer `index`'s client reports, timed from its arrival (now).
    private func startTrace(_ index: Int) {
        let k = traces.count
        let joined = now
        traces.append(PeerTrace(peer: index))
        // Unowned: the simulation owns the client, which owns this closure.
        peers[index].client.trace = { [unowned self] kind, remote in
            traces[k].events.append(PeerEvent(t: (now - joined).seconds, kind: kind, peer: remote))
        }
    }

    /// Up and down rates of a new peer: fixed, or one class of the mix drawn by share.
    static func bandwidth(_ spec: Bandwidth, _ random: RandomStream) -> (up: Double, down: Double) {
        switch spec {
        case .fixed(let up, let down):
            return (up, down)
        case .mix(let classes):
            var u = random.uniform()
            for c in classes {
                u -= c.share
                if u < 0 { return (c.upBitsPerSecond, c.downBitsPerSecond) }
            }
            let last = classes[classes.count - 1]
            return (last.upBitsPerSecond, last.downBitsPerSecond)
        }
    }

    /// A leecher finished: it seeds for its drawn time, then leaves.
    func completed(_ index: Int) {
        peers[index].record.completed = now
        peers[index].seedingSince = now
        let t = Int(peers[index].torrent)
        swarms[t].metrics.onlineLeechers -= 1
        swarms[t].metrics.onlineSeeds += 1
        swarms[t].metrics.completedTotal += 1
        startSeeding(index)
    }

    func depart(_ index: Int, reason: DepartureReason) {
        guard peers[index].online else { return }
        // An abort timer outlives a completed download; seeding time decides then.
        if reason == .abort && peers[index].seedingSince != nil { return }
        departIdentities(after: index, reason: reason)
        let client = peers[index].client
        let t = Int(peers[index].torrent)
        if client.isSeed { swarms[t].metrics.onlineSeeds -= 1 } else { swarms[t].metrics.onlineLeechers -= 1 }
        swarms[t].metrics.lost(client.have, now: now)
        online -= 1
        if let user = peers[index].record.user { users[user].online -= 1 }
        call(Int32(index)) { c, out in c.stop(now: now, out: &out) }
        if swarms[t].metrics.online == 0 { swarms[t].emptied() }
        peers[index].online = false
        peers[index].record.left = now
        // A publisher going offline for a while keeps its balance for its next session.
        if reason == .seedingOver, scheduleComeback(index) { return }
        if !peers[index].rentsStorage { withdrawEarnings(index) }
    }

    /// Closes the books: per-peer totals and seeding times up to `end`.
    func finish(end: SimTime, stopReason: StopReason, events: UInt64, wallSeconds: Double) -> RunResult {
        let payments = market?.records ?? []
        var fees: [Int: TokenAmount] = [:]
        var totalFees = TokenAmount.zero
        for record in payments where record.kind == .fee {
            totalFees += record.amount
            if let payer = record.payer { fees[payer, default: .zero] += record.amount }
        }
        let everyIdentity = peers.map { p -> PeerRecord in
            var r = p.record
            if let market {
                r.bttSpent = market.spent(by: r.peer)
                r.bttEarned = market.earned(by: r.peer)
                r.bttFees = fees[r.peer] ?? .zero
            }
            r.bytesDown = p.client.bytesDownloaded + p.client.wastedBytes
            r.bytesUp = p.client.bytesUploaded
            if let since = p.seedingSince { r.seeding = (r.left ?? end) - since }
            return r
        }
        let records = foldIdentities(everyIdentity)
        let outcomes = swarms.indices.map { t in
            let m = swarms[t].metrics
            return TorrentOutcome(
                plan: plans[t], pieces: swarms[t].layout.pieceCount, samples: m.samples,
                firstAvailable: m.firstAvailable, death: m.death, availableTime: m.availableTime(until: end),
                aliveAtEnd: m.hasFullCopy && m.online > 0)
        }
        // A catalogue's swarm-wide fields describe no one torrent: its `torrents` do
        // (docs/metrics.md, "Catalogues").
        let one = outcomes.count == 1 ? outcomes.first : nil
        return RunResult(
            seed: seed, peers: records,
            samples: one?.samples ?? TorrentOutcome.catalogSamples(outcomes), endTime: end, stopReason: stopReason,
            fundingShortfall: fundingShortfall,
            horizon: scenario.duration, groups: scenario.peers.map { ($0.name, $0.strategy.name) },
            firstAvailable: one?.firstAvailable,
            swarmDeath: one?.death, availableTime: one?.availableTime ?? .zero,
            aliveAtEnd: one?.aliveAtEnd ?? false,
            events: events + UInt64(storage?.tally.events ?? 0),
            wallSeconds: wallSeconds,
            maxDownlinkBacklog: peers.map { network.maxDownlinkBacklog(of: $0.host) }.max() ?? .zero,
            payments: payments, bttVolume: market?.volume ?? .zero, bttFees: totalFees,
            tokensConserved: (market?.isConserved ?? true) && (storage?.bank.isConserved ?? true),
            storage: storage?.outcome, traces: traces, torrents: outcomes, users: userRecords(records),
            catalogSamples: catalogSamples)
    }
}
