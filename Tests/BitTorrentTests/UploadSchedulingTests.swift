import SimKernel
import Testing

@testable import BitTorrent

/// `PeerStrategy.uploadScheduling` (TorrentClient+Uploading.swift): standard clients keep
/// one block in the transport per connection; a strategy that chooses keeps one for the
/// whole peer and picks whose block goes next.
@Suite struct UploadSchedulingTests {
    let layout = PieceLayout(totalLength: 8 * 16_384, pieceLength: 16_384)

    /// Picks the candidate `pick` says, and records every candidate list it was shown.
    final class Chooser: PeerStrategy {
        var pick: ([ConnectionID]) -> ConnectionID?
        var shown: [[ConnectionID]] = []
        init(pick: @escaping ([ConnectionID]) -> ConnectionID?) { self.pick = pick }
        var uploadScheduling: UploadScheduling { .strategyChooses }
        func nextUpload(among candidates: [ConnectionID], client: TorrentClient) -> ConnectionID? {
            shown.append(candidates)
            return pick(candidates)
        }
    }

    /// A seed with room to unchoke three leechers, each of which asks for two blocks.
    func seedWithThreeAskingLeechers(strategy: any PeerStrategy) -> (TorrentClient, [ConnectionID], [ClientAction]) {
        let c = testClient(layout: layout, seed: true, strategy: strategy) { $0.unchokeSlots = 3 }
        var out: [ClientAction] = []
        var ids: [ConnectionID] = []
        for ip in UInt32(2)...4 {
            let id = c.openConnection(to: PeerAddress(ipv4: ip, port: 1), outgoing: false, now: .zero, out: &out)!
            c.received(
                Handshake(infoHash: c.config.infoHash, peerID: PeerID(azureusStyle: UInt64(ip))), on: id, now: .zero,
                out: &out)
            c.received(.interested, on: id, now: .zero, out: &out)
            ids.append(id)
        }
        for id in ids { #expect(c.session(id)?.amChoking == false) }
        out.removeAll()
        for (k, id) in ids.enumerated() {
            for piece in [2 * k, 2 * k + 1] {
                c.received(
                    .request(BlockRequest(piece: UInt32(piece), begin: 0, length: 16_384)), on: id, now: .zero,
                    out: &out)
            }
        }
        return (c, ids, out)
    }

    func blocksSent(_ out: [ClientAction]) -> [ConnectionID] {
        out.compactMap { if case .send(let id, .piece) = $0 { id } else { nil } }
    }

    @Test func standardClientsSendOnEveryConnectionAtOnce() {
        let (_, ids, out) = seedWithThreeAskingLeechers(strategy: TitForTat())
        #expect(blocksSent(out) == ids)
    }

    @Test func aChoosingStrategyHasOneBlockOutAndPicksWhoseGoesNext() {
        let chooser = Chooser { $0.last }
        let (c, ids, out) = seedWithThreeAskingLeechers(strategy: chooser)
        // The first request found the uplink free: one block, to the only candidate then.
        #expect(blocksSent(out) == [ids[0]])
        var next: [ClientAction] = []
        c.blockSent(on: ids[0], now: .seconds(1), out: &next)
        // Now everyone has a request waiting, and the chooser takes the last.
        #expect(chooser.shown.last == ids)
        #expect(blocksSent(next) == [ids[2]])
        next.removeAll()
        c.blockSent(on: ids[2], now: .seconds(2), out: &next)
        #expect(blocksSent(next) == [ids[2]])
        next.removeAll()
        c.blockSent(on: ids[2], now: .seconds(3), out: &next)
        #expect(chooser.shown.last == [ids[0], ids[1]])
        #expect(blocksSent(next) == [ids[1]])
        #expect(c.bytesUploaded == 3 * 16_384)
    }

    @Test func aClosedConnectionFreesTheUplinkForTheNext() {
        let chooser = Chooser { $0.first }
        let (c, ids, _) = seedWithThreeAskingLeechers(strategy: chooser)
        var out: [ClientAction] = []
        c.connectionClosed(ids[0], now: .seconds(1), out: &out)
        #expect(blocksSent(out) == [ids[1]])
        // The closed connection's late completion changes nothing.
        out.removeAll()
        c.blockSent(on: ids[0], now: .seconds(2), out: &out)
        #expect(blocksSent(out).isEmpty)
    }

    @Test func noChoiceOrAnInvalidOneSendsNothing() {
        let chooser = Chooser { _ in nil }
        let (c, ids, out) = seedWithThreeAskingLeechers(strategy: chooser)
        #expect(blocksSent(out).isEmpty)
        // A connection that has nothing to send is not a choice either.
        chooser.pick = { _ in ConnectionID(9) }
        var more: [ClientAction] = []
        c.resumeUpload(ids[1], out: &more)
        #expect(blocksSent(more).isEmpty)
        chooser.pick = { $0.first }
        c.resumeUpload(ids[1], out: &more)
        #expect(blocksSent(more) == [ids[0]])
    }
}
