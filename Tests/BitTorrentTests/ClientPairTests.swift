import ClientHarness
import SimKernel
import Testing

@testable import BitTorrent

@Suite struct ClientPairTests {
    @Test func aLeecherDownloadsEverythingFromASeedThenTheyPart() {
        let pair = ClientPair()
        pair.connectAndRun()
        #expect(pair.b.isSeed)
        #expect(pair.b.bytesDownloaded == ClientPair.layout.totalLength)
        #expect(pair.a.bytesUploaded == ClientPair.layout.totalLength)
        #expect(pair.b.wastedBytes == 0)
        #expect(pair.closed.map(\.reason) == [.bothSeeds])
        #expect(pair.a.connectionCount == 0 && pair.b.connectionCount == 0)
    }

    @Test func aHandshakeForAnotherTorrentClosesTheConnection() {
        let pair = ClientPair(bInfoHash: InfoHash(bytes: Array(repeating: 9, count: 20))!)
        pair.connectAndRun()
        #expect(pair.closed.first?.reason == .violation(.wrongInfoHash))
        #expect(pair.b.bytesDownloaded == 0)
    }

    /// A's side of a connection from B whose handshake has arrived.
    func handshaken(_ pair: ClientPair) -> ConnectionID {
        var out: [ClientAction] = []
        let conn = pair.a.openConnection(to: pair.b.config.address, outgoing: false, now: .zero, out: &out)!
        pair.a.received(
            Handshake(infoHash: ClientPair.infoHash, peerID: PeerID(azureusStyle: 2)), on: conn, now: .zero, out: &out)
        return conn
    }

    func closes(_ out: [ClientAction], with violation: ProtocolViolation) -> Bool {
        out.contains { if case .close(_, .violation(violation)) = $0 { true } else { false } }
    }

    @Test func aBitfieldOfTheWrongSizeClosesTheConnection() {
        let pair = ClientPair()
        let conn = handshaken(pair)
        var out: [ClientAction] = []
        pair.a.received(.bitfield(Bitfield(count: 3, allSet: true)), on: conn, now: .zero, out: &out)
        #expect(closes(out, with: .bitfieldSize))
        #expect(pair.a.connectionCount == 0)
    }

    @Test func messagesBeforeTheHandshakeAreAViolation() {
        let pair = ClientPair()
        var out: [ClientAction] = []
        let conn = pair.a.openConnection(to: pair.b.config.address, outgoing: false, now: .zero, out: &out)!
        pair.a.received(.interested, on: conn, now: .zero, out: &out)
        #expect(out.contains { if case .close(_, .violation(.messageBeforeHandshake)) = $0 { true } else { false } })
    }

    @Test func requestsFromAChokedPeerAreIgnored() {
        let pair = ClientPair()
        let conn = handshaken(pair)
        var out: [ClientAction] = []
        pair.a.received(.request(ClientPair.layout.request(piece: 0, block: 0)), on: conn, now: .zero, out: &out)
        #expect(!out.contains { if case .send(_, .piece) = $0 { true } else { false } })
        #expect(pair.a.connectionCount == 1)
    }

    /// B's requests to seed A, whose pieces never arrive, so they stay outstanding.
    func leecherWithOutstandingRequests(fast: Bool) -> (ClientPair, [BlockRequest]) {
        let pair = ClientPair(aOffersFastExtension: fast)
        pair.intercept = { fromA, m in
            if fromA, case .piece = m { return nil }
            return m
        }
        pair.connectAndRun()
        let outstanding = pair.b.session(pair.bConn!)!.outstanding
        #expect(!outstanding.isEmpty)
        return (pair, Array(outstanding))
    }

    /// BEP 3: a choke rejects every outstanding request implicitly.
    @Test func aPlainPeersChokeReturnsOutstandingRequestsToThePicker() {
        let (pair, outstanding) = leecherWithOutstandingRequests(fast: false)
        let unrequestedBefore = pair.b.picker.unrequestedBlocks
        var out: [ClientAction] = []
        pair.b.received(.choke, on: pair.bConn!, now: pair.now, out: &out)
        #expect(pair.b.session(pair.bConn!)!.outstanding.isEmpty)
        #expect(pair.b.picker.unrequestedBlocks == unrequestedBefore + outstanding.count)
    }

    /// BEP 6: a choke rejects nothing by itself; the requests the uploader will not serve
    /// come back one `reject` each, and the one it is sending still arrives (so a choke
    /// never throws away a block on its way, which at large `block_size` is a whole piece).
    @Test func aFastPeersChokeKeepsRequestsUntilEachIsRejected() {
        let (pair, outstanding) = leecherWithOutstandingRequests(fast: true)
        let unrequestedBefore = pair.b.picker.unrequestedBlocks
        var out: [ClientAction] = []
        pair.b.received(.choke, on: pair.bConn!, now: pair.now, out: &out)
        #expect(Array(pair.b.session(pair.bConn!)!.outstanding) == outstanding)
        #expect(pair.b.picker.unrequestedBlocks == unrequestedBefore)
        #expect(!out.contains { if case .send(_, .request) = $0 { true } else { false } }, "choked: asks nothing")
        pair.b.received(.rejectRequest(outstanding[0]), on: pair.bConn!, now: pair.now, out: &out)
        #expect(Array(pair.b.session(pair.bConn!)!.outstanding) == Array(outstanding.dropFirst()))
        #expect(pair.b.picker.unrequestedBlocks == unrequestedBefore + 1)
    }

