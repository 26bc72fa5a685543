import BitTorrent
import SimKernel
import SimNet

extension Simulation {
    /// Carries out one action of `peer`'s client.
    func apply(_ action: ClientAction, from peer: Int32) {
        switch action {
        case .sendHandshake(let slot, let h):
            sendControl(.handshake(h), bytes: Handshake.wireSize, from: peer, slot: slot)
        case .send(let slot, let message):
            if case .piece(let block, _) = message {
                sendData(block, bytes: message.wireSize, from: peer, slot: slot)
            } else {
                sendControl(.message(message), bytes: message.wireSize, from: peer, slot: slot)
            }
        case .close(let slot, _):
            disconnect(peer, slot: slot)
        case .connect(let address):
            connect(peer, to: address)
        case .announce(let event) where isFarmhand(Int(peer)):
            announceToFarm(peer, event)
        case .announce(let event):
            let client = peers[Int(peer)].client
            let t = Int(peers[Int(peer)].torrent)
            let response = swarms[t].tracker.announce(client.announceRequest(event), random: swarms[t].trackerRandom)
            if event != .stopped { call(peer) { c, out in c.trackerResponded(response, now: now, out: &out) } }
        case .setTimer(let timer, let time):
            queue.push(.timer(peer: peer, timer), at: time)
        case .pieceCompleted(let piece):
            swarms[Int(peers[Int(peer)].torrent)].metrics.gained(piece, now: now)
        case .checkPiece(let piece):
            // Virtual content passes every check; the simulator's clients do not even ask
            // (`checksPieces` is false), so this keeps a client that did correct.
            call(peer) { c, out in c.pieceChecked(piece, passed: true, now: now, out: &out) }
        case .pieceFailed:
            break
        case .downloadCompleted:
            completed(Int(peer))
        case .blockClaimed, .blockReleased, .blockStored:
            shareWithIdentities(action, from: peer)
        }
    }

    private func sendControl(_ frame: ControlFrame, bytes: Int, from peer: Int32, slot: ConnectionID) {
        guard let link = peers[Int(peer)].link(slot) else { return }
        links[Int(link.index)].control.append(frame)
        network.sendControl(on: link, bytes: bytes, now: now, schedule: &netScratch)
        flushNet()
    }

    private func sendData(_ block: BlockRequest, bytes: Int, from peer: Int32, slot: ConnectionID) {
        guard let link = peers[Int(peer)].link(slot) else { return }
        links[Int(link.index)].data.append(block)
        network.sendData(on: link, bytes: bytes, now: now, schedule: &netScratch)
        flushNet()
    }

    /// Opens a connection if the remote is online and accepts it. TCP set-up is taken as
    /// instant; the BitTorrent handshake then travels over the links like any message.
    private func connect(_ peer: Int32, to address: PeerAddress) {
        let local = peers[Int(peer)].client.config.address
        var remoteSlot: ConnectionID?
        if let remote = Self.peerIndex(address), remote < peers.count, remote != Int(peer), peers[remote].online,
            mayConnect(Int(peer), remote)
        {
            call(Int32(remote)) { c, out in
                remoteSlot = c.openConnection(to: local, outgoing: false, now: now, out: &out)
            }
        }
        guard let remote = Self.peerIndex(address), let remoteSlot else {
            call(peer) { c, out in c.connectFailed(to: address, now: now, out: &out) }
            return
        }
        let forward = network.openLink(from: peers[Int(peer)].host, to: peers[remote].host)
        let backward = network.openLink(from: peers[remote].host, to: peers[Int(peer)].host)
        var localSlot: ConnectionID?
        call(peer) { c, out in localSlot = c.openConnection(to: address, outgoing: true, now: now, out: &out) }
        guard let localSlot else {
            network.closeLink(forward)
            network.closeLink(backward)
            call(Int32(remote)) { c, out in c.connectionClosed(remoteSlot, now: now, out: &out) }
            return
        }
        setEnds(
            forward, LinkEnds(sender: peer, senderSlot: localSlot, receiver: Int32(remote), receiverSlot: remoteSlot))
        setEnds(
            backward, LinkEnds(sender: Int32(remote), senderSlot: remoteSlot, receiver: peer, receiverSlot: localSlot))
        peers[Int(peer)].setLink(forward, for: localSlot)
        peers[remote].setLink(backward, for: remoteSlot)
    }

    private func setEnds(_ link: LinkID, _ ends: LinkEnds) {
        let i = Int(link.index)
        if i == links.count {
            links.append(ends)
        } else {
            links[i].sender = ends.sender
            links[i].senderSlot = ends.senderSlot
            links[i].receiver = ends.receiver
            links[i].receiverSlot = ends.receiverSlot
            links[i].control.removeAll()
            links[i].data.removeAll()
        }
    }

    /// Tears down both directions of `peer`'s connection `slot` and tells the remote.
    func disconnect(_ peer: Int32, slot: ConnectionID) {
        guard let forward = peers[Int(peer)].link(slot) else { return }
        let f = Int(forward.index)
        let remote = links[f].receiver
        let remoteSlot = links[f].receiverSlot
        peers[Int(peer)].removeLink(for: slot)
        network.closeLink(forward)
        // TCP delivers what was sent before the FIN: the remote reads the control messages
        // still on their way (a completed leecher's `not interested`) before it learns of
        // the close, as Live's remotes do. They arrive now rather than up to a path latency
        // later; queued data is dropped, as an abortive close would.
        while let frame = links[f].control.popFirst() { deliver(frame, to: remote, on: remoteSlot) }
        if let backward = peers[Int(remote)].link(remoteSlot) {
            peers[Int(remote)].removeLink(for: remoteSlot)
            network.closeLink(backward)
        }
        call(remote) { c, out in c.connectionClosed(remoteSlot, now: now, out: &out) }
    }

    /// Simulated peers live at 10.0.0.0 + index, port 6881.
    static func address(ofPeer index: Int) -> PeerAddress {
        PeerAddress(ipv4: 0x0A00_0000 + UInt32(index), port: 6881)
    }

    static func peerIndex(_ address: PeerAddress) -> Int? {
        address.ipv4 >= 0x0A00_0000 ? Int(address.ipv4 - 0x0A00_0000) : nil
    }
}
