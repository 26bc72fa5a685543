import SimKernel
import Testing

@testable import BitTorrent

/// `protocol.have_batch` (docs/model.md, "Fidelity tiers"): a peer we choke that wants our
/// pieces cannot use a `have` yet, so its `have`s wait for the window and go out together,
/// only the ones it lacks and was not told; every other peer hears at once.
@Suite struct HaveBatchTests {
    let layout = PieceLayout(totalLength: 12 * 16_384, pieceLength: 16_384)

    /// A leecher with one regular slot, so a second interested peer stays choked.
    func batchingLeecher() -> TorrentClient {
        testClient(layout: layout) {
            $0.haveBatch = .seconds(1)
            $0.unchokeSlots = 1
        }
    }

    /// A connection from a peer with no pieces (handshake only: no bitfield), interested
    /// in ours if `interested`.
    func connectEmptyPeer(
        _ c: TorrentClient, ip: UInt32, interested: Bool = false, now: SimTime, out: inout [ClientAction]
    ) -> ConnectionID {
        let id = c.openConnection(to: PeerAddress(ipv4: ip, port: 1), outgoing: false, now: now, out: &out)!
        c.received(
            Handshake(infoHash: c.config.infoHash, peerID: PeerID(azureusStyle: UInt64(ip))), on: id, now: now,
            out: &out)
        if interested { c.received(.interested, on: id, now: now, out: &out) }
        return id
    }

    /// The batching leecher downloading from a seed, with three empty peers: `open`
    /// (interested, given the one slot), `waiting` (interested, choked) and `idle` (not
    /// interested).
    struct Fixture {
        let c: TorrentClient
        let seed, open, waiting, idle: ConnectionID
    }

    func fixture() -> Fixture {
        let c = batchingLeecher()
        var out: [ClientAction] = []
        let seed = connectFullPeer(c, ip: 2, out: &out)
        c.received(.unchoke, on: seed, now: .zero, out: &out)
        let open = connectEmptyPeer(c, ip: 3, interested: true, now: .zero, out: &out)
        let waiting = connectEmptyPeer(c, ip: 4, interested: true, now: .zero, out: &out)
        let idle = connectEmptyPeer(c, ip: 5, now: .zero, out: &out)
        #expect(c.session(open)?.amChoking == false)
        #expect(c.session(waiting)?.amChoking == true)
        return Fixture(c: c, seed: seed, open: open, waiting: waiting, idle: idle)
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

    @Test func onlyAChokedPeerThatWantsOurPiecesWaitsForTheWindow() {
        let f = fixture()
        var out: [ClientAction] = []
        let first = deliverOne(f.c, from: f.seed, now: .milliseconds(100), out: &out)
        #expect(announcements(out, on: f.open) == [[first]], "unchoked: it may ask for the piece now")
        #expect(announcements(out, on: f.idle) == [[first]], "not interested: the piece may change that")
        #expect(announcements(out, on: f.waiting).isEmpty, "choked and interested: it waits")
        #expect(haveTimers(out) == [.milliseconds(1_100)], "one window, from the first piece")
        out = []
        let second = deliverOne(f.c, from: f.seed, now: .milliseconds(200), out: &out)
        #expect(haveTimers(out).isEmpty)
        // A peer arriving inside the window gets both pieces in its bitfield, so the
        // batch must not repeat them to it.
        let late = connectEmptyPeer(f.c, ip: 6, interested: true, now: .milliseconds(500), out: &out)
        #expect(
            out.contains {
                if case .send(late, .bitfield(let b)) = $0 { b[Int(first)] && b[Int(second)] } else { false }
            })
        let third = deliverOne(f.c, from: f.seed, now: .milliseconds(600), out: &out)
        // The waiting peer got the second piece elsewhere and says so: not sent to it again.
        f.c.received(.have(piece: second), on: f.waiting, now: .milliseconds(700), out: &out)
        out = []
        #expect(f.c.timerFired(.haveBatch, deadline: .milliseconds(1_100), now: .milliseconds(1_100), out: &out))
        #expect(announcements(out, on: f.waiting) == [[first, third]])
        #expect(announcements(out, on: late) == [[third]])
        #expect(announcements(out, on: f.open).isEmpty && announcements(out, on: f.idle).isEmpty, "told already")
        #expect(announcements(out, on: f.seed).isEmpty, "a seed lacks nothing")
        #expect(out.allSatisfy { if case .send(late, .haves) = $0 { false } else { true } }, "one piece goes as a have")
        // The window is over and forgotten: the next piece opens a new one.
        out = []
        #expect(!f.c.timerFired(.haveBatch, deadline: .milliseconds(1_100), now: .milliseconds(1_200), out: &out))
        #expect(out.isEmpty)
        let fourth = deliverOne(f.c, from: f.seed, now: .seconds(2), out: &out)
        #expect(haveTimers(out) == [.seconds(3)])
        out = []
        f.c.timerFired(.haveBatch, deadline: .seconds(3), now: .seconds(3), out: &out)
        #expect(announcements(out, on: f.waiting) == [[fourth]])
        #expect(announcements(out, on: late) == [[fourth]])
    }

