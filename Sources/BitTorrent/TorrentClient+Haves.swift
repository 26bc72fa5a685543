import SimKernel

/// `have` batching (`protocol.have_batch`, docs/model.md, "Fidelity tiers"): instead of a
/// `have` to every connection for every piece at once, pieces wait from the first one for
/// the batch window and then go out together, one `.haves` message per connection.
///
/// Why this is safe to coarsen: a `have` only changes what the remote may ask for and
/// whether it is interested, so a window short against a download (1 s against minutes)
/// moves those decisions by at most the window; docs/validation.md measures the effect.
extension TorrentClient {
    /// Holds `piece`'s `have` for the batch window, arming it if it is the first.
    func batchHave(_ piece: Int, now: SimTime, out: inout [ClientAction]) {
        pendingHaves.append(UInt32(piece))
        if timerDeadlines[ClientTimer.haveBatch.rawValue] == .never {
            arm(.haveBatch, at: now + settings.haveBatch, out: &out)
        }
    }

    /// The window is over: every connection learns, in as few messages as fit, the pieces
    /// it lacks that were neither announced to it yet nor in the bitfield it was sent.
    func sendBatchedHaves(out: inout [ClientAction]) {
        for slot in sessions.indices where sessions[slot].isOpen {
            defer { sessions[slot].batchedHavesInBitfield = 0 }
            guard sessions[slot].phase == .active else { continue }
            let id = sessions[slot].id
            var batch = HaveBatch()
            for piece in pendingHaves[sessions[slot].batchedHavesInBitfield...]
            where !sessions[slot].remoteHas[Int(piece)] {
                if batch.isFull {
                    out.append(.send(id, .haves(batch)))
                    batch = HaveBatch()
                }
                batch.append(piece)
            }
            if let only = batch.first, batch.count == 1 {
                out.append(.send(id, .have(piece: only)))
            } else if !batch.isEmpty {
                out.append(.send(id, .haves(batch)))
            }
        }
        pendingHaves.removeAll(keepingCapacity: true)
    }
}
