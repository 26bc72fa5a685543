import SimKernel

extension TorrentClient {
    /// Upper bound on outstanding requests per connection (libtorrent's
    /// `max_out_request_queue`).
    static let maxOutstandingRequests = 250

    /// Requests the budget allows beyond `request_queue_time` worth of the total rate
    /// (8 blocks, 128 KiB at 16 KiB): room to try peers that just unchoked us, whose rate
    /// we cannot know before asking. Without it the budget equals what is already asked
    /// for. Counted in requests, not bytes, since it is about how many peers can be tried.
    static let minimumRequestBudget = 8

    /// The least a connection that may send keeps asked for: libtorrent's two 16 KiB
    /// blocks. Counted in bytes, so with larger blocks (`protocol.block_size`, "Fidelity
    /// tiers" in docs/model.md) it is one request: two 64 KiB requests per connection
    /// left the budget room for half as many peers, and a 200-peer flash crowd
    /// downloaded 4.8 % slower than with 16 KiB blocks (docs/decisions.md).
    static let minimumOutstandingBytes = 2 * PieceLayout.standardBlockLength

    /// `minimumOutstandingBytes` in this torrent's blocks: two up to 16 KiB (blocks smaller
    /// than any client sends keep libtorrent's count), one from 32 KiB.
    var minimumOutstandingRequests: Int {
        min(2, max(1, Self.minimumOutstandingBytes / config.layout.blockLength))
    }

    /// Tops up the requests on `id` to about `request_queue_time` worth of its observed
    /// rate (at least `minimumOutstandingBytes`), as libtorrent sizes its request queue —
    /// within a budget for the whole client of `request_queue_time` worth of its total
    /// rate. The budget is what TCP's flow control would impose: without it a peer
    /// unchoked by sixty seeds asks each for two blocks and queues half a minute of data
    /// on its downlink.
    func fillRequests(_ id: ConnectionID, now: SimTime, out: inout [ClientAction]) {
        let slot = Int(id.slot)
        // Read fields rather than copying the session: a copy alive across the mutations
        // below would force copy-on-write of its queues.
        guard sessions[slot].isOpen else { return }
        guard sessions[slot].amInterested, !sessions[slot].peerChoking, !picker.isComplete else {
            sessions[slot].waitingForBudget = false
            return
        }
        let perBlock = Double(config.layout.blockLength) / settings.requestQueueTime.seconds
        let target =
            sessions[slot].timedOut
            ? 1
            : min(
                Self.maxOutstandingRequests,
                max(minimumOutstandingRequests, Int(sessions[slot].downloadMeter.bytesPerSecond / perBlock)))
        let budget = Self.minimumRequestBudget + Int(downloadMeter.bytesPerSecond / perBlock)
        let outstanding = sessions[slot].outstanding.count
        let limit = min(target - outstanding, budget - outstandingTotal)
        guard limit > 0 else {
            if outstanding == 0 && target > 0 {
                sessions[slot].waitingForBudget = true
                someWaitForBudget = true
            }
            return
        }
        sessions[slot].waitingForBudget = false
        let wasEndGame = picker.inEndGame
        pickScratch.removeAll(keepingCapacity: true)
        picker.pick(
            from: sessions[slot].remoteHas, limit: limit, outstanding: sessions[slot].outstanding, random: random,
            into: &pickScratch)
        if outstanding == 0 && !pickScratch.isEmpty { sessions[slot].requestedAt = now }
        for r in pickScratch {
            sessions[slot].outstanding.append(r)
            out.append(.send(id, .request(r)))
            if sharesBlocks { out.append(.blockClaimed(r)) }
        }
        outstandingTotal += pickScratch.count
        // Entering end game: connections that found nothing to ask for may now help.
        if !wasEndGame && picker.inEndGame {
            for slot in sessions.indices where slot != Int(id.slot) {
                if sessions[slot].isOpen { fillRequests(sessions[slot].id, now: now, out: &out) }
            }
        }
    }

