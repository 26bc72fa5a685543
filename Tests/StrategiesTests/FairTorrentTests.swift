import BitTorrent
import SimKernel
import Strategies
import Testing

/// FairTorrent's rule on fixtures (Sherman, Nieh and Stein, CoNEXT 2009): the next block
/// goes to the requester we owe most, ties in the shuffled list's order; and on a client
/// driven by hand, every interested peer is unchoked and the deficit decides who is sent
/// to, so a peer that reciprocates is served before one that never does.
@Suite struct FairTorrentTests {
    func c(_ slot: Int32, deficit: Int64, position: UInt32) -> FairTorrent.Candidate {
        FairTorrent.Candidate(id: ConnectionID(slot), deficit: deficit, position: position)
    }

    @Test func theLowestDeficitGoesFirstAndTiesGoInListOrder() {
        #expect(FairTorrent.precedes(c(1, deficit: -16_384, position: 9), c(0, deficit: 0, position: 1)))
        #expect(!FairTorrent.precedes(c(0, deficit: 0, position: 1), c(1, deficit: -16_384, position: 9)))
        #expect(FairTorrent.precedes(c(1, deficit: 5, position: 2), c(0, deficit: 5, position: 7)))
        #expect(!FairTorrent.precedes(c(0, deficit: 5, position: 7), c(1, deficit: 5, position: 2)))
        #expect(FairTorrent.precedes(c(0, deficit: 0, position: 3), c(1, deficit: 16_384, position: 0)))
        #expect(FairTorrent.precedes(c(0, deficit: .max, position: .max), nil), "anything goes before nothing")
    }

    /// Whose block the client handed to the transport in `out`.
    func sentTo(_ out: [ClientAction]) -> [ConnectionID] {
        out.compactMap { if case .send(let id, .piece) = $0 { id } else { nil } }
    }

    @Test func everyInterestedPeerIsUnchokedAndTheOneThatGaveGetsTheNextBlock() throws {
        let strategy = FairTorrent()
        let c = try HandDrivenClient.make(strategy)
        var out: [ClientAction] = []
        // We hold piece 15 (from a first remote that sent it); six remotes want it.
        let giver = try #require(HandDrivenClient.connect(c, ip: 2, pieces: 8, out: &out))
        c.received(.unchoke, on: giver, now: .zero, out: &out)
        let asked = out.compactMap { if case .send(giver, .request(let r)) = $0 { r } else { nil } }
        let first = try #require(asked.first)
        c.received(.piece(first, .virtual), on: giver, now: .seconds(1), out: &out)
        var takers: [ConnectionID] = []
        for ip in 3..<8 {
            takers.append(try #require(HandDrivenClient.connect(c, ip: UInt32(ip), pieces: 0, out: &out)))
        }
        c.rechokeNow(now: .seconds(10), out: &out)
        #expect(takers.allSatisfy { c.session($0)?.amChoking == false }, "no slot limit: all six unchoked")
        // All ask at once for the piece we have; the giver (deficit −16 KiB) goes first.
        out = []
        for id in takers + [giver] { c.received(.request(first), on: id, now: .seconds(11), out: &out) }
        #expect(sentTo(out) == [takers[0]], "the first request goes out at once: nothing else was waiting")
        out = []
        c.blockSent(on: takers[0], now: .seconds(12), out: &out)
        #expect(sentTo(out) == [giver], "then the peer we owe")
        out = []
        c.blockSent(on: giver, now: .seconds(13), out: &out)
        let next = try #require(sentTo(out).first)
        #expect(next != giver && next != takers[0], "then one we owe nothing and have sent nothing")
    }
}
