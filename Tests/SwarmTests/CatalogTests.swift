import Incentives
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

    /// Per-swarm state only while a swarm has peers (issue 24, point 1): at the end of a
    /// run, a torrent nobody is online in holds no metainfo, tracker pools or availability
    /// counts (whether its swarm emptied or it was never released), and one with peers
    /// holds them. With publishers that stay, released torrents still have peers at the
    /// end; with the dying swarm's publishers, they emptied.
    @Test(arguments: [true, false])
    func onlyASwarmWithPeersHoldsItsMetainfoTrackerAndAvailability(publishersStay: Bool) throws {
        var scenario = Self.catalogue(
            CatalogSpec(
                torrents: 6, size: .constant(4_194_304), pieceSizeBytes: 256 << 10, popularity: .zipf(exponent: 0),
                release: .uniform(min: 0, max: 4 * 3600)))
        if publishersStay {
            scenario.peers[0].seeding = .forever
        } else {
            // The crowd stops coming half an hour after the release, and leechers left
            // without a full copy give up, so that dead swarms empty before the end.
            scenario.peers[1].arrival = .poisson(ratePerSecond: 40.0 / 3600, until: .minutes(30))
            scenario.peers[1].abort = .constant(1800)
        }
        let simulation = try Simulation(scenario: scenario, seed: 4)
        let result = simulation.run()
        var emptied = 0
        var occupied = 0
        for (swarm, outcome) in zip(simulation.swarms, result.torrents) {
            if swarm.metrics.online == 0 {
                #expect(swarm.metainfo == nil && swarm.tracker.count == 0 && swarm.metrics.availability.isEmpty)
                if outcome.firstAvailable != nil { emptied += 1 }
            } else {
                #expect(swarm.metainfo != nil && swarm.tracker.count == swarm.metrics.online)
                // Counts exist once an online peer holds a piece.
                #expect(
                    swarm.metrics.availability.isEmpty
                        ? !swarm.metrics.hasFullCopy : swarm.metrics.availability.count == swarm.layout.pieceCount)
                occupied += 1
            }
        }
        #expect(publishersStay ? occupied > 0 : emptied > 0, "\(emptied) emptied, \(occupied) with peers")
        #expect(result.torrents.contains { $0.plan.release > scenario.duration }, "one never released")
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

    /// A bundle of K files (Menasché et al.): its size is its files' together, its share
    /// of demand too, and its arrival rate is the file count times that share, so a bundle
    /// of K equally popular files draws K times one file's peers.
    @Test func aBundleSumsItsFilesSizesAndDemand() {
        var s = Self.catalogue(nil)
        s.catalog = CatalogSpec(
            torrents: 3, size: .constant(1_048_576), pieceSizeBytes: 256 << 10,
            popularity: .weights([4, 2, 1, 1, 1, 1]),
            bundle: 2)
        let plans = TorrentPlan.plans(for: s, seed: 1)
        #expect(plans.map(\.sizeBytes) == [2_097_152, 2_097_152, 2_097_152])
        #expect(plans.map(\.files) == [2, 2, 2])
        let shares = plans.map(\.share)
        for (share, expected) in zip(shares, [0.6, 0.2, 0.2]) { #expect(abs(share - expected) < 1e-12) }
        for (plan, expected) in zip(plans, [3.6, 1.2, 1.2]) { #expect(abs(plan.rateScale - expected) < 1e-12) }
        // K files alone against one bundle of them: the bundle's rate is their sum.
        s.catalog = CatalogSpec(torrents: 4, size: .constant(1_048_576), pieceSizeBytes: 256 << 10)
        let separate = TorrentPlan.plans(for: s, seed: 1)
        s.catalog = CatalogSpec(torrents: 1, size: .constant(1_048_576), pieceSizeBytes: 256 << 10, bundle: 4)
        let bundled = TorrentPlan.plans(for: s, seed: 1)
        #expect(separate.allSatisfy { $0.rateScale == 1 } && bundled.map(\.rateScale) == [4])
        #expect(bundled.map(\.sizeBytes) == [4 * 1_048_576])
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

/// A catalogue's users (issue 24, point 3): one host across their torrents.
@Suite struct CatalogUserTests {
    static let mbit = 1_000_000.0

    /// Two torrents, each with a publisher for its first 20 minutes and five slow leechers
    /// from minute 40; one user downloads both at once and seeds them for good.
    static func twoSwarmsOneUser() -> Scenario {
        var s = SwarmFixtures.flashCrowd(leechers: 5, sizeBytes: 8 << 20, seedUp: 4 * mbit, duration: .hours(3))
        s.catalog = CatalogSpec(torrents: 2, size: .constant(8_388_608), pieceSizeBytes: 256 << 10)
        s.peers[0].seeding = .duration(.constant(1200))
        s.peers[1].arrival = .at(.minutes(40))
        s.peers[1].bandwidth = .fixed(upBitsPerSecond: 8_000, downBitsPerSecond: 10 * mbit)
        s.peers[1].seeding = .duration(.constant(0))
        s.peers.append(
            PeerGroup(
                name: "user", count: 1, arrival: .at(.zero),
                bandwidth: .fixed(upBitsPerSecond: 1 * mbit, downBitsPerSecond: 20 * mbit),
                downloads: UserDownloads(count: .constant(2))))
        return s
    }

    /// The user's two peers share its one uplink: what they send together after the
    /// publishers left fits in 1 Mbit/s over the time the crowds took, and both swarms get
    /// a fair part of it. (With a host per peer, the two would send twice as much.)
    @Test(arguments: [1, 2, 3] as [UInt64])
    func aUserSeedingTwoSwarmsSharesItsUplink(seed: UInt64) throws {
        let result = try SwarmFixtures.run(Self.twoSwarmsOneUser(), seed: seed)
        let mine = result.peers.filter { $0.user == 0 }
        try #require(mine.count == 2)
        #expect(Set(mine.map(\.torrent)) == [1, 2])
        #expect(
            mine.allSatisfy { $0.completed.map { $0 < .minutes(20) } ?? false }, "the user got both from the publishers"
        )
        let crowd = result.peers.filter { $0.group == "crowd" }
        #expect(crowd.count == 10 && crowd.allSatisfy { $0.completed != nil })
        let lastDone = try #require(crowd.compactMap(\.completed).max())
        let sent = Double(mine.reduce(0) { $0 + $1.bytesUp }) * 8
        let capacity = 1 * Self.mbit * (lastDone - .minutes(40)).seconds
        #expect(sent <= capacity, "\(sent) bits sent in \(capacity) bits of uplink")
        #expect(sent > 0.5 * capacity, "the uplink was mostly idle: \(sent) of \(capacity)")
        for peer in mine { #expect(Double(peer.bytesUp) * 8 > 0.25 * sent, "torrent \(peer.torrent) starved") }
    }

    /// A drawn count is rounded (0.6 is one download, 0.4 none) and capped at the catalogue.
    @Test func drawnDownloadCountsAreRoundedAndCapped() throws {
        var s = Self.twoSwarmsOneUser()
        s.peers[1].count = 0
        s.peers[2].count = 3
        s.duration = .minutes(30)
        for (count, expected) in [(0.6, 1), (0.4, 0), (1e300, 2)] {
            s.peers[2].downloads = UserDownloads(count: .constant(count))
            let result = try SwarmFixtures.run(s, seed: 1)
            #expect(result.users.map(\.wanted) == [expected, expected, expected], "count \(count)")
        }
    }

    /// Each user downloads its drawn number of distinct torrents, chosen by popularity.
    @Test func usersDownloadDistinctTorrentsByPopularity() throws {
        var s = Self.twoSwarmsOneUser()
        s.catalog = CatalogSpec(
            torrents: 20, size: .constant(1_048_576), pieceSizeBytes: 256 << 10, popularity: .zipf(exponent: 1))
        s.duration = .hours(2)
        s.peers[0].seeding = .forever
        s.peers[1].count = 0
        s.peers[2].count = 300
        s.peers[2].downloads = UserDownloads(count: .constant(3), interval: .exponential(mean: 60))
        let result = try SwarmFixtures.run(s, seed: 4)
        let byUser = Dictionary(grouping: result.peers.filter { $0.user != nil }) { $0.user ?? -1 }
        #expect(byUser.count == 300)
        #expect(byUser.values.allSatisfy { $0.count == 3 && Set($0.map(\.torrent)).count == 3 })
        // 900 picks by Zipf(1) over 20 torrents, without replacement per user: the first
        // torrent is picked most and the 20th least.
        var picks = [Int](repeating: 0, count: 21)
        for p in result.peers where p.user != nil { picks[p.torrent] += 1 }
        #expect(picks[1] > picks[2] && picks[2] > picks[10] && picks[10] > picks[20], "\(picks)")
    }

    /// A Speed user with 0.1 BTT downloads the popular torrent first, seeds it and earns
    /// there, then pays for the second, where nobody buys from it, with more than it had
    /// left of its own: one balance across its torrents, told apart by peer in the books.
    @Test func whatAUserEarnsInOneTorrentPaysForAnother() throws {
        let yaml = """
            name: earn
            seed: 2
            duration: 5 h
            catalog: {torrents: 2, size: 20 MiB, popularity: [1, 0.000001]}
            incentives: {bid: fixed, price: 4 BTT/GiB, reserve: 4 BTT/GiB, channel_deposit: 0.02 BTT, chain: {fee: 0 BTT}}
            peers:
              - {group: publisher, count: 1, arrival: {at: 0 s}, has_file: true, up: 2 Mbit/s, down: 10 Mbit/s, strategy: speed}
              - {group: crowd, arrival: {poisson: {rate: 1/min, until: 4 h}}, up: 256 kbit/s, down: 8 Mbit/s, seeding: {for: 0 s}, strategy: speed, wallet: 20 BTT}
              - {group: fan, count: 1, arrival: {at: 0 s}, up: 10 Mbit/s, down: 20 Mbit/s, strategy: speed, wallet: 0.1 BTT, downloads: {count: 2, interval: 2 h}}
            """
        let result = try SwarmFixtures.run(ScenarioLoader.parse(yaml: yaml, file: "earn.yaml"), seed: 2)
        #expect(result.tokensConserved)
        let fan = result.peers.filter { $0.user == 0 }.sorted { $0.joined < $1.joined }
        try #require(fan.count == 2)
        #expect(fan.map(\.torrent) == [1, 2])
        #expect(result.peers.filter { $0.torrent == 2 && $0.group == "crowd" }.isEmpty)
        #expect(fan[0].bttEarned > TokenAmount(baseUnits: 1_000_000), "it earned \(fan[0].bttEarned) seeding torrent 1")
        #expect(fan[1].bttEarned == .zero)
        let ownLeft = TokenAmount(baseUnits: 100_000) - fan[0].bttSpent
        #expect(fan[1].bttSpent > ownLeft, "torrent 2 cost \(fan[1].bttSpent), its own funds left were \(ownLeft)")
        #expect(fan.allSatisfy { $0.completed != nil })
        // One balance: what it was given, plus what both peers earned, less what both spent.
        let user = try #require(result.users.first)
        #expect(result.users.count == 1 && user.started == 2 && user.completed == 2)
        #expect(
            user.bttEarned == fan[0].bttEarned + fan[1].bttEarned && user.bttSpent == fan[0].bttSpent + fan[1].bttSpent)
        #expect(user.ledger + user.wallet == TokenAmount(baseUnits: 100_000) + user.bttNet)
        // The catalogue's economy, sampled with the swarms: the one user's balance at the end.
        #expect(result.catalogSamples.count == result.samples.count)
        let last = try #require(result.catalogSamples.last)
        #expect(last.bttLedgers + last.bttWallets == user.ledger + user.wallet)
        #expect(last.torrentsReleased == 2 && last.usersOnline == 1 && last.balanceGini == 0)
        #expect(result.catalogSamples.first?.bttLedgers == TokenAmount(baseUnits: 100_000))
    }

    @Test func giniIsZeroForEqualsAndNearOneForOneHolder() throws {
        #expect(CatalogSample.gini([5, 5, 5]) == 0)
        #expect(try #require(CatalogSample.gini([0, 0, 0, 1])) == 0.75)
        #expect(abs(try #require(CatalogSample.gini([1, 2, 3, 4])) - 0.25) < 1e-12)
        #expect(CatalogSample.gini([0, 0]) == nil && CatalogSample.gini([]) == nil)
    }
}
