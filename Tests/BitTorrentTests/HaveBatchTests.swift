import SimKernel
import Testing

@testable import BitTorrent

/// `protocol.have_batch` (docs/model.md, "Fidelity tiers"): pieces completed within the
/// window reach each connection in one message, only the ones it lacks and was not told.
@Suite struct HaveBatchTests {
    let layout = PieceLayout(totalLength: 12 * 16_384, pieceLength: 16_384)

    func batchingLeecher() -> TorrentClient {
        testClient(layout: layout) { $0.haveBatch = .seconds(1) }
    }

    /// A connection from a peer with no pieces (handshake only: no bitfield).
    func connectEmptyPeer(_ c: TorrentClient, ip: UInt32, now: SimTime, out: inout [ClientAction]) -> ConnectionID {
        let id = c.openConnection(to: PeerAddress(ipv4: ip, port: 1), outgoing: false, now: now, out: &out)!
        c.received(
            Handshake(infoHash: c.config.infoHash, peerID: PeerID(azureusStyle: UInt64(ip))), on: id, now: now,
            out: &out)
        return id
    }

    /// Delivers the oldest block asked of `seed`; returns the piece it completed.
    func deliverOne(_ c: TorrentClient, from seed: ConnectionID, now: SimTime, out: inout [ClientAction]) -> UInt32 {
        let request = c.session(seed)!.outstanding.first!
        c.received(.piece(request, .virtual), on: seed, now: now, out: &out)
        return request.piece
    }

    /// What `out` sent on `id` that announces pieces, in order, as piece lists.
    func announcements(_ out: [ClientAction], on id: ConnectionID) -> [[UInt32]] {
        out.compactMap { action -> [UInt32]? in
            guard case .send(id, let message) = action else { return nil }
            switch message {
            case .have(let piece): return [piece]
            case .haves(let batch): return batch.pieces
            default: return nil
            }
        }
    }

    func haveTimers(_ out: [ClientAction]) -> [SimTime] {
        out.compactMap { if case .setTimer(.haveBatch, let at) = $0 { at } else { nil } }
    }

    @Test func piecesWaitForTheWindowAndGoOutTogether() {
        let c = batchingLeecher()
        var out: [ClientAction] = []
        let seed = connectFullPeer(c, ip: 2, out: &out)
        c.received(.unchoke, on: seed, now: .zero, out: &out)
        let early = connectEmptyPeer(c, ip: 3, now: .zero, out: &out)
        out = []
        let first = deliverOne(c, from: seed, now: .milliseconds(100), out: &out)
        let second = deliverOne(c, from: seed, now: .milliseconds(200), out: &out)
        #expect(announcements(out, on: early).isEmpty, "nothing is announced inside the window")
        #expect(haveTimers(out) == [.milliseconds(1_100)], "one window, from the first piece")
        // A peer arriving inside the window gets both pieces in its bitfield, so the
        // batch must not repeat them to it.
        let late = connectEmptyPeer(c, ip: 4, now: .milliseconds(500), out: &out)
        #expect(
            out.contains {
                if case .send(late, .bitfield(let b)) = $0 { b[Int(first)] && b[Int(second)] } else { false }
            })
        let third = deliverOne(c, from: seed, now: .milliseconds(600), out: &out)
        // The early peer got the second piece elsewhere and says so: not sent to it again.
        c.received(.have(piece: second), on: early, now: .milliseconds(700), out: &out)
        out = []
        #expect(c.timerFired(.haveBatch, deadline: .milliseconds(1_100), now: .milliseconds(1_100), out: &out))
        #expect(announcements(out, on: early) == [[first, third]])
        #expect(announcements(out, on: late) == [[third]])
        #expect(announcements(out, on: seed).isEmpty, "a seed lacks nothing")
        #expect(out.allSatisfy { if case .send(late, .haves) = $0 { false } else { true } }, "one piece goes as a have")
        // The window is over and forgotten: the next piece opens a new one.
        out = []
        #expect(!c.timerFired(.haveBatch, deadline: .milliseconds(1_100), now: .milliseconds(1_200), out: &out))
        #expect(out.isEmpty)
        let fourth = deliverOne(c, from: seed, now: .seconds(2), out: &out)
        #expect(haveTimers(out) == [.seconds(3)])
        out = []
        c.timerFired(.haveBatch, deadline: .seconds(3), now: .seconds(3), out: &out)
        #expect(announcements(out, on: early) == [[fourth]])
        #expect(announcements(out, on: late) == [[fourth]])
    }

    @Test func moreThanABatchHoldsGoesInSeveralMessagesInOrder() {
        let c = batchingLeecher()
        var out: [ClientAction] = []
        let seed = connectFullPeer(c, ip: 2, out: &out)
        c.received(.unchoke, on: seed, now: .zero, out: &out)
        let peer = connectEmptyPeer(c, ip: 3, now: .zero, out: &out)
        var completed: [UInt32] = []
        for i in 1...7 { completed.append(deliverOne(c, from: seed, now: .milliseconds(Int64(10 * i)), out: &out)) }
        out = []
        c.timerFired(.haveBatch, deadline: .milliseconds(1_010), now: .milliseconds(1_010), out: &out)
        let sent = announcements(out, on: peer)
        #expect(sent.map(\.count) == [HaveBatch.capacity, 2])
        #expect(sent.flatMap { $0 } == completed)
    }

    @Test func aReceivedBatchIsEachOfItsHaves() {
        let c = testClient(layout: layout)
        var out: [ClientAction] = []
        let peer = connectEmptyPeer(c, ip: 3, now: .zero, out: &out)
        out = []
        c.received(.haves(HaveBatch([4, 7, 9])), on: peer, now: .seconds(1), out: &out)
        #expect(c.session(peer)!.remoteHas.indices == [4, 7, 9])
        let interest = out.filter { if case .send(peer, .interested) = $0 { true } else { false } }
        #expect(interest.count == 1, "interested once, not once per piece")
    }

    @Test func aBatchOnTheWireIsItsHaveMessages() {
        let batch = HaveBatch([1, 99, 7])
        let message = WireMessage.haves(batch)
        let expected = [1, 99, 7].flatMap { WireMessage.have(piece: $0).encoded() }
        #expect(message.encoded() == expected)
        #expect(message.wireSize == expected.count)
        var decoder = WireDecoder(pieceCount: 100)
        decoder.append(message.encoded())
        var decoded: [WireMessage] = []
        while let next = try? decoder.next() { decoded.append(next) }
        #expect(decoded == [.have(piece: 1), .have(piece: 99), .have(piece: 7)])
        // Any piece index a torrent can have survives the packing, in order.
        let extremes: [UInt32] = [(1 << 21) - 1, 1 << 16, (1 << 16) - 1, 0, 0x1A_BCDE]
        #expect(HaveBatch(extremes).pieces == extremes)
        #expect(HaveBatch(extremes) != HaveBatch(extremes.reversed()))
        var full = HaveBatch()
        for p in 0..<UInt32(HaveBatch.capacity) {
            let added = full.append(p)
            #expect(added)
        }
        let addedPastCapacity = full.append(99)
        #expect(!addedPastCapacity && full.count == HaveBatch.capacity)
    }
}