    /// The moment we unchoke a waiting peer it may ask for anything we have: what waited
    /// goes first, ahead of the `unchoke`.
    @Test func unchokingAWaitingPeerSendsWhatWaitedFirst() {
        let f = fixture()
        var out: [ClientAction] = []
        let first = deliverOne(f.c, from: f.seed, now: .milliseconds(100), out: &out)
        out = []
        f.c.received(.notInterested, on: f.open, now: .milliseconds(300), out: &out)
        let toWaiting = out.compactMap { if case .send(f.waiting, let m) = $0 { m } else { nil } }
        #expect(toWaiting == [.have(piece: first), .unchoke])
        out = []
        f.c.timerFired(.haveBatch, deadline: .milliseconds(1_100), now: .milliseconds(1_100), out: &out)
        #expect(announcements(out, on: f.waiting).isEmpty, "not told twice")
    }

    @Test func aWaitingPeerThatLosesInterestHearsAtOnce() {
        let f = fixture()
        var out: [ClientAction] = []
        let first = deliverOne(f.c, from: f.seed, now: .milliseconds(100), out: &out)
        out = []
        f.c.received(.notInterested, on: f.waiting, now: .milliseconds(300), out: &out)
        #expect(announcements(out, on: f.waiting) == [[first]], "the piece may make it interested again")
        out = []
        f.c.timerFired(.haveBatch, deadline: .milliseconds(1_100), now: .milliseconds(1_100), out: &out)
        #expect(announcements(out, on: f.waiting).isEmpty, "not told twice")
    }

    /// The optimistic slot unchokes through the same path as a regular one.
    @Test func anOptimisticUnchokeSendsWhatWaitedFirst() {
        let f = fixture()
        var out: [ClientAction] = []
        let first = deliverOne(f.c, from: f.seed, now: .milliseconds(100), out: &out)
        out = []
        f.c.rotateOptimistic(now: .milliseconds(300), out: &out)
        let toWaiting = out.compactMap { if case .send(f.waiting, let m) = $0 { m } else { nil } }
        #expect(toWaiting == [.have(piece: first), .unchoke], "the only interested, choked peer")
    }

    @Test func moreThanABatchHoldsGoesInSeveralMessagesInOrder() {
        let f = fixture()
        var out: [ClientAction] = []
        var completed: [UInt32] = []
        for i in 1...7 { completed.append(deliverOne(f.c, from: f.seed, now: .milliseconds(Int64(10 * i)), out: &out)) }
        #expect(announcements(out, on: f.waiting).isEmpty)
        out = []
        f.c.timerFired(.haveBatch, deadline: .milliseconds(1_010), now: .milliseconds(1_010), out: &out)
        let sent = announcements(out, on: f.waiting)
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
