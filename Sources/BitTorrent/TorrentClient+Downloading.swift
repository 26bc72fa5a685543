import SimKernel

extension TorrentClient {
    /// Upper bound on outstanding requests per connection (libtorrent's
    /// `max_out_request_queue`).
    static let maxOutstandingRequests = 250

    /// Tops up the requests on `id` to about `request_queue_time` worth of its observed
    /// rate (at least 2 blocks), as libtorrent sizes its request queue.
    func fillRequests(_ id: ConnectionID, now: SimTime, out: inout [ClientAction]) {
        let slot = Int(id.slot)
        // Read fields rather than copying the session: a copy alive across the mutations
        // below would force copy-on-write of its queues.
        guard sessions[slot].isOpen, sessions[slot].amInterested, !sessions[slot].peerChoking, !picker.isComplete
        else { return }
        let perBlock = Double(config.layout.blockLength) / settings.requestQueueTime.seconds
        let rate = sessions[slot].downloadMeter.bytesPerSecond
        let target = min(Self.maxOutstandingRequests, max(2, Int(rate / perBlock)))
        let outstanding = sessions[slot].outstanding.count
        guard outstanding < target else { return }
        let wasEndGame = picker.inEndGame
        pickScratch.removeAll(keepingCapacity: true)
        picker.pick(
            from: sessions[slot].remoteHas, limit: target - outstanding, outstanding: sessions[slot].outstanding,
            random: random, into: &pickScratch)
        for r in pickScratch {
            sessions[slot].outstanding.append(r)
            out.append(.send(id, .request(r)))
        }
        // Entering end game: connections that found nothing to ask for may now help.
        if !wasEndGame && picker.inEndGame {
            for slot in sessions.indices where slot != Int(id.slot) {
                if sessions[slot].isOpen { fillRequests(sessions[slot].id, now: now, out: &out) }
            }
        }
    }

    func blockArrived(_ r: BlockRequest, on id: ConnectionID, now: SimTime, out: inout [ClientAction]) {
        let slot = Int(id.slot)
        _ = sessions[slot].removeOutstanding(r)
        let othersAsked = picker.requestCount(r) > 1
        let receipt = picker.received(r)
        sessions[slot].recordBlockReceived(Int(r.length), now: now)
        guard receipt != .duplicate else {
            wastedBytes += Int64(r.length)
            return
        }
        bytesDownloaded += Int64(r.length)
        if othersAsked { cancelElsewhere(r, except: id, out: &out) }
        if case .pieceCompleted(let piece) = receipt { pieceCompleted(piece, now: now, out: &out) }
        if isLive(id) { fillRequests(id, now: now, out: &out) }
    }

    /// End game: the block came from one peer, so withdraw it from the others.
    private func cancelElsewhere(_ r: BlockRequest, except id: ConnectionID, out: inout [ClientAction]) {
        for slot in sessions.indices where slot != Int(id.slot) && sessions[slot].isOpen {
            if sessions[slot].removeOutstanding(r) { out.append(.send(sessions[slot].id, .cancel(r))) }
        }
    }

    /// Tells peers that lack the piece, drops interest where nothing is left to get, and
    /// on the last piece turns this client into a seed.
    private func pieceCompleted(_ piece: Int, now: SimTime, out: inout [ClientAction]) {
        out.append(.pieceCompleted(piece))
        for slot in sessions.indices where sessions[slot].isOpen {
            let id = sessions[slot].id
            if sessions[slot].remoteHas[piece] {
                sessions[slot].interestingPieces -= 1
                updateInterest(id, out: &out)
            } else {
                // Only peers that lack the piece need the `have` (no redundant haves).
                out.append(.send(id, .have(piece: UInt32(piece))))
            }
        }
        guard picker.isComplete else { return }
        out.append(.downloadCompleted)
        announce(.completed, now: now, out: &out)
        for slot in sessions.indices where sessions[slot].isOpen && sessions[slot].remoteHas.isFull {
            close(sessions[slot].id, .bothSeeds, now: now, out: &out)
        }
    }
}
