import SimKernel
import Testing

@testable import BitTorrent

/// Two clients wired back to back through an in-order, zero-delay fake link: the smallest
/// whole-protocol test, with no simulator involved.
final class ClientPair {
    enum Frame {
        case handshake(Handshake)
        case message(WireMessage)
    }

    let a: TorrentClient
    let b: TorrentClient
    var aConn: ConnectionID?
    var bConn: ConnectionID?
    var inFlight: [(toA: Bool, frame: Frame)] = []
    var closed: [(byA: Bool, reason: CloseReason)] = []
    var timers: [(isA: Bool, timer: ClientTimer, at: SimTime)] = []
    var now = SimTime.zero
    /// Drops messages matching this filter on their way (to test protocol reactions).
    var intercept: ((Bool, WireMessage) -> WireMessage?)?

    static let layout = PieceLayout(totalLength: 5 * 65_536 + 1000, pieceLength: 65_536)
    static let infoHash = InfoHash(bytes: Array(repeating: 7, count: 20))!

    init(aSeed: Bool = true, bSeed: Bool = false, bInfoHash: InfoHash = ClientPair.infoHash) {
        var settings = ProtocolSettings()
        settings.randomFirstPieces = 0
        a = TorrentClient(
            config: ClientConfiguration(
                infoHash: Self.infoHash, peerID: PeerID(azureusStyle: 1), address: PeerAddress(ipv4: 1, port: 1),
                layout: Self.layout, settings: settings, startsAsSeed: aSeed), random: RandomStream(seed: 1))
        b = TorrentClient(
            config: ClientConfiguration(
                infoHash: bInfoHash, peerID: PeerID(azureusStyle: 2), address: PeerAddress(ipv4: 2, port: 1),
                layout: Self.layout, settings: settings, startsAsSeed: bSeed), random: RandomStream(seed: 2))
    }

    /// B connects to A, then everything runs until no message is in flight.
    func connectAndRun() {
        var out: [ClientAction] = []
        a.start(now: now, out: &out)
        apply(out, fromA: true)
        out = []
        b.start(now: now, out: &out)
        apply(out, fromA: false)
        out = []
        aConn = a.openConnection(to: b.config.address, outgoing: false, now: now, out: &out)
        apply(out, fromA: true)
        out = []
        bConn = b.openConnection(to: a.config.address, outgoing: true, now: now, out: &out)
        apply(out, fromA: false)
        run()
    }

    func run(steps: Int = 100_000) {
        var n = 0
        while !inFlight.isEmpty && n < steps {
            n += 1
            let (toA, frame) = inFlight.removeFirst()
            now = now + .milliseconds(1)
            let client = toA ? a : b
            guard let conn = toA ? aConn : bConn else { continue }
            var out: [ClientAction] = []
            switch frame {
            case .handshake(let h): client.received(h, on: conn, now: now, out: &out)
            case .message(let m): client.received(m, on: conn, now: now, out: &out)
            }
            apply(out, fromA: toA)
        }
    }

    func fire(_ timer: ClientTimer, onA: Bool, at time: SimTime) {
        now = time
        var out: [ClientAction] = []
        (onA ? a : b).timerFired(timer, now: time, out: &out)
        apply(out, fromA: onA)
        run()
    }

    func apply(_ actions: [ClientAction], fromA: Bool) {
        for action in actions {
            switch action {
            case .sendHandshake(_, let h):
                inFlight.append((!fromA, .handshake(h)))
            case .send(let conn, let m):
                if let intercept, intercept(fromA, m) == nil { continue }
                inFlight.append((!fromA, .message(m)))
                if case .piece = m {
                    var out: [ClientAction] = []
                    (fromA ? a : b).blockSent(on: conn, now: now, out: &out)
                    apply(out, fromA: fromA)
                }
            case .close(_, let reason):
                closed.append((fromA, reason))
                var out: [ClientAction] = []
                if fromA, let bConn {
                    b.connectionClosed(bConn, now: now, out: &out)
                } else if let aConn {
                    a.connectionClosed(aConn, now: now, out: &out)
                }
                aConn = nil
                bConn = nil
                inFlight.removeAll()
            case .setTimer(let t, let at):
                timers.append((fromA, t, at))
            case .connect, .announce, .pieceCompleted, .downloadCompleted:
                break
            }
        }
    }
}

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

    @Test func aBitfieldAfterOtherMessagesClosesTheConnection() {
        let pair = ClientPair(aSeed: false)
        let conn = handshaken(pair)
        var out: [ClientAction] = []
        pair.a.received(.have(piece: 1), on: conn, now: .zero, out: &out)
        pair.a.received(.bitfield(Bitfield(count: ClientPair.layout.pieceCount)), on: conn, now: .zero, out: &out)
        #expect(closes(out, with: .lateBitfield))
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

    @Test func aChokeReturnsOutstandingRequestsToThePicker() {
        let pair = ClientPair()
        // The seed's pieces never arrive, so the leecher's requests stay outstanding.
        pair.intercept = { fromA, m in
            if fromA, case .piece = m { return nil }
            return m
        }
        pair.connectAndRun()
        let outstanding = pair.b.session(pair.bConn!)!.outstanding
        #expect(!outstanding.isEmpty)
        let unrequestedBefore = pair.b.picker.unrequestedBlocks
        var out: [ClientAction] = []
        pair.b.received(.choke, on: pair.bConn!, now: pair.now, out: &out)
        #expect(pair.b.session(pair.bConn!)!.outstanding.isEmpty)
        #expect(pair.b.picker.unrequestedBlocks == unrequestedBefore + outstanding.count)
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
