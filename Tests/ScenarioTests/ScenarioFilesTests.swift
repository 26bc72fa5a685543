import Foundation
import SimKernel
import Strategies
import Testing

@testable import Scenario

/// The ready-to-run files in Scenarios/ must always load: quickstart.yaml is the first
/// thing a newcomer runs.
@Suite struct ScenarioFilesTests {
    /// The package root, found from this file's path (Tests/ScenarioTests/…).
    static let root: String = {
        var path = #filePath
        for _ in 0..<3 { path = TextFile.directory(of: path) }
        return path
    }()

    @Test func quickstartLoads() throws {
        let scenario = try ScenarioLoader.load(path: "\(Self.root)/Scenarios/quickstart.yaml")
        #expect(scenario.name == "quickstart")
        #expect(scenario.duration == .hours(2))
        #expect(scenario.replications == 1)
        #expect(scenario.torrent == TorrentSpec(sizeBytes: 20 * 1_048_576, pieceSizeBytes: 262_144))
        #expect(scenario.peers.map(\.name) == ["publisher", "crowd"])
        let publisher = scenario.peers[0]
        #expect(publisher.hasFile)
        #expect(publisher.seeding == .forever)
        #expect(publisher.bandwidth == .fixed(upBitsPerSecond: 10e6, downBitsPerSecond: 10e6))
        let crowd = scenario.peers[1]
        #expect(crowd.count == 200)
        #expect(crowd.seeding == .duration(.exponential(mean: 600)))
        guard case .mix(let classes) = crowd.bandwidth else {
            Issue.record("crowd has no bandwidth mix")
            return
        }
        #expect(classes.map(\.share) == [0.20, 0.40, 0.25, 0.15])
    }

    @Test func flashCrowd1000Loads() throws {
        let scenario = try ScenarioLoader.load(path: "\(Self.root)/Scenarios/scale/flash-crowd-1000.yaml")
        #expect(scenario.duration == .hours(6))
        #expect(scenario.torrent.sizeBytes == 100 * 1_048_576)
        #expect(scenario.peers.compactMap(\.count) == [1, 1000])
        #expect(scenario.peers[0].bandwidth == .fixed(upBitsPerSecond: 10e6, downBitsPerSecond: 10e6))
    }

    /// The scaling set of docs/performance.md: the same swarm at every size.
    @Test(arguments: [1000, 3000, 10000, 30000]) func scaleFlashCrowdsDifferOnlyInSize(peers: Int) throws {
        let scenario = try ScenarioLoader.load(path: "\(Self.root)/Scenarios/scale/flash-crowd-\(peers).yaml")
        let reference = try ScenarioLoader.load(path: "\(Self.root)/Scenarios/scale/flash-crowd-1000.yaml")
        #expect(scenario.peers.compactMap(\.count) == [1, peers])
        #expect(scenario.torrent == reference.torrent)
        #expect(scenario.peers[1].bandwidth == reference.peers[1].bandwidth)
        #expect(scenario.seed == reference.seed && scenario.duration == reference.duration)
    }

    @Test func decayingArrivalsLoads() throws {
        let scenario = try ScenarioLoader.load(path: "\(Self.root)/Scenarios/scale/decaying-arrivals.yaml")
        #expect(scenario.peers.map(\.name) == ["publisher", "crowd"])
        #expect(scenario.peers[1].count == nil, "open-ended arrivals")
    }

    /// Its strategic and control groups differ only in strategy, and the variant makes
    /// every leecher strategic (docs/guide.md, "Strategic clients").
    @Test func bittyrantComparesLikeWithLike() throws {
        let path = "\(Self.root)/Scenarios/bittyrant.yaml"
        let scenario = try ScenarioLoader.load(path: path)
        let tyrant = try #require(scenario.peers.first { $0.name == "tyrant" })
        var control = try #require(scenario.peers.first { $0.name == "control" })
        #expect(tyrant.strategy.name == "bittyrant" && control.strategy.name == "bittorrent")
        control.name = tyrant.name
        control.strategy = tyrant.strategy
        #expect(control == tyrant)
        let everyone = try ScenarioLoader.load(path: path, overrides: scenario.variants[0].overrides)
        #expect(everyone.peers.filter { !$0.hasFile }.allSatisfy { $0.strategy.name == "bittyrant" })
    }

