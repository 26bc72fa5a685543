import ClientHarness
import SimKernel
import Testing

@testable import BitTorrent

/// BEP 6 (the Fast extension) and the liberal bitfield rule, on one client fed messages
/// by hand: what it sends with and without the extension, and how it takes what arrives.
@Suite struct FastExtensionTests {
    static let layout = ClientPair.layout
    static var full: Bitfield { Bitfield(count: layout.pieceCount, allSet: true) }

    /// A's side of a connection from B whose handshake (offering BEP 6 or not) arrived;
    /// returns the connection and what A sent in answer.
    func handshaken(_ pair: ClientPair, fast: Bool) -> (ConnectionID, [WireMessage]) {
        var out: [ClientAction] = []
        let conn = pair.a.openConnection(to: pair.b.config.address, outgoing: false, now: .zero, out: &out)!
        let remote = Handshake(
            infoHash: ClientPair.infoHash, peerID: PeerID(azureusStyle: 2),
            reserved: fast ? Handshake.fastExtensionBit : 0)
        pair.a.received(remote, on: conn, now: .zero, out: &out)
        return (conn, sent(out))
    }

    func sent(_ out: [ClientAction]) -> [WireMessage] {
        out.compactMap { if case .send(_, let m) = $0 { m } else { nil } }
    }

    func rejects(_ out: [ClientAction]) -> [BlockRequest] {
        sent(out).compactMap { if case .rejectRequest(let r) = $0 { r } else { nil } }
    }

    func isClosed(_ out: [ClientAction]) -> Bool {
        out.contains { if case .close = $0 { true } else { false } }
    }

    // MARK: what A announces

    @Test func aSeedSaysHaveAllOnlyWhenBothOfferTheExtension() {
        let (_, fast) = handshaken(ClientPair(aSeed: true), fast: true)
        #expect(fast == [.haveAll])
        let (_, plain) = handshaken(ClientPair(aSeed: true), fast: false)
        #expect(plain == [.bitfield(Self.full)])
    }

    @Test func aPeerWithNothingSaysHaveNoneOrNothing() {
        let (_, fast) = handshaken(ClientPair(aSeed: false), fast: true)
        #expect(fast == [.haveNone])
        let (_, plain) = handshaken(ClientPair(aSeed: false), fast: false)
        #expect(plain.isEmpty)
    }

    @Test func theHandshakeOffersTheExtensionAsTheSettingsSay() {
        #expect(ClientPair().a.handshake.supportsFastExtension)
        var settings = ProtocolSettings()
        settings.fastExtension = false
        let client = TorrentClient(
            config: ClientConfiguration(
                infoHash: ClientPair.infoHash, peerID: PeerID(azureusStyle: 5), address: PeerAddress(ipv4: 5, port: 1),
                layout: Self.layout, settings: settings, startsAsSeed: true), random: RandomStream(seed: 5),
            strategy: TitForTat())
        #expect(!client.handshake.supportsFastExtension)
    }

    // MARK: rejects A sends

    /// B is interested and unchoked by A, with three requests sent: one handed to the
    /// transport, two queued behind it.
    func unchokedWithQueue(fast: Bool) -> (ClientPair, ConnectionID, [BlockRequest]) {
        let pair = ClientPair(aSeed: true)
        let (conn, _) = handshaken(pair, fast: fast)
        var out: [ClientAction] = []
        pair.a.received(.interested, on: conn, now: .zero, out: &out)
        #expect(sent(out).contains(.unchoke))
        let requests = (0..<3).map { Self.layout.request(piece: 0, block: $0) }
        for r in requests { pair.a.received(.request(r), on: conn, now: .zero, out: &out) }
        #expect(pair.a.session(conn)?.uploadQueue.count == 2)
        return (pair, conn, requests)
    }

    @Test func chokingAFastPeerRejectsEveryQueuedRequest() {
        let (pair, conn, requests) = unchokedWithQueue(fast: true)
        var out: [ClientAction] = []
        pair.a.received(.notInterested, on: conn, now: .zero, out: &out)
        #expect(sent(out).first == .choke)
        // The block in the transport is its request's answer; the queued two are rejected.
        #expect(rejects(out) == Array(requests[1...]))
    }

    @Test func chokingAPlainPeerDropsItsRequestsSilently() {
        let (pair, conn, _) = unchokedWithQueue(fast: false)
        var out: [ClientAction] = []
        pair.a.received(.notInterested, on: conn, now: .zero, out: &out)
        #expect(sent(out) == [.choke])
        #expect(pair.a.session(conn)?.uploadQueue.isEmpty == true)
    }

    @Test func aCancelledQueuedRequestIsRejectedUnderTheExtension() {
        let (pair, conn, requests) = unchokedWithQueue(fast: true)
        var out: [ClientAction] = []
        pair.a.received(.cancel(requests[2]), on: conn, now: .zero, out: &out)
        #expect(rejects(out) == [requests[2]])
        // A cancel for the block already in the transport gets the piece, not a reject.
        out = []
        pair.a.received(.cancel(requests[0]), on: conn, now: .zero, out: &out)
        #expect(rejects(out).isEmpty)
    }

