import SimKernel
import Testing

@testable import BitTorrent

/// Two identities of one user downloading into one storage (`sharesBlocks`, docs/model.md
/// "Sybil requesters"): told of each other's requests and blocks, they pick as one client
/// would, and a piece whose blocks came through both is complete in both.
@Suite struct SharedBlocksTests {
    /// Two pieces of four blocks each.
    let layout = PieceLayout(totalLength: 8 * 16_384, pieceLength: 4 * 16_384)

    func identity() -> TorrentClient {
        let c = testClient(layout: layout)
        c.sharesBlocks = true
        return c
    }

    func requests(_ out: [ClientAction], on id: ConnectionID) -> [BlockRequest] {
        out.compactMap { if case .send(id, .request(let r)) = $0 { r } else { nil } }
    }

    /// What the simulator does with a `sharesBlocks` client's reports: tells the other.
    func relay(_ out: [ClientAction], to other: TorrentClient, now: SimTime) -> [ClientAction] {
        var more: [ClientAction] = []
        for action in out {
            switch action {
            case .blockClaimed(let r): other.claimedBySibling(r)
            case .blockReleased(let r): other.releasedBySibling(r)
            case .blockStored(let r): other.storedBySibling(r, now: now, out: &more)
            default: break
            }
        }
        return more
    }

    /// A full seed at `ip` connects to `c` and unchokes it; its requests are in the actions.
    func unchokedBySeed(_ c: TorrentClient, ip: UInt32) -> (ConnectionID, [ClientAction]) {
        var out: [ClientAction] = []
        let seed = connectFullPeer(c, ip: ip, out: &out)
        c.received(.unchoke, on: seed, now: .zero, out: &out)
        return (seed, out)
    }

    @Test func identitiesAskForDifferentBlocksAndShareWhatArrives() throws {
        let a = identity()
        let b = identity()
        let (seedA, outA) = unchokedBySeed(a, ip: 2)
        let askedA = requests(outA, on: seedA)
        #expect(askedA.count == 2)
        #expect(outA.contains { if case .blockClaimed(askedA[0]) = $0 { true } else { false } })
        _ = relay(outA, to: b, now: .zero)
        let (seedB, outB) = unchokedBySeed(b, ip: 3)
        let askedB = requests(outB, on: seedB)
        // B continues the piece A started, with the blocks A did not ask for.
        #expect(askedB.count == 2)
        #expect(Set(askedA).isDisjoint(with: askedB))
        #expect(askedB.allSatisfy { $0.piece == askedA[0].piece })
        _ = relay(outB, to: a, now: .zero)
        // Each gets its own two blocks; each is told of the other's.
        for (client, peer, blocks, other) in [(a, seedA, askedA, b), (b, seedB, askedB, a)] {
            for r in blocks {
                var out: [ClientAction] = []
                client.received(.piece(r, .virtual), on: peer, now: .milliseconds(10), out: &out)
                _ = relay(out, to: other, now: .milliseconds(10))
            }
        }
        let piece = Int(askedA[0].piece)
        #expect(a.have[piece] && b.have[piece])
        #expect(a.bytesDownloaded == 2 * 16_384 && b.bytesDownloaded == 2 * 16_384)
        #expect(a.wastedBytes == 0 && b.wastedBytes == 0)
    }

    @Test func aBlockTheOtherStoredIsCancelledAndOneItReleasedIsFreeAgain() throws {
        let a = identity()
        let b = identity()
        let (seedA, outA) = unchokedBySeed(a, ip: 2)
        let askedA = requests(outA, on: seedA)
        // B asks for the same block (as in end game) and then stores it: A cancels its own.
        var out: [ClientAction] = []
        b.storedBySibling(askedA[0], now: .milliseconds(5), out: &out)
        #expect(out.isEmpty, "B had no request for it")
        a.storedBySibling(askedA[0], now: .milliseconds(5), out: &out)
        #expect(out.contains { if case .send(seedA, .cancel(askedA[0])) = $0 { true } else { false } })
        #expect(!a.session(seedA)!.outstanding.contains(askedA[0]))
        #expect(a.bytesDownloaded == 0)
        // A claim released by the other makes the block free again.
        let before = b.picker.unrequestedBlocks
        b.claimedBySibling(askedA[1])
        #expect(b.picker.unrequestedBlocks == before - 1)
        b.releasedBySibling(askedA[1])
        #expect(b.picker.unrequestedBlocks == before)
        // A choke withdraws A's request and reports it released.
        out = []
        a.received(.choke, on: seedA, now: .milliseconds(6), out: &out)
        #expect(out.contains { if case .blockReleased(askedA[1]) = $0 { true } else { false } })
    }

    @Test func anOrdinaryClientReportsNoBlocks() {
        let c = testClient(layout: layout)
        var (seed, out) = unchokedBySeed(c, ip: 2)
        for r in requests(out, on: seed) { c.received(.piece(r, .virtual), on: seed, now: .milliseconds(1), out: &out) }
        #expect(
            !out.contains {
                switch $0 {
                case .blockClaimed, .blockReleased, .blockStored: true
                default: false
                }
            })
    }
}
