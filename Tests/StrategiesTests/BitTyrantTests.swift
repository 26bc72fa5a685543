import BitTorrent
import SimKernel
import Strategies
import Testing

/// The BitTyrant strategy on one client driven by hand: ranking by return per byte with
/// an active set sized by the capacity, and the uplink shared by u_p.
@Suite struct BitTyrantTests {
    func candidate(_ id: ConnectionID, tie: UInt32) -> ChokeCandidate {
        ChokeCandidate(connection: id, rateBytesPerSecond: 0, isSnubbing: false, isNew: false, tieBreak: tie)
    }

    @Test func peersThatAnnounceFasterRankFirstAndTheSetFitsTheCapacity() throws {
        // 40 KB/s: every peer starts at our equal split (8 KB/s); those unchoked as they
        // connected and gave nothing back are offered 20 % more after the round.
        let tyrant = BitTyrant(capacity: 40_000)
        let c = try HandDrivenClient.make(tyrant)
        var out: [ClientAction] = []
        var ids: [ConnectionID] = []
        for ip in UInt32(2)...7 { ids.append(try #require(HandDrivenClient.connect(c, ip: ip, pieces: 1, out: &out))) }
        tyrant.roundStarted(client: c, now: .zero, out: &out)
        #expect(ids.allSatisfy { tyrant.estimates[$0]?.upload == 8_000 })
        // Over a 10 s round the fourth peer announces 8 pieces (13 KB/s), the others none.
        let fast = ids[3]
        for p in 1...8 { c.received(.have(piece: UInt32(p)), on: fast, now: .seconds(5), out: &out) }
        tyrant.roundStarted(client: c, now: .seconds(10), out: &out)
        var candidates = ids.enumerated().map { candidate($1, tie: UInt32($0)) }
        let count = tyrant.rankRegular(&candidates, slots: 4, client: c, now: .seconds(10), out: &out)
        #expect(candidates.first?.connection == fast)
        // As many as the capacity holds: their u_p fit, and the next one's would not.
        let uploads = candidates.map { tyrant.estimates[$0.connection]?.upload ?? 0 }
        let used = uploads.prefix(count).reduce(0, +)
        #expect(count > 1 && count < ids.count)
        #expect(used <= 40_000 && used + uploads[count] > 40_000, "\(uploads), \(count)")
    }

    @Test func theUplinkIsSharedInProportionToUp() throws {
        let tyrant = BitTyrant(capacity: 125_000)
        let c = try HandDrivenClient.make(tyrant, seed: true)
        #expect(tyrant.uploadScheduling == .strategyChooses)
        var out: [ClientAction] = []
        let a = try #require(HandDrivenClient.connect(c, ip: 2, pieces: 0, out: &out))
        let b = try #require(HandDrivenClient.connect(c, ip: 3, pieces: 0, out: &out))
        tyrant.roundStarted(client: c, now: .zero, out: &out)
        // A seed ranks like BitTorrent and shares equally: both have the same weight, so
        // the one served less goes next.
        for piece in 0..<6 {
            for id in [a, b] {
                c.received(
                    .request(BlockRequest(piece: UInt32(piece), begin: 0, length: 16_384)), on: id, now: .zero,
                    out: &out)
            }
        }
        var sent: [ConnectionID] = []
        var now = SimTime.zero
        for _ in 0..<8 {
            guard
                let last = out.reversed().compactMap({ a -> ConnectionID? in
                    if case .send(let id, .piece) = a { id } else { nil }
                }).first
            else { break }
            sent.append(last)
            out.removeAll()
            now = now + .milliseconds(100)
            c.blockSent(on: last, now: now, out: &out)
        }
        let toA = sent.filter { $0 == a }.count
        #expect(sent.count == 8 && toA == 4, "\(sent)")
    }

    @Test func itIsInTheRegistry() {
        #expect(StrategyRegistry.named("bittyrant") == .bittyrant)
        let made = StrategyDefinition.bittyrant.makeStrategy(StrategyContext(uploadBytesPerSecond: 1_000))
        #expect((made.strategy as? BitTyrant)?.capacity == 1_000)
        #expect(made.trader == nil)
    }
}
