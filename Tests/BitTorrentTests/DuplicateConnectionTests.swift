import ClientHarness
import SimKernel
import Testing

@testable import BitTorrent

/// What Live meets and the simulator's addresses hide: two connections to one peer (each
/// end dialled the other; an incoming connection comes from an ephemeral port), a
/// connection to ourselves, and blocks arriving on a connection that no longer has them
/// outstanding.
struct DuplicateConnectionTests {
    static func client(_ id: UInt64) -> TorrentClient {
        TorrentClient(
            config: ClientConfiguration(
                infoHash: ClientPair.infoHash, peerID: PeerID(azureusStyle: id),
                address: PeerAddress(ipv4: UInt32(id), port: 6881), layout: ClientPair.layout,
                settings: ProtocolSettings(), startsAsSeed: false), random: RandomStream(seed: id),
            strategy: TitForTat())
    }

    static func handshake(from id: UInt64) -> Handshake {
        Handshake(infoHash: ClientPair.infoHash, peerID: PeerID(azureusStyle: id))
    }

    /// Client `me` has a connection it dialled to `other` and one `other` dialled (from an
    /// ephemeral port), handshakes arriving in `order`; returns whether each stays open.
    static func dialledStays(me: UInt64, other: UInt64, incomingFirst: Bool) -> (dialled: Bool, incoming: Bool) {
        let c = client(me)
        var out: [ClientAction] = []
        c.start(now: .zero, out: &out)
        let dialled = c.openConnection(
            to: PeerAddress(ipv4: UInt32(other), port: 6881), outgoing: true, now: .zero, out: &out)
        let incoming = c.openConnection(
            to: PeerAddress(ipv4: UInt32(other), port: 40_000), outgoing: false, now: .zero, out: &out)
        guard let dialled, let incoming else { return (false, false) }
        for id in incomingFirst ? [incoming, dialled] : [dialled, incoming] {
            c.received(handshake(from: other), on: id, now: .seconds(1), out: &out)
        }
        return (c.isLive(dialled), c.isLive(incoming))
    }

    @Test func bothEndsKeepTheConnectionTheLowerIDDialled() {
        for incomingFirst in [true, false] {
            // Peer 3 and peer 8 dialled each other: both keep the connection 3 dialled.
            let low = Self.dialledStays(me: 3, other: 8, incomingFirst: incomingFirst)
            let high = Self.dialledStays(me: 8, other: 3, incomingFirst: incomingFirst)
            #expect(low == (dialled: true, incoming: false), "arrival order \(incomingFirst)")
            #expect(high == (dialled: false, incoming: true), "arrival order \(incomingFirst)")
        }
    }

    /// Peer 8 kept the connection peer 3 dialled from an ephemeral port and closed the one
    /// it dialled to 3's listening address: that address is not dialled again while 3 is
    /// connected (the tracker keeps listing it), and is once 3 has gone.
    @Test func theAddressOfAClosedDuplicateIsNotDialledAgainWhileThePeerStays() {
        let c = Self.client(8)
        var out: [ClientAction] = []
        c.start(now: .zero, out: &out)
        let listening = PeerAddress(ipv4: 3, port: 6881)
        let dialled = c.openConnection(to: listening, outgoing: true, now: .zero, out: &out)
        let incoming = c.openConnection(to: PeerAddress(ipv4: 3, port: 40_000), outgoing: false, now: .zero, out: &out)
        guard let dialled, let incoming else {
            Issue.record("no connections")
            return
        }
        c.received(Self.handshake(from: 3), on: dialled, now: .zero, out: &out)
        c.received(Self.handshake(from: 3), on: incoming, now: .zero, out: &out)
        #expect(!c.isLive(dialled) && c.isLive(incoming))
        #expect(c.openConnection(to: listening, outgoing: true, now: .zero, out: &out) == nil)
        c.connectionClosed(incoming, now: .seconds(1), out: &out)
        #expect(c.openConnection(to: listening, outgoing: true, now: .seconds(1), out: &out) != nil)
    }

    @Test func aConnectionToOurselvesCloses() {
        let c = Self.client(4)
        var out: [ClientAction] = []
        c.start(now: .zero, out: &out)
        let id = c.openConnection(to: PeerAddress(ipv4: 99, port: 1), outgoing: true, now: .zero, out: &out)
        guard let id else {
            Issue.record("no connection")
            return
        }
        out = []
        c.received(Self.handshake(from: 4), on: id, now: .zero, out: &out)
        #expect(!c.isLive(id))
        #expect(out.contains { if case .close(id, .duplicate) = $0 { true } else { false } })
    }

    /// A choke drops our requests; the block already on its way still arrives. The client
    /// counts it, so `needsBlock` (what Live writes to disk) must say so first, and only
    /// once.
    @Test func aBlockAChokeOvertookIsNeededOnceAndCounted() throws {
        let pair = ClientPair(aOffersFastExtension: false)
        var held: [WireMessage] = []
        pair.intercept = { fromA, message in
            guard fromA, case .piece = message, held.isEmpty else { return message }
            held.append(message)
            return nil
        }
        pair.connectAndRun()
        pair.intercept = nil
        guard case .piece(let r, let payload) = try #require(held.first), let conn = pair.bConn else { return }
        var out: [ClientAction] = []
        pair.b.received(.choke, on: conn, now: pair.now, out: &out)
        #expect(pair.b.session(conn)?.outstanding.contains(r) == false, "the choke dropped it")
        #expect(pair.b.needsBlock(r, on: conn))
        let before = pair.b.bytesDownloaded
        pair.b.received(.piece(r, payload), on: conn, now: pair.now, out: &out)
        #expect(pair.b.bytesDownloaded == before + Int64(r.length))
        #expect(!pair.b.needsBlock(r, on: conn))
        // Nor is a block of an invalid shape, or one on a connection that is not open.
        #expect(!pair.b.needsBlock(BlockRequest(piece: 0, begin: 1, length: 5), on: conn))
        #expect(!pair.b.needsBlock(r, on: ConnectionID(99, generation: 0)))
    }
}