    /// The whole exchange: seed A chokes B and rejects every request it had queued, so B
    /// keeps only the one A was sending. That block never arrives here (the link drops
    /// it), and A never rejects it: B frees it at the first rechoke round a minute after
    /// the choke, not before.
    @Test func aChokesRejectsLeaveOnlyTheBlockInTransportUntilTheTimeout() throws {
        let (pair, outstanding) = leecherWithOutstandingRequests(fast: true)
        #expect(outstanding.count >= 2, "one in A's transport, the rest queued")
        // B's `not interested`, forged, makes A re-rank and choke it.
        pair.inFlight.append((toA: true, .message(.notInterested)))
        pair.run()
        let conn = try #require(pair.bConn)
        #expect(pair.b.session(conn)?.peerChoking == true)
        #expect(Array(pair.b.session(conn)!.outstanding) == [outstanding[0]])
        #expect(pair.b.outstandingTotal == 1)
        let chokedAt = pair.now
        var round = pair.b.timerDeadlines[ClientTimer.rechoke.rawValue]
        while round < chokedAt + pair.b.settings.requestTimeout {
            pair.fire(.rechoke, onA: false, at: round)
            #expect(pair.b.session(conn)?.outstanding.count == 1, "at \(round)")
            round = pair.b.timerDeadlines[ClientTimer.rechoke.rawValue]
        }
        let unrequestedBefore = pair.b.picker.unrequestedBlocks
        pair.fire(.rechoke, onA: false, at: round)
        #expect(pair.b.session(conn)?.outstanding.isEmpty == true)
        #expect(pair.b.outstandingTotal == 0)
        #expect(pair.b.picker.unrequestedBlocks == unrequestedBefore + 1)
    }

    /// A keeps B unchoked and sends nothing (a stalled client, or a Speed provider that
    /// withholds a sold slot): B's requests stay outstanding until `requestTimeout` after
    /// it sent them, then are cancelled and returned to the picker; A is asked for one
    /// block at a time until it delivers, and for a full pipeline again once it does.
    @Test func anUnchokedPeerThatSendsNothingHasItsRequestsTimedOut() throws {
        let (pair, outstanding) = leecherWithOutstandingRequests(fast: false)
        #expect(outstanding.count >= 2)
        let conn = try #require(pair.bConn)
        var cancelled: [BlockRequest] = []
        pair.intercept = { fromA, m in
            if !fromA, case .cancel(let r) = m { cancelled.append(r) }
            if fromA, case .piece = m { return nil }
            return m
        }
        let requestedAt = pair.b.session(conn)!.requestedAt
        var round = pair.b.timerDeadlines[ClientTimer.rechoke.rawValue]
        while round < requestedAt + pair.b.settings.requestTimeout {
            pair.fire(.rechoke, onA: false, at: round)
            #expect(Array(pair.b.session(conn)!.outstanding) == outstanding, "at \(round)")
            round = pair.b.timerDeadlines[ClientTimer.rechoke.rawValue]
        }
        #expect(cancelled.isEmpty)
        pair.fire(.rechoke, onA: false, at: round)
        #expect(cancelled == outstanding)
        #expect(pair.b.session(conn)?.outstanding.count == 1, "one block at a time from a peer that timed out")
        #expect(pair.b.session(conn)?.peerChoking == false)
        // Still silent at the next timeout: that one block is cancelled and asked again.
        let single = try #require(pair.b.session(conn)?.outstanding.first)
        let cancelsBefore = cancelled.count
        for _ in 0..<7 {
            pair.fire(.rechoke, onA: false, at: pair.b.timerDeadlines[ClientTimer.rechoke.rawValue])
            #expect(pair.b.session(conn)?.outstanding.count == 1)
        }
        #expect(cancelled.count == cancelsBefore + 1 && cancelled.last == single)
        // A block arrives (A woke up): the pipeline is refilled beyond one request.
        var out: [ClientAction] = []
        let waiting = try #require(pair.b.session(conn)?.outstanding.first)
        pair.b.received(.piece(waiting, .virtual), on: conn, now: pair.now, out: &out)
        #expect(pair.b.session(conn)!.outstanding.count >= 2)
    }

    @Test func requestsForBlocksOutsideTheTorrentAreAViolation() {
        let pair = ClientPair()
        let conn = handshaken(pair)
        var out: [ClientAction] = []
        pair.a.received(.unchoke, on: conn, now: .zero, out: &out)
        pair.a.received(.request(BlockRequest(piece: 0, begin: 5, length: 16_384)), on: conn, now: .zero, out: &out)
        #expect(closes(out, with: .invalidBlock))
    }

    @Test func aStaleConnectionIDIsIgnoredAfterItsSlotIsReused() {
        let pair = ClientPair()
        let old = handshaken(pair)
        var out: [ClientAction] = []
        pair.a.connectionClosed(old, now: .zero, out: &out)
        let reused = pair.a.openConnection(to: pair.b.config.address, outgoing: false, now: .zero, out: &out)!
        #expect(reused.slot == old.slot && reused != old)
        out = []
        pair.a.received(.interested, on: old, now: .zero, out: &out)
        #expect(out.isEmpty)
        #expect(pair.a.session(reused)?.peerInterested == false)
    }
}

@Suite struct AvailabilityRestoreTests {
    @Test func restoringAPieceKeepsTheOrderingConsistent() {
        var a = PieceAvailability(pieceCount: 6, have: Bitfield(count: 6))
        for (piece, times) in [(0, 3), (1, 1), (2, 2), (3, 0), (4, 3), (5, 1)] {
            for _ in 0..<times { a.increment(piece) }
        }
        a.remove(2)
        a.remove(0)
        #expect(a.isConsistent() && a.neededCount == 4)
        a.restore(0)
        #expect(a.isConsistent() && a.isNeeded(0) && a.neededCount == 5)
        a.restore(2)
        a.increment(2)
        a.decrement(4)
        #expect(a.isConsistent() && a.neededCount == 6)
    }
}