    @Test func aRequestWhileChokedIsRejectedOnlyUnderTheExtension() {
        for fast in [true, false] {
            let pair = ClientPair(aSeed: true)
            let (conn, _) = handshaken(pair, fast: fast)
            var out: [ClientAction] = []
            let r = Self.layout.request(piece: 1, block: 0)
            pair.a.received(.request(r), on: conn, now: .zero, out: &out)
            #expect(rejects(out) == (fast ? [r] : []), "fast: \(fast)")
            #expect(!isClosed(out))
        }
    }

    // MARK: what A takes

    /// A leecher unchoked by B, which announced every piece: A has asked B for blocks.
    func downloadingFrom(fast: Bool) -> (ClientPair, ConnectionID, [BlockRequest]) {
        let pair = ClientPair(aSeed: false)
        let (conn, _) = handshaken(pair, fast: fast)
        var out: [ClientAction] = []
        pair.a.received(fast ? .haveAll : .bitfield(Self.full), on: conn, now: .zero, out: &out)
        #expect(sent(out) == [.interested])
        out = []
        pair.a.received(.unchoke, on: conn, now: .zero, out: &out)
        let asked = sent(out).compactMap { if case .request(let r) = $0 { r } else { nil } }
        #expect(!asked.isEmpty)
        return (pair, conn, asked)
    }

    @Test func aRejectFreesTheBlockForAnotherPeer() {
        let (pair, conn, asked) = downloadingFrom(fast: true)
        let r = asked[0]
        #expect(pair.a.picker.requestCount(r) == 1)
        var out: [ClientAction] = []
        pair.a.received(.rejectRequest(r), on: conn, now: .zero, out: &out)
        #expect(pair.a.picker.requestCount(r) == 0)
        #expect(pair.a.session(conn)?.outstanding.contains(r) == false)
        #expect(pair.a.session(conn)?.outstanding.count == asked.count - 1)
    }

    @Test func aRejectForNoOutstandingRequestIsIgnored() {
        let (pair, conn, asked) = downloadingFrom(fast: true)
        var out: [ClientAction] = []
        let never = Self.layout.request(piece: 4, block: 3)
        pair.a.received(.rejectRequest(never), on: conn, now: .zero, out: &out)
        pair.a.received(
            .rejectRequest(BlockRequest(piece: 9_999, begin: 7, length: 3)), on: conn, now: .zero, out: &out)
        #expect(!isClosed(out))
        #expect(pair.a.session(conn)?.outstanding.count == asked.count)
    }

    @Test func hintsAndUnknownMessagesAreSkipped() {
        let (pair, conn, asked) = downloadingFrom(fast: true)
        var out: [ClientAction] = []
        for m: WireMessage in [
            .suggest(piece: 2), .suggest(piece: 1_000), .allowedFast(piece: 3), .unknown(id: 77, length: 9),
        ] {
            pair.a.received(m, on: conn, now: .zero, out: &out)
        }
        #expect(out.isEmpty)
        #expect(pair.a.session(conn)?.outstanding.count == asked.count)
    }

    // MARK: bitfields at any time

    @Test func aLaterBitfieldReplacesThePeersPiecesAndTheirAvailability() {
        let pair = ClientPair(aSeed: false)
        let (conn, _) = handshaken(pair, fast: false)
        var out: [ClientAction] = []
        pair.a.received(.have(piece: 1), on: conn, now: .zero, out: &out)
        var later = Bitfield(count: Self.layout.pieceCount)
        _ = later.insert(2)
        _ = later.insert(3)
        pair.a.received(.bitfield(later), on: conn, now: .zero, out: &out)
        pair.a.received(.bitfield(later), on: conn, now: .zero, out: &out)
        #expect(!isClosed(out))
        #expect(pair.a.session(conn)?.remoteHas == later)
        #expect(pair.a.picker.availability.counts == [0, 0, 1, 1, 0, 0])
        // `have none` withdraws them all, and with them our interest.
        out = []
        pair.a.received(.haveNone, on: conn, now: .zero, out: &out)
        #expect(pair.a.picker.availability.counts.allSatisfy { $0 == 0 })
        #expect(sent(out) == [.notInterested])
    }

    /// aria2's habit: a `bitfield` in place of every `have`. The transfer completes and
    /// ends as a normal one does.
    @Test func aDownloaderThatSendsBitfieldsInsteadOfHavesStillCompletes() {
        for fast in [true, false] {
            let pair = ClientPair(aSeed: true, aOffersFastExtension: fast)
            pair.intercept = { fromA, message in
                guard !fromA, case .have = message else { return message }
                return .bitfield(pair.b.picker.have)
            }
            pair.connectAndRun()
            #expect(pair.b.isSeed, "fast: \(fast)")
            #expect(pair.b.wastedBytes == 0)
            #expect(pair.closed.map(\.reason) == [.bothSeeds])
        }
    }
}
