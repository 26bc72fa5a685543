import BitTorrent
import SimKernel
import Testing

/// One client with a strategy under test, driven by hand: a 16-piece torrent of one
/// block per piece, remotes connected with a given set of pieces.
struct HandDrivenClient {
    static let layout = PieceLayout(totalLength: 16 * 16_384, pieceLength: 16_384)

    static func make(_ strategy: any PeerStrategy, seed: Bool = false) throws -> TorrentClient {
        var settings = ProtocolSettings()
        settings.randomFirstPieces = 0
        return TorrentClient(
            config: ClientConfiguration(
                infoHash: try #require(InfoHash(bytes: Array(repeating: 7, count: 20))),
                peerID: PeerID(azureusStyle: 1),
                address: PeerAddress(ipv4: 1, port: 1), layout: layout, settings: settings, startsAsSeed: seed),
            random: RandomStream(seed: 1), strategy: strategy)
    }

    /// An interested remote holding the first `pieces` pieces.
    static func connect(_ c: TorrentClient, ip: UInt32, pieces: Int, out: inout [ClientAction]) -> ConnectionID? {
        guard let id = c.openConnection(to: PeerAddress(ipv4: ip, port: 1), outgoing: false, now: .zero, out: &out)
        else { return nil }
        c.received(
            Handshake(infoHash: c.config.infoHash, peerID: PeerID(azureusStyle: UInt64(ip))), on: id, now: .zero,
            out: &out)
        var have = Bitfield(count: layout.pieceCount)
        for p in 0..<pieces { have.insert(p) }
        c.received(.bitfield(have), on: id, now: .zero, out: &out)
        c.received(.interested, on: id, now: .zero, out: &out)
        return id
    }
}
