import SimKernel

extension TorrentClient {
    /// The remote's handshake arrived on `id`.
    public func received(_ remote: Handshake, on id: ConnectionID, now: SimTime, out: inout [ClientAction]) {
        guard isLive(id) else { return }
        do {
            try sessions[Int(id.slot)].receiveHandshake(remote, expected: config.infoHash, ours: handshake)
        } catch {
            close(id, .violation(error), now: now, out: &out)
            return
        }
        guard keepsConnection(id, to: remote.peerID, now: now, out: &out) else { return }
        if !sessions[Int(id.slot)].isOutgoing { out.append(.sendHandshake(id, handshake)) }
        sessions[Int(id.slot)].havesSent = pendingHaves.count
        if sessions[Int(id.slot)].fastExtension {
            // BEP 6: one of the three must come first.
            out.append(.send(id, isSeed ? .haveAll : picker.have.isEmpty ? .haveNone : .bitfield(picker.have)))
        } else if !picker.have.isEmpty {
            out.append(.send(id, .bitfield(picker.have)))
        }
        if remote.supportsExtensionProtocol, let ours = strategy.extensionHandshake(client: self) {
            out.append(.send(id, .extended(id: 0, payload: ours.encoded())))
        }
    }

    /// One connection per remote peer. Two can form when both ends dial each other, and
    /// addresses cannot tell (an incoming connection comes from an ephemeral port, not the
    /// port the tracker lists); the simulator's addresses can, so there this never closes
    /// anything. As in libtorrent, the connection dialled by the peer with the lower id
    /// stays, so both ends keep the same one; a connection to ourselves closes. False when
    /// `id` closed.
    private func keepsConnection(
        _ id: ConnectionID, to peerID: PeerID, now: SimTime, out: inout [ClientAction]
    ) -> Bool {
        guard peerID != config.peerID else {
            close(id, .duplicate, now: now, out: &out)
            return false
        }
        guard let other = sessions.first(where: { $0.isOpen && $0.id != id && $0.remotePeerID == peerID })?.id
        else { return true }
        let dialer = { (c: ConnectionID) in self.sessions[Int(c.slot)].isOutgoing ? self.config.peerID : peerID }
        let (kept, closed) = dialer(id) < dialer(other) ? (id, other) : (other, id)
        // Only these two fields: a copy of the whole session would share its queues' storage.
        let (droppedWasDialled, droppedAddress) = (
            sessions[Int(closed.slot)].isOutgoing, sessions[Int(closed.slot)].address
        )
        close(closed, .duplicate, now: now, out: &out)
        // The tracker lists the address we dialled; while the remote stays connected from
        // another, dialling it again would only make the same duplicate.
        if droppedWasDialled, droppedAddress != sessions[Int(kept.slot)].address {
            sessions[Int(kept.slot)].dialledAddress = droppedAddress
            connectedAddresses.insert(droppedAddress)
        }
        return kept == id
    }

    /// A BEP 3 message arrived on `id`.
    public func received(_ message: WireMessage, on id: ConnectionID, now: SimTime, out: inout [ClientAction]) {
        guard isLive(id) else { return }
        do {
            try sessions[Int(id.slot)].admitMessages()
            try handle(message, on: id, now: now, out: &out)
        } catch {
            close(id, .violation(error), now: now, out: &out)
        }
    }