    /// Room in the budget went to no one: give it to connections that got nothing for
    /// lack of budget, starting after the last one served so that all get their turn.
    func serveBudgetWaiters(now: SimTime, out: inout [ClientAction]) {
        guard someWaitForBudget, !sessions.isEmpty else { return }
        someWaitForBudget = false
        for k in 0..<sessions.count {
            let slot = (budgetCursor + k) % sessions.count
            guard sessions[slot].isOpen, sessions[slot].waitingForBudget else { continue }
            fillRequests(sessions[slot].id, now: now, out: &out)
            if sessions[slot].waitingForBudget {
                // Still no room: the rest keep waiting.
                budgetCursor = slot
                someWaitForBudget = true
                return
            }
        }
    }

    /// Withdraws one outstanding request on `slot`; false if it was not outstanding there.
    func removeOutstanding(_ r: BlockRequest, slot: Int) -> Bool {
        guard sessions[slot].removeOutstanding(r) else { return false }
        outstandingTotal -= 1
        return true
    }

    /// Withdraws every outstanding request on `slot` (a choke, a closed connection): the
    /// blocks become free for other peers. True if there were any.
    func dropOutstanding(slot: Int, out: inout [ClientAction]) -> Bool {
        let dropped = sessions[slot].outstanding.count
        for r in sessions[slot].outstanding { release(r, out: &out) }
        outstandingTotal -= dropped
        sessions[slot].outstanding.removeAll(keepingCapacity: true)
        sessions[slot].waitingForBudget = false
        return dropped > 0
    }

    /// Frees requests a remote has left unanswered for `protocol.request_timeout`, as libtorrent
    /// times them out, so that other peers can be asked for those blocks. Two cases:
    /// under BEP 6 a choke keeps our requests until the uploader rejects them, and a peer
    /// that never does (a stalled or faulty client) would hold them for as long as the
    /// connection lasts; and a peer that unchokes us and then sends nothing (a stalled
    /// client, a Speed provider that takes the escrow and withholds the slot) would hold
    /// them the same way. The second is then asked for one block at a time until it
    /// delivers (`PeerSession.timedOut`). Checked at each rechoke round, so it costs no
    /// timer of its own; btsim's standard peers reject within a round trip and serve every
    /// unchoked peer within seconds, so in a standard swarm it never acts.
    func releaseUnansweredRequests(now: SimTime, out: inout [ClientAction]) {
        // Most rounds of a large run are a seed's, or a leecher's with nothing asked.
        guard outstandingTotal > 0 else { return }
        var freed = false
        for slot in sessions.indices
        where sessions[slot].isOpen && sessions[slot].requestsTimedOut(now: now, timeout: settings.requestTimeout) {
            if !sessions[slot].peerChoking {
                // Withdrawn politely: the remote may yet wake up, and should not then send them.
                sessions[slot].timedOut = true
                for r in sessions[slot].outstanding { out.append(.send(sessions[slot].id, .cancel(r))) }
            }
            freed = dropOutstanding(slot: slot, out: &out) || freed
        }
        if freed { requestFreedBlocks(now: now, out: &out) }
    }

    /// Withdrawn requests freed blocks and budget. The budget goes to its waiters first, in
    /// turn; then every connection with nothing outstanding that could ask (interested,
    /// unchoked) tries again: it found nothing to ask for before, perhaps because these
    /// blocks were taken, and no answer is coming that would make it try on its own.
    func requestFreedBlocks(now: SimTime, out: inout [ClientAction]) {
        serveBudgetWaiters(now: now, out: &out)
        for slot in sessions.indices
        where sessions[slot].isOpen && sessions[slot].outstanding.isEmpty && sessions[slot].amInterested
            && !sessions[slot].peerChoking
        {
            fillRequests(sessions[slot].id, now: now, out: &out)
        }
    }

    /// A `piece` message with block `r` on `id` would be counted as new data: a driver that
    /// stores blocks (Live) writes exactly these, before handing the message over, so the
    /// disk holds every block the client counts. A block may come on a connection that no
    /// longer has it outstanding (a choke overtook it) and still count.
    public func needsBlock(_ r: BlockRequest, on id: ConnectionID) -> Bool {
        guard isLive(id), sessions[Int(id.slot)].phase == .active, config.layout.isValid(r) else { return false }
        return picker.needs(r)
    }

