import Scenario
import SimKernel
import Testing

@testable import Swarm

/// Many torrents in one run (issue 24): a catalogue of one is the `torrent:` form, and a
/// catalogue of independent torrents is its torrents run one by one (point 6a), exactly,
/// because every torrent's streams are keyed by its own seed.
@Suite struct CatalogTests {
    /// The dying swarm's publisher and Poisson crowd, for each torrent of `catalog`.
    static func catalogue(_ catalog: CatalogSpec?) -> Scenario {
        var s = DeadSwarmTests.dying()
        s.duration = .hours(3)
        s.catalog = catalog
        return s
    }

    static let three = CatalogSpec(
        torrents: 3, size: .uniform(min: 2_097_152, max: 8_388_608), pieceSizeBytes: 256 << 10,
        popularity: .zipf(exponent: 1), release: .uniform(min: 0, max: 3600))

    /// A peer's record without what only says where it sits in its run (its index).
    static func unplaced(_ r: PeerRecord) -> PeerRecord {
        var r = r
        r.peer = 0
        return r
    }

    @Test(arguments: [1, 2] as [UInt64])
    func aCatalogueOfOneIsTheTorrentForm(seed: UInt64) throws {
        let single = Self.catalogue(nil)
        let one = Self.catalogue(
            CatalogSpec(
                torrents: 1, size: .constant(Double(single.torrent.sizeBytes)),
                pieceSizeBytes: single.torrent.pieceSizeBytes, popularity: .zipf(exponent: 0.8)))
        let a = try SwarmFixtures.run(single, seed: seed)
        let b = try SwarmFixtures.run(one, seed: seed)
        #expect(a.peers.count > 50, "a crowd must come for this to mean anything")
        #expect(a.peers == b.peers)
        #expect(a.samples == b.samples)
        #expect(a.swarmDeath == b.swarmDeath && a.availableTime == b.availableTime)
        #expect(b.torrents.count == 1 && !b.isCatalog)
    }

    @Test(arguments: [1, 5] as [UInt64])
    func eachTorrentOfACatalogueRunsAsItWouldAlone(seed: UInt64) throws {
        let scenario = Self.catalogue(Self.three)
        let whole = try SwarmFixtures.run(scenario, seed: seed)
        #expect(whole.isCatalog && whole.torrents.count == 3)
        for outcome in whole.torrents {
            let alone = try Simulation(scenario: scenario, seed: outcome.plan.seed, torrents: [outcome.plan]).run()
            let mine = whole.peers.filter { $0.torrent == outcome.plan.rank }
            #expect(mine.count > 20, "torrent \(outcome.plan.rank) must have a crowd")
            let rank = outcome.plan.rank
            #expect(mine.map { Self.unplaced($0) } == alone.peers.map { Self.unplaced($0) }, "torrent \(rank)")
            #expect(outcome.samples == alone.samples)
            #expect(outcome.firstAvailable == alone.firstAvailable && outcome.death == alone.swarmDeath)
            #expect(outcome.availableTime == alone.availableTime)
        }
    }

    /// Popularity scales each torrent's arrival rate by N·p, and its peers' times count
    /// from its release.
    @Test func popularityAndReleaseShapeEachTorrentsArrivals() throws {
        var catalog = Self.three
        catalog.popularity = .weights([6, 3, 1])
        let result = try SwarmFixtures.run(Self.catalogue(catalog), seed: 3)
        let crowds = result.torrents.map { t in
            result.peers.filter { $0.torrent == t.plan.rank && $0.group == "crowd" }
        }
        for (t, crowd) in zip(result.torrents, crowds) {
            #expect(crowd.allSatisfy { $0.joined >= t.plan.release })
            #expect(
                result.peers.contains {
                    $0.torrent == t.plan.rank && $0.group == "publisher" && $0.joined == t.plan.release
                })
        }
        for (t, scale) in zip(result.torrents, [1.8, 0.9, 0.3]) { #expect(abs(t.plan.rateScale - scale) < 1e-12) }
        // 40/h times N·p from each release to the end (3 h): 4 standard deviations either side.
        for (t, crowd) in zip(result.torrents, crowds) {
            let expected = 40.0 / 3600 * t.plan.rateScale * (Self.catalogue(catalog).duration - t.plan.release).seconds
            #expect(
                abs(Double(crowd.count) - expected) < 4 * expected.squareRoot(), "\(crowd.count) against \(expected)")
        }
        #expect(crowds[0].count > crowds[1].count && crowds[1].count > crowds[2].count)
    }

    @Test func zipfSharesFollowTheRankPower() {
        let shares = Popularity.zipf(exponent: 0.8).shares(count: 100)
        #expect(abs(shares.reduce(0, +) - 1) < 1e-12)
        #expect(abs(shares[0] / shares[1] - 1.7411011265922482) < 1e-12)  // 2^0.8
        #expect(Popularity.zipf(exponent: 0).shares(count: 4) == [0.25, 0.25, 0.25, 0.25])
        #expect(Popularity.weights([3, 1]).shares(count: 2) == [0.75, 0.25])
    }

    /// A size from a distribution's tail is capped where a torrent can exist, never wrapped.
    @Test func drawnSizesStayWithinWhatATorrentCanBe() {
        let largest = Int64(1 << 21) * (256 << 10)
        #expect(TorrentPlan.bytes(1e300, pieceSize: 256 << 10) == largest)
        #expect(TorrentPlan.bytes(.infinity, pieceSize: 256 << 10) == largest)
        #expect(TorrentPlan.bytes(.nan, pieceSize: 256 << 10) == 1)
        #expect(TorrentPlan.bytes(-5, pieceSize: 256 << 10) == 1)
        #expect(TorrentPlan.bytes(1234.4, pieceSize: 256 << 10) == 1234)
    }
}