    private func handle(_ message: WireMessage, on id: ConnectionID, now: SimTime, out: inout [ClientAction])
        throws(ProtocolViolation)
    {
        let slot = Int(id.slot)
        switch message {
        case .keepAlive, .unknown, .suggest, .allowedFast:
            // Hints: btsim's picker does not take suggestions, and requests only from
            // peers that unchoke it, so an allowed-fast set would go unused.
            return
        case .extended(0, let payload):
            let remote = try ExtensionHandshake(decoding: payload)
            strategy.received(remote, on: id, client: self, now: now, out: &out)
        case .extended(let message, let payload):
            try strategy.received(extension: message, payload: payload, on: id, client: self, now: now, out: &out)
        case .choke:
            sessions[slot].peerChoking = true
            sessions[slot].chokedAt = now
            // BEP 6: a choke no longer rejects requests implicitly; each unserved one gets
            // its own reject, and the block already being sent still arrives.
            if !sessions[slot].fastExtension, dropOutstanding(slot: slot, out: &out) {
                requestFreedBlocks(now: now, out: &out)
            }
        case .unchoke:
            sessions[slot].peerChoking = false
            fillRequests(id, now: now, out: &out)
        case .interested:
            sessions[slot].peerInterested = true
            if regularSlotsInUse < settings.unchokeSlots { rechoke(now: now, newRound: false, out: &out) }
        case .notInterested:
            sessions[slot].peerInterested = false
            // A waiting `have` may be what makes it interested again.
            if settings.haveBatch > .zero { sendPendingHaves(slot, out: &out) }
            if sessions[slot].slot != .none { rechoke(now: now, newRound: false, out: &out) }
        case .have(let piece):
            remoteHas(Int(piece), on: id, now: now, out: &out)
        case .haves(let batch):
            // One `have` can close the connection (both seeds): the rest then go unread.
            batch.forEach { piece in if isLive(id) { remoteHas(Int(piece), on: id, now: now, out: &out) } }
        case .bitfield(let pieces):
            guard pieces.count == config.layout.pieceCount else { throw .bitfieldSize }
            remoteAnnounced(pieces, on: id, now: now, out: &out)
        case .haveAll:
            remoteAnnounced(Bitfield(count: config.layout.pieceCount, allSet: true), on: id, now: now, out: &out)
        case .haveNone:
            remoteAnnounced(Bitfield(count: config.layout.pieceCount), on: id, now: now, out: &out)
        case .rejectRequest(let r):
            // A reject for a request we no longer hold (dropped on a choke, or served
            // elsewhere) is expected and ignored.
            guard removeOutstanding(r, slot: slot) else { return }
            release(r, out: &out)
            requestFreedBlocks(now: now, out: &out)
        case .request(let r):
            try requested(r, on: id, out: &out)
        case .piece(let r, _):
            guard config.layout.isValid(r) else { throw .invalidBlock }
            blockArrived(r, on: id, now: now, out: &out)
        case .cancel(let r):
            guard let i = sessions[slot].uploadQueue.firstIndex(of: r) else { return }
            sessions[slot].uploadQueue.remove(at: i)
            // BEP 6: a cancelled request still gets its one answer.
            if sessions[slot].fastExtension { out.append(.send(id, .rejectRequest(r))) }
        }
    }

    private func remoteHas(_ piece: Int, on id: ConnectionID, now: SimTime, out: inout [ClientAction]) {
        let slot = Int(id.slot)
        guard piece < config.layout.pieceCount, sessions[slot].remoteGot(piece) else { return }
        picker.peerHas(piece)
        if !picker.have[piece] {
            sessions[slot].interestingPieces += 1
            updateInterest(id, now: now, out: &out)
            fillRequests(id, now: now, out: &out)
        } else if isSeed && sessions[slot].remoteHas.isFull {
            close(id, .bothSeeds, now: now, out: &out)
        }
    }

    /// A bitfield, `have all` or `have none`: the remote's whole piece set, replacing
    /// what it announced before (nothing, for the usual first message).
    private func remoteAnnounced(_ pieces: Bitfield, on id: ConnectionID, now: SimTime, out: inout [ClientAction]) {
        let slot = Int(id.slot)
        if isSeed && pieces.isFull {
            close(id, .bothSeeds, now: now, out: &out)
            return
        }
        let before = sessions[slot].setRemoteHas(pieces)
        if !before.isEmpty { picker.peerLost(before) }
        picker.peerHas(pieces)
        sessions[slot].interestingPieces = pieces.countMissing(from: picker.have)
        updateInterest(id, now: now, out: &out)
        if !before.isEmpty { fillRequests(id, now: now, out: &out) }
    }

    /// Sends `interested` or `not interested` when our need for the remote's pieces changed.
    func updateInterest(_ id: ConnectionID, now: SimTime, out: inout [ClientAction]) {
        let slot = Int(id.slot)
        let wants = sessions[slot].interestingPieces > 0
        guard wants != sessions[slot].amInterested else { return }
        sessions[slot].amInterested = wants
        trace?(wants ? .interested : .notInterested, sessions[slot].address)
        out.append(.send(id, wants ? .interested : .notInterested))
        strategy.interestChanged(on: id, client: self, now: now, out: &out)
    }

    private func requested(_ r: BlockRequest, on id: ConnectionID, out: inout [ClientAction]) throws(ProtocolViolation)
    {
        let slot = Int(id.slot)
        guard config.layout.isValid(r) else { throw .invalidBlock }
        guard picker.have[Int(r.piece)] else { throw .requestForMissingPiece }
        // BEP 3: requests from a choked peer are dropped, BEP 6 rejects them; libtorrent
        // also caps the queue.
        guard !sessions[slot].amChoking, sessions[slot].uploadQueue.count < Self.maxQueuedUploads else {
            if sessions[slot].fastExtension { out.append(.send(id, .rejectRequest(r))) }
            return
        }
        sessions[slot].uploadQueue.append(r)
        if sessions[slot].blockInTransport == nil { sendNextBlock(id, out: &out) }
    }

    /// libtorrent's `max_allowed_in_request_queue`.
    static let maxQueuedUploads = 500
}
