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
