import SimKernel

/// Handing blocks to the transport, and how the uplink is shared among the connections
/// we upload to (`PeerStrategy.uploadScheduling`, docs/model.md, "Strategies and
/// BitTorrent Speed").
///
/// `perConnection` (every standard client): each connection has at most one block in the
/// transport and the transport shares the uplink among them — SimNet's round-robin, TCP's
/// fair share in Live. `strategyChooses`: the whole peer has one block in the transport,
/// and when it is sent the strategy picks whose queued block goes next, so a strategy can
/// give connections unequal shares (BitTyrant's rates) or serve them in its own order
/// (FairTorrent's deficits). The same code runs under both drivers.
extension TorrentClient {
    /// The strategy held uploads on `id` (`admitUpload` said no) and may now admit them.
    public func resumeUpload(_ id: ConnectionID, out: inout [ClientAction]) {
        guard isLive(id), sessions[Int(id.slot)].blockInTransport == nil else { return }
        sendNextBlock(id, out: &out)
    }

    /// The transport sent the block we handed it on `id`: hand it the next one.
    public func blockSent(on id: ConnectionID, now: SimTime, out: inout [ClientAction]) {
        let slot = Int(id.slot)
        guard isLive(id), let sent = sessions[slot].blockInTransport else { return }
        sessions[slot].blockInTransport = nil
        if uploadInTransport == id { uploadInTransport = nil }
        sessions[slot].uploaded.add(Int(sent.length))
        sessions[slot].totalUploaded += Int64(sent.length)
        bytesUploaded += Int64(sent.length)
        sendNextBlock(id, out: &out)
    }

    /// `id` may have a block to send: hands it to the transport, or under
    /// `strategyChooses` lets the strategy pick among every connection that has one.
    func sendNextBlock(_ id: ConnectionID, out: inout [ClientAction]) {
        if strategyChoosesUploads {
            scheduleUpload(out: &out)
            return
        }
        let slot = Int(id.slot)
        guard !sessions[slot].amChoking, let next = sessions[slot].uploadQueue.first,
            strategy.admitUpload(next, on: id, client: self)
        else { return }
        hand(next, slot: slot, out: &out)
    }

    /// `strategyChooses`: when nothing of ours is in the transport, the strategy picks the
    /// connection whose first queued block goes next, among those we unchoke that have one.
    func scheduleUpload(out: inout [ClientAction]) {
        guard uploadInTransport == nil, !isStopped else { return }
        uploadScratch.removeAll(keepingCapacity: true)
        for slot in sessions.indices
        where sessions[slot].isOpen && !sessions[slot].amChoking && !sessions[slot].uploadQueue.isEmpty {
            uploadScratch.append(sessions[slot].id)
        }
        guard !uploadScratch.isEmpty, let chosen = strategy.nextUpload(among: uploadScratch, client: self),
            uploadScratch.contains(chosen)
        else { return }
        let slot = Int(chosen.slot)
        guard let next = sessions[slot].uploadQueue.first, strategy.admitUpload(next, on: chosen, client: self) else {
            return
        }
        uploadInTransport = chosen
        hand(next, slot: slot, out: &out)
    }

    /// The connection in `slot` is gone: under `strategyChooses` a block it had in the
    /// transport no longer holds the uplink.
    func uploadConnectionClosed(_ id: ConnectionID, out: inout [ClientAction]) {
        guard uploadInTransport == id else { return }
        uploadInTransport = nil
        scheduleUpload(out: &out)
    }

    private func hand(_ block: BlockRequest, slot: Int, out: inout [ClientAction]) {
        sessions[slot].uploadQueue.removeFirst()
        sessions[slot].blockInTransport = block
        out.append(.send(sessions[slot].id, .piece(block, .virtual)))
    }
}
