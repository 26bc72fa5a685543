import BitTorrent
import SimKernel

/// A seeded generator for property tests: SplitMix64 over a counter, so every failure
/// reproduces from the seed printed with it.
struct SeededGenerator: RandomNumberGenerator {
    private var counter: UInt64

    init(seed: UInt64) {
        counter = seed
    }

    mutating func next() -> UInt64 {
        counter &+= 1
        return SeedDerivation.mix(counter)
    }

    mutating func bytes(count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}

/// The UTF-8 bytes of an ASCII fixture, so malformed inputs read as text in the tests.
func ascii(_ text: String) -> [UInt8] {
    Array(text.utf8)
}

/// A client for tests that drive one client by hand: no random first pieces, so the
/// picker's choices follow rarest-first from the start.
func testClient(
    layout: PieceLayout, seed: Bool = false, random: RandomStream = RandomStream(seed: 1),
    strategy: any PeerStrategy = TitForTat(), configure: (inout ProtocolSettings) -> Void = { _ in }
) -> TorrentClient {
    var settings = ProtocolSettings()
    settings.randomFirstPieces = 0
    configure(&settings)
    return TorrentClient(
        config: ClientConfiguration(
            infoHash: InfoHash(bytes: Array(repeating: 3, count: 20))!, peerID: PeerID(azureusStyle: 1),
            address: PeerAddress(ipv4: 1, port: 1), layout: layout, settings: settings, startsAsSeed: seed),
        random: random, strategy: strategy)
}

/// Opens an incoming connection from a peer at `ip` that holds every piece: handshake
/// and bitfield received.
func connectFullPeer(_ c: TorrentClient, ip: UInt32, out: inout [ClientAction]) -> ConnectionID {
    let id = c.openConnection(to: PeerAddress(ipv4: ip, port: 1), outgoing: false, now: .zero, out: &out)!
    c.received(
        Handshake(infoHash: c.config.infoHash, peerID: PeerID(azureusStyle: UInt64(ip))), on: id, now: .zero, out: &out)
    c.received(.bitfield(Bitfield(count: c.config.layout.pieceCount, allSet: true)), on: id, now: .zero, out: &out)
    return id
}
