import SimKernel

/// A user's identities that download into one storage (`sharesBlocks`, docs/model.md
/// "Sybil requesters") pick as one client would: each is told what the others asked for,
/// withdrew and stored, and keeps its picker as if it had done so itself. A block another
/// identity asked for is requested elsewhere only in end game, a block it stored is ours,
/// and a piece whose blocks came through several identities is complete in each of them.
extension TorrentClient {
    /// Another identity asked a peer for `r`.
    public func claimedBySibling(_ r: BlockRequest) {
        guard config.layout.isValid(r) else { return }
        picker.claimedElsewhere(r)
    }

    /// Another identity withdrew its request for `r` without the block.
    public func releasedBySibling(_ r: BlockRequest) {
        guard config.layout.isValid(r) else { return }
        picker.cancelled(r)
    }

    /// Another identity stored `r`: our own requests for it are cancelled, as in end game,
    /// and a piece it completes is ours to share. The identity that downloaded the block
    /// counts its bytes; this one counts none.
    public func storedBySibling(_ r: BlockRequest, now: SimTime, out: inout [ClientAction]) {
        guard config.layout.isValid(r) else { return }
        let receipt = picker.received(r)
        guard receipt != .duplicate else { return }
        let withdrawn = cancelElsewhere(r, except: nil, out: &out)
        if case .pieceCompleted(let piece) = receipt {
            // One storage, checked once: by the identity whose block completed it (the
            // simulator's virtual content passes at once).
            picker.verified(piece)
            pieceCompleted(piece, now: now, out: &out)
        }
        if withdrawn { requestFreedBlocks(now: now, out: &out) }
    }
}
