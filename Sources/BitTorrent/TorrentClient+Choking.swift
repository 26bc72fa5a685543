import SimKernel

extension TorrentClient {
    /// Fewer regular slots given than `unchoke_slots`.
    public var hasFreeRegularSlot: Bool { regularSlotsInUse < settings.unchokeSlots }

    var regularSlotsInUse: Int {
        var n = 0
        for s in sessions where s.isOpen && s.slot == .regular { n += 1 }
        return n
    }

    /// Gives the regular upload slots to the interested peers that serve us fastest (or,
    /// as a seed, take our data fastest), never to one that snubs us. `newRound` comes
    /// from the rechoke timer and starts a new rate-measurement round; other calls (a
    /// slot freed early) only re-rank.
    func rechoke(now: SimTime, newRound: Bool, out: inout [ClientAction]) {
        chokeScratch.removeAll(keepingCapacity: true)
        for slot in sessions.indices where strategy.uploads {
            guard isCandidate(slot), sessions[slot].slot != .optimistic else { continue }
            chokeScratch.append(candidate(slot, now: now))
        }
        let count = strategy.rankRegular(
            &chokeScratch, slots: settings.unchokeSlots, client: self, now: now, out: &out)
        let winners = chokeScratch.prefix(count)
        for slot in sessions.indices where sessions[slot].isOpen {
            if newRound {
                sessions[slot].downloaded.rotate()
                sessions[slot].uploaded.rotate()
            }
            guard sessions[slot].slot != .optimistic else { continue }
            let id = sessions[slot].id
            setSlot(id, winners.contains { $0.connection == id } ? .regular : .none, out: &out)
        }
    }

    /// Re-ranks the regular slots now rather than at the next round (a strategy learned
    /// something that changes the ranking, such as a new bid).
    public func rechokeNow(now: SimTime, out: inout [ClientAction]) {
        guard !isStopped else { return }
        rechoke(now: now, newRound: false, out: &out)
    }

    /// Moves the optimistic unchoke to another interested, choked peer.
    func rotateOptimistic(now: SimTime, out: inout [ClientAction]) {
        chokeScratch.removeAll(keepingCapacity: true)
        for slot in sessions.indices where strategy.uploads {
            guard isCandidate(slot), sessions[slot].slot == .none else { continue }
            chokeScratch.append(candidate(slot, now: now))
        }
        let next = Choker.pickOptimistic(chokeScratch, random: random)
        for slot in sessions.indices
        where sessions[slot].isOpen && sessions[slot].slot == .optimistic && sessions[slot].id != next {
            setSlot(sessions[slot].id, .none, out: &out)
        }
        if let next { setSlot(next, .optimistic, out: &out) }
    }

    /// An open connection whose peer wants our data. Reads fields in place: copying a
    /// session here (every rechoke) showed up as 5 % of a run in retain/release.
    private func isCandidate(_ slot: Int) -> Bool {
        sessions[slot].isOpen && sessions[slot].peerInterested && sessions[slot].phase == .active
    }

    private func candidate(_ slot: Int, now: SimTime) -> ChokeCandidate {
        let round = settings.rechokeInterval
        let seeding = isSeed
        let rate = seeding ? sessions[slot].uploaded.rate(round: round) : sessions[slot].downloaded.rate(round: round)
        return ChokeCandidate(
            connection: sessions[slot].id, rateBytesPerSecond: rate,
            isSnubbing: !seeding && sessions[slot].isSnubbing(now: now, timeout: settings.snubTimeout),
            isNew: now - sessions[slot].connectedAt < settings.optimisticInterval,
            tieBreak: UInt32(truncatingIfNeeded: random.integer(below: Int(UInt32.max))))
    }

    /// Applies a slot decision, sending `choke`/`unchoke` only when the state changes.
    private func setSlot(_ id: ConnectionID, _ slot: UploadSlot, out: inout [ClientAction]) {
        let i = Int(id.slot)
        sessions[i].slot = slot
        let choke = slot == .none
        guard choke != sessions[i].amChoking else { return }
        sessions[i].amChoking = choke
        trace?(choke ? .choke : .unchoke, sessions[i].address)
        if choke {
            // BEP 3: a choke discards the peer's pending requests; BEP 6 rejects each.
            out.append(.send(id, .choke))
            if sessions[i].fastExtension {
                for r in sessions[i].uploadQueue { out.append(.send(id, .rejectRequest(r))) }
            }
            sessions[i].uploadQueue.removeAll(keepingCapacity: true)
        } else {
            // What waited for the batch first, so the peer can ask for it at once.
            if settings.haveBatch > .zero { sendPendingHaves(i, out: &out) }
            out.append(.send(id, .unchoke))
        }
    }
}