    func blockArrived(_ r: BlockRequest, on id: ConnectionID, now: SimTime, out: inout [ClientAction]) {
        let slot = Int(id.slot)
        _ = removeOutstanding(r, slot: slot)
        let othersAsked = picker.requestCount(r) > 1
        let receipt = picker.received(r)
        sessions[slot].recordBlockReceived(Int(r.length), now: now)
        downloadMeter.add(Int(r.length), now: now)
        strategy.downloaded(r, on: id, client: self, now: now, out: &out)
        if receipt == .duplicate {
            wastedBytes += Int64(r.length)
        } else {
            bytesDownloaded += Int64(r.length)
            if sharesBlocks { out.append(.blockStored(r)) }
            if othersAsked { cancelElsewhere(r, except: id, out: &out) }
            if case .pieceCompleted(let piece) = receipt {
                if checksPieces {
                    out.append(.checkPiece(piece))
                } else {
                    picker.verified(piece)
                    pieceCompleted(piece, now: now, out: &out)
                }
            }
        }
        if isLive(id) { fillRequests(id, now: now, out: &out) }
        serveBudgetWaiters(now: now, out: &out)
    }

    /// End game: the block came from one peer, so withdraw it from the others (all of
    /// them when it came to another identity of ours). True if any request was withdrawn.
    @discardableResult
    func cancelElsewhere(_ r: BlockRequest, except id: ConnectionID?, out: inout [ClientAction]) -> Bool {
        var withdrawn = false
        for slot in sessions.indices where slot != id.map({ Int($0.slot) }) && sessions[slot].isOpen {
            if removeOutstanding(r, slot: slot) {
                out.append(.send(sessions[slot].id, .cancel(r)))
                withdrawn = true
            }
        }
        return withdrawn
    }

    /// A request withdrawn without its block: the picker frees it, and a client that
    /// shares blocks says so.
    func release(_ r: BlockRequest, out: inout [ClientAction]) {
        picker.cancelled(r)
        if sharesBlocks { out.append(.blockReleased(r)) }
    }

    /// The driver's answer to `.checkPiece`: a piece that passed is ours to share; one that
    /// failed is forgotten, its blocks requested again from whoever has them. An answer for
    /// a piece not awaiting its check (a duplicate, or out of range) is ignored.
    public func pieceChecked(_ piece: Int, passed: Bool, now: SimTime, out: inout [ClientAction]) {
        guard picker.isAwaitingCheck(piece) else { return }
        if passed {
            picker.verified(piece)
            pieceCompleted(piece, now: now, out: &out)
        } else {
            picker.discard(piece)
            out.append(.pieceFailed(piece))
        }
        for slot in sessions.indices where sessions[slot].isOpen && isLive(sessions[slot].id) {
            fillRequests(sessions[slot].id, now: now, out: &out)
        }
        serveBudgetWaiters(now: now, out: &out)
    }

    /// Tells peers that lack the piece, drops interest where nothing is left to get, and
    /// on the last piece turns this client into a seed.
    func pieceCompleted(_ piece: Int, now: SimTime, out: inout [ClientAction]) {
        trace?(.pieceCompleted, nil)
        out.append(.pieceCompleted(piece))
        for slot in sessions.indices where sessions[slot].isOpen {
            let id = sessions[slot].id
            if sessions[slot].remoteHas[piece] {
                sessions[slot].interestingPieces -= 1
                updateInterest(id, now: now, out: &out)
            } else if sessions[slot].phase == .active && settings.haveBatch == .zero {
                // Only peers that lack the piece need the `have` (no redundant haves). A
                // connection still awaiting the remote's handshake gets the piece in the
                // bitfield sent then: a `have` first would make that bitfield late.
                out.append(.send(id, .have(piece: UInt32(piece))))
            }
        }
        if settings.haveBatch > .zero { batchHave(piece, now: now, out: &out) }
        guard picker.isComplete else { return }
        trace?(.completed, nil)
        out.append(.downloadCompleted)
        strategy.downloadCompleted(client: self, now: now, out: &out)
        announce(.completed, now: now, out: &out)
        for slot in sessions.indices where sessions[slot].isOpen && sessions[slot].remoteHas.isFull {
            close(sessions[slot].id, .bothSeeds, now: now, out: &out)
        }
    }
}
