import SimKernel
import Testing

@testable import BitTorrent

/// The client, not just `Choker`, gives its regular slots to the fastest uploaders.
/// (Until the strategy refactor, `chokeScratch.prefix(Choker.rankRegular(&chokeScratch…))`
/// took the prefix of the array before the call sorted it, so the first connections kept
/// the slots whatever their rates; `ChokerTests` tests the sort alone and could not see it.)
@Suite struct RechokeTests {
    @Test func regularSlotsGoToThePeersThatUploadedFastest() {
        let layout = PieceLayout(totalLength: 64 * 16_384, pieceLength: 16_384)
        let settings = ProtocolSettings()
        let client = testClient(layout: layout, random: RandomStream(seed: 3))
        var out: [ClientAction] = []
        client.start(now: .zero, out: &out)
        var ids: [ConnectionID] = []
        // Eight interested peers, each holding every piece; peer k sends k blocks.
        for k in 0..<8 {
            let id = connectFullPeer(client, ip: 100 + UInt32(k), out: &out)
            client.received(.interested, on: id, now: .zero, out: &out)
            ids.append(id)
        }
        var piece: UInt32 = 0
        for (k, id) in ids.enumerated() {
            for _ in 0..<k {
                client.received(
                    .piece(BlockRequest(piece: piece, begin: 0, length: 16_384), .virtual), on: id, now: .seconds(5),
                    out: &out)
                piece += 1
            }
        }
        // The first four to say `interested` took the free slots at once...
        #expect(ids.indices.filter { client.session(ids[$0])?.slot == .regular } == [0, 1, 2, 3])
        client.timerFired(.rechoke, deadline: settings.rechokeInterval, now: settings.rechokeInterval, out: &out)
        // ... and the rechoke round gives them to the four fastest uploaders.
        let regular = ids.indices.filter { client.session(ids[$0])?.slot == .regular }
        #expect(regular == [4, 5, 6, 7])
    }
}
