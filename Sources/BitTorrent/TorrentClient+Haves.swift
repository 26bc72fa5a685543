import SimKernel

/// `have` batching (`protocol.have_batch`, docs/model.md, "Fidelity tiers"): a `have` to a
/// peer that cannot use it yet waits, so that several go out together in one `.haves`
/// message; every other peer gets it at once.
///
/// A peer we choke cannot ask us for the piece, and if it is interested in us it already
/// wants something we have: the `have` changes only its availability counts until we
/// unchoke it, and that moment flushes what waited. A peer we unchoke, or one not
/// interested in us (whose interest the piece may wake), gets the `have` at once, so no
/// transfer waits on a batch. Waiting `have`s go out at the latest when the window that
/// the first of them opened ends.
extension TorrentClient {
    /// Whether `have`s to the connection in `slot` may wait for the batch.
    func defersHaves(_ slot: Int) -> Bool {
        sessions[slot].amChoking && sessions[slot].peerInterested
    }

    /// `piece` is complete: the connections that cannot use it yet wait for the batch,
    /// opening the window if it is the first; the others learn it now.
    func batchHave(_ piece: Int, now: SimTime, out: inout [ClientAction]) {
        pendingHaves.append(UInt32(piece))
        if timerDeadlines[ClientTimer.haveBatch.rawValue] == .never {
            arm(.haveBatch, at: now + settings.haveBatch, out: &out)
        }
        for slot in sessions.indices where sessions[slot].isOpen && !defersHaves(slot) {
            sendPendingHaves(slot, out: &out)
        }
    }

    /// Sends the connection in `slot`, in as few messages as fit, the pending pieces it
    /// lacks and has not been told of (sent before, or in the bitfield it got).
    func sendPendingHaves(_ slot: Int, out: inout [ClientAction]) {
        guard sessions[slot].phase == .active, sessions[slot].havesSent < pendingHaves.count else { return }
        let id = sessions[slot].id
        var batch = HaveBatch()
        for piece in pendingHaves[sessions[slot].havesSent...] where !sessions[slot].remoteHas[Int(piece)] {
            if batch.isFull {
                out.append(.send(id, .haves(batch)))
                batch = HaveBatch()
            }
            batch.append(piece)
        }
        sessions[slot].havesSent = pendingHaves.count
        if let only = batch.first, batch.count == 1 {
            out.append(.send(id, .have(piece: only)))
        } else if !batch.isEmpty {
            out.append(.send(id, .haves(batch)))
        }
    }

    /// The window is over: every connection learns what waited for it.
    func sendBatchedHaves(out: inout [ClientAction]) {
        for slot in sessions.indices where sessions[slot].isOpen {
            sendPendingHaves(slot, out: &out)
            sessions[slot].havesSent = 0
        }
        pendingHaves.removeAll(keepingCapacity: true)
    }
}
