import SimKernel
import Testing

@testable import BitTorrent

/// One leecher with two seeds: in end game it asks both for the last blocks, and cancels
/// at the other what one of them delivers.
@Suite struct EndGameTests {
    let layout = PieceLayout(totalLength: 4 * 16_384, pieceLength: 4 * 16_384)

    func leecher() -> TorrentClient { testClient(layout: layout) }

    /// Opens an unchoked connection from a seed; returns the requests it triggered.
    func connectSeed(_ c: TorrentClient, ip: UInt32, out: inout [ClientAction]) -> ConnectionID {
        let id = connectFullPeer(c, ip: ip, out: &out)
        c.received(.unchoke, on: id, now: .zero, out: &out)
        return id
    }

    func requests(_ out: [ClientAction], on id: ConnectionID) -> [BlockRequest] {
        out.compactMap { if case .send(id, .request(let r)) = $0 { r } else { nil } }
    }

    @Test func duplicatesAreRequestedAndThenCancelled() {
        let c = leecher()
        var out: [ClientAction] = []
        let first = connectSeed(c, ip: 2, out: &out)
        let fromFirst = requests(out, on: first)
        #expect(fromFirst.count == 2)  // the minimum pipeline
        out = []
        let second = connectSeed(c, ip: 3, out: &out)
        let fromSecond = requests(out, on: second)
        #expect(fromSecond.count == 2)
        #expect(Set(fromFirst).isDisjoint(with: fromSecond), "free blocks first")
        #expect(c.picker.inEndGame)
        // A block arrives on the first connection: its pipeline refills with a duplicate
        // of what the second has outstanding (end game).
        out = []
        c.received(.piece(fromFirst[0], .virtual), on: first, now: .milliseconds(10), out: &out)
        let duplicate = requests(out, on: first)
        #expect(!duplicate.isEmpty && Set(duplicate).isSubset(of: fromSecond))
        // The duplicate arrives first on the first connection: the second is told to cancel.
        out = []
        c.received(.piece(duplicate[0], .virtual), on: first, now: .milliseconds(20), out: &out)
        #expect(out.contains { if case .send(second, .cancel(duplicate[0])) = $0 { true } else { false } })
        #expect(!c.session(second)!.outstanding.contains(duplicate[0]))
        #expect(c.wastedBytes == 0)
        // A late copy still arriving on the second connection is counted as wasted.
        out = []
        c.received(.piece(duplicate[0], .virtual), on: second, now: .milliseconds(30), out: &out)
        #expect(c.wastedBytes == 16_384)
        #expect(c.outstandingTotal == c.connectionIDs.map { c.session($0)!.outstanding.count }.reduce(0, +))
    }
}

/// The client's request budget: total outstanding ≈ total rate × request_queue_time, so a
/// peer unchoked by many does not queue half a minute of data on its downlink.
@Suite struct RequestBudgetTests {
    let layout = PieceLayout(totalLength: 64 * 65_536, pieceLength: 65_536)

    @Test func manyUnchokersShareTheBudgetAndWaitersAreServedLater() {
        let c = testClient(layout: layout)
        var out: [ClientAction] = []
        var ids: [ConnectionID] = []
        for ip in 2..<22 {
            let id = connectFullPeer(c, ip: UInt32(ip), out: &out)
            c.received(.unchoke, on: id, now: .zero, out: &out)
            ids.append(id)
        }
        let perConnection = ids.map { c.session($0)!.outstanding.count }
        #expect(c.outstandingTotal == TorrentClient.minimumRequestBudget)
        #expect(perConnection.reduce(0, +) == TorrentClient.minimumRequestBudget)
        #expect(perConnection.filter { $0 > 0 }.count == 4, "2 blocks each to the first four")
        // Unchoked peers we did not ask are not snubbing us, even much later.
        let idle = ids.first { c.session($0)!.outstanding.isEmpty }!
        #expect(!c.session(idle)!.isSnubbing(now: .minutes(5), timeout: .seconds(60)))
        // Blocks arriving free budget, which goes to a connection that was waiting.
        let first = ids[0]
        let block = c.session(first)!.outstanding.first!
        out = []
        c.received(.piece(block, .virtual), on: first, now: .milliseconds(100), out: &out)
        #expect(c.outstandingTotal == TorrentClient.minimumRequestBudget)
        #expect(c.outstandingTotal == ids.map { c.session($0)!.outstanding.count }.reduce(0, +))
        // A choke releases that connection's requests to the budget.
        out = []
        c.received(.choke, on: ids[1], now: .milliseconds(200), out: &out)
        #expect(c.session(ids[1])!.outstanding.isEmpty)
        #expect(c.outstandingTotal == ids.map { c.session($0)!.outstanding.count }.reduce(0, +))
        #expect(ids.filter { c.session($0)!.outstanding.count > 0 }.count >= 4)
    }
}

/// Blocks withdrawn from one connection (a close, a choke, a reject) are free again, and a
/// connection that found nothing to ask for must hear of it: nothing else would wake it,
/// since it has no request outstanding to answer. Live met this as a leecher stuck at 79
/// of 80 pieces for nine minutes, unchoked by the seed, after the peers holding its last
/// blocks left.
@Suite struct IdleConnectionTests {
    /// One piece of two blocks: two seeds ask for both (end game allows two requests per
    /// block), so a third, unchoked, has nothing to ask for.
    let layout = PieceLayout(totalLength: 2 * 16_384, pieceLength: 2 * 16_384)

    var bothBlocks: Set<BlockRequest> { [layout.request(piece: 0, block: 0), layout.request(piece: 0, block: 1)] }

    func requests(_ out: [ClientAction], on id: ConnectionID) -> Set<BlockRequest> {
        Set(out.compactMap { if case .send(id, .request(let r)) = $0 { r } else { nil } })
    }

    /// The leecher, its three unchoked seeds, and what the third was left with.
    func idleThird() -> (TorrentClient, [ConnectionID]) {
        let c = testClient(layout: layout)
        var out: [ClientAction] = []
        let ids = (2...4).map { ip in
            let id = connectFullPeer(c, ip: UInt32(ip), out: &out)
            c.received(.unchoke, on: id, now: .zero, out: &out)
            return id
        }
        return (c, ids)
    }

    @Test func aCloseWakesAConnectionThatHadNothingToAskFor() {
        let (c, ids) = idleThird()
        #expect(c.session(ids[2])?.outstanding.isEmpty == true, "both blocks are asked twice")
        var out: [ClientAction] = []
        c.connectionClosed(ids[0], now: .seconds(1), out: &out)
        c.connectionClosed(ids[1], now: .seconds(1), out: &out)
        #expect(requests(out, on: ids[2]) == bothBlocks)
        #expect(c.outstandingTotal == 2)
    }

    @Test func aChokeWakesAConnectionThatHadNothingToAskFor() {
        let (c, ids) = idleThird()
        var out: [ClientAction] = []
        c.received(.choke, on: ids[0], now: .seconds(1), out: &out)
        #expect(requests(out, on: ids[2]) == bothBlocks, "one more request per block is allowed")
    }

    @Test func aRejectWakesAConnectionThatHadNothingToAskFor() {
        let (c, ids) = idleThird()
        guard let r = c.session(ids[0])?.outstanding.first else {
            Issue.record("nothing outstanding on the first seed")
            return
        }
        var out: [ClientAction] = []
        c.received(.rejectRequest(r), on: ids[0], now: .seconds(1), out: &out)
        #expect(requests(out, on: ids[2]) == [r])
    }
}