    /// Their cheaters are the crowd's twins at a tenth of its arrival rate, and every
    /// variant changes only their strategy or the defences (docs/guide.md, "Cheats
    /// against BitTorrent Speed"), so every difference is the cheat's.
    @Test(arguments: [
        ("speed-cheats.yaml", ["speed", "speed-nonpayer", "speed-withholder"]),
        ("speed-shading.yaml", ["speed", "speed-shader"]),
    ])
    func speedCheatsChangeOnlyTheCheatersOrTheDefences(file: String, cheats: [String]) throws {
        let path = "\(Self.root)/Scenarios/\(file)"
        let base = try ScenarioLoader.load(path: path)
        let crowd = try #require(base.peers.first { $0.name == "crowd" })
        let cheaters = try #require(base.peers.first { $0.name == "cheaters" })
        #expect(cheaters.strategy.name == "speed" && crowd.strategy.name == "speed")
        #expect(cheaters.bandwidth == crowd.bandwidth && cheaters.wallet == crowd.wallet)
        #expect(cheaters.seeding == crowd.seeding && cheaters.rationalSeeding == crowd.rationalSeeding)
        var strategies: Set<String> = ["speed"]
        for variant in base.variants {
            let run = try ScenarioLoader.load(path: path, overrides: variant.overrides)
            #expect(run.peers.filter { $0.name != "cheaters" } == base.peers.filter { $0.name != "cheaters" })
            var defencesOff = run.incentives
            defencesOff.refuseDefaulters = false
            defencesOff.leaveWithholders = false
            #expect(defencesOff == base.incentives, "\(variant.name)")
            strategies.insert(try #require(run.peers.first { $0.name == "cheaters" }).strategy.name)
        }
        #expect(strategies == Set(cheats))
    }

    /// Its Sybils are honest Speed users like the crowd (without rational seeding, which
    /// identities cannot have), and the variants change only how many identities each
    /// runs: 1, 2, 4, 8 (docs/guide.md, "Cheats against BitTorrent Speed").
    @Test func speedSybilsChangeOnlyTheIdentities() throws {
        let path = "\(Self.root)/Scenarios/speed-sybils.yaml"
        let base = try ScenarioLoader.load(path: path)
        let crowd = try #require(base.peers.first { $0.name == "crowd" })
        let sybils = try #require(base.peers.first { $0.name == "sybils" })
        #expect(sybils.strategy.name == "speed" && crowd.strategy.name == "speed")
        #expect(sybils.bandwidth == crowd.bandwidth && sybils.wallet == crowd.wallet)
        #expect(sybils.seeding == crowd.seeding && sybils.rationalSeeding == nil)
        var counts = [sybils.identities]
        for variant in base.variants {
            let run = try ScenarioLoader.load(path: path, overrides: variant.overrides)
            #expect(run.peers.filter { $0.name != "sybils" } == base.peers.filter { $0.name != "sybils" })
            var others = try #require(run.peers.first { $0.name == "sybils" })
            counts.append(others.identities)
            others.identities = sybils.identities
            #expect(others == sybils, "\(variant.name)")
        }
        #expect(counts == [1, 2, 4, 8])
    }

    /// Its farmers are honest Speed seeds in the base and the variants change only their
    /// farm: 0, 2, 4, 8 leechers each (docs/guide.md, "Cheats against BitTorrent Speed").
    @Test func speedFarmChangesOnlyTheFarms() throws {
        let path = "\(Self.root)/Scenarios/speed-farm.yaml"
        let base = try ScenarioLoader.load(path: path)
        let farmers = try #require(base.peers.first { $0.name == "farmers" })
        #expect(farmers.hasFile && farmers.strategy.name == "speed")
        var farms = [farmers.farm]
        for variant in base.variants {
            let run = try ScenarioLoader.load(path: path, overrides: variant.overrides)
            #expect(run.peers.filter { $0.name != "farmers" } == base.peers.filter { $0.name != "farmers" })
            #expect(run.incentives == base.incentives && run.torrent == base.torrent)
            var changed = try #require(run.peers.first { $0.name == "farmers" })
            farms.append(changed.farm)
            changed.farm = farmers.farm
            #expect(changed == farmers, "\(variant.name)")
        }
        #expect(farms == [0, 2, 4, 8])
    }

    /// Free-riders and compliant peers are the same Bharambe mix and differ only in
    /// strategy, seeding and view; every sweep point keeps 300 leechers arriving at 1/s in
    /// all, each group at its share of that rate (docs/guide.md, "Large-view free-riders").
    @Test func largeViewSweepsTheShareAtAConstantSwarm() throws {
        let path = "\(Self.root)/Scenarios/large-view.yaml"
        let base = try ScenarioLoader.load(path: path)
        let compliant = try #require(base.peers.first { $0.name == "compliant" })
        let riders = try #require(base.peers.first { $0.name == "freeriders" })
        #expect(riders.bandwidth == compliant.bandwidth && riders.strategy.name == "freerider")
        #expect(riders.protocolSettings?.maxConnections == 300 && compliant.protocolSettings == nil)
        #expect(base.sweepPoints.count == 6)
        for point in base.sweepPoints {
            let run = try ScenarioLoader.load(path: path, overrides: point)
            let groups = run.peers.filter { !$0.hasFile }
            #expect(groups.compactMap(\.count).reduce(0, +) == 300)
            var total = 0.0
            for g in groups {
                guard case .poisson(let rate, _) = g.arrival, let count = g.count else {
                    Issue.record("\(g.name): expected a capped Poisson arrival")
                    continue
                }
                #expect(abs(rate - Double(count) / 300) < 1e-9, "\(g.name): rate follows the share")
                total += rate
            }
            #expect(abs(total - 1) < 1e-9)
        }
    }

    /// The strategy matrix covers every registered strategy as entrants at 10 % and 90 % of
    /// the leechers, in a swarm whose publisher and residents run `bittorrent` and in one
    /// where they run `speed`, each point keeping 150 leechers arriving at 1/s in all and
    /// the two groups alike but for their strategy (docs/guide.md, "The strategy matrix").
    @Test func strategyMatrixCoversEveryStrategyInBothSwarmsAtBothShares() throws {
        let path = "\(Self.root)/Scenarios/strategy-matrix.yaml"
        let base = try ScenarioLoader.load(path: path)
        let residents = try #require(base.peers.first { $0.name == "residents" })
        let entrants = try #require(base.peers.first { $0.name == "entrants" })
        #expect(residents.bandwidth == entrants.bandwidth && residents.wallet == entrants.wallet)
        #expect(residents.seeding == entrants.seeding)
        // "swarm/entrants/strategy", so that a failure names the missing point.
        var cells: [String] = []
        for point in base.sweepPoints {
            let run = try ScenarioLoader.load(path: path, overrides: point)
            let byName = Dictionary(uniqueKeysWithValues: run.peers.map { ($0.name, $0) })
            let host = try #require(byName["residents"]?.strategy.name)
            #expect(byName["publisher"]?.strategy.name == host)
            let r = try #require(byName["residents"])
            let e = try #require(byName["entrants"])
            guard case .poisson(let rRate, _) = r.arrival, case .poisson(let eRate, _) = e.arrival,
                let rCount = r.count, let eCount = e.count
            else {
                Issue.record("expected capped Poisson arrivals")
                continue
            }
            #expect(rCount + eCount == 150)
            #expect(abs(rRate - Double(rCount) / 150) < 1e-9 && abs(eRate - Double(eCount) / 150) < 1e-9)
            cells.append("\(host)/\(eCount)/\(e.strategy.name)")
        }
        var expected: [String] = []
        for host in ["bittorrent", "speed"] {
            for share in [15, 135] { expected += StrategyRegistry.names.map { "\(host)/\(share)/\($0)" } }
        }
        #expect(cells == expected)
    }

    /// Every file under Scenarios/ loads (the validation cases' files as well).
    @Test func everyScenarioFileLoads() throws {
        let files = (FileManager.default.subpaths(atPath: "\(Self.root)/Scenarios") ?? []).filter {
            $0.hasSuffix(".yaml")
        }
        #expect(files.count >= 15)
        for file in files.sorted() {
            do { _ = try ScenarioLoader.load(path: "\(Self.root)/Scenarios/\(file)") } catch {
                Issue.record("\(file): \(error)")
            }
        }
    }

    /// catalog.yaml: issue 24's 100 torrents for 30 days, Zipf popularity, Speed and
    /// tit-for-tat users alike but for strategy.
    @Test func theCatalogueIsAHundredTorrentsForAMonthWithBothKindsOfUsers() throws {
        let s = try ScenarioLoader.load(path: "\(Self.root)/Scenarios/catalog.yaml")
        #expect(s.duration == .hours(30 * 24))
        let catalog = try #require(s.catalog)
        #expect(catalog.torrents == 100 && catalog.popularity == .zipf(exponent: 0.8))
        let users = s.peers.filter { $0.downloads != nil }
        #expect(users.map(\.strategy.name).sorted() == ["bittorrent", "speed"])
        #expect(users[0].bandwidth == users[1].bandwidth && users[0].downloads == users[1].downloads)
        #expect(users[0].arrival == users[1].arrival && users[0].seeding == users[1].seeding)
        #expect(s.peers.contains { $0.hasFile && $0.downloads == nil })
    }
}
