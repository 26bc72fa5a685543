import Foundation
import Scenario
import Testing

@testable import Experiments
@testable import Reports

/// Resolved scenarios, experiment ids and safe output (docs/architecture.md, "Provenance").
@Suite struct ProvenanceTests {
    static let text = """
        name: prov
        seed: 3
        duration: 20 min
        torrent: {size: 1 MiB, piece_size: 128 KiB}
        peers:
          - {group: publisher, count: 1, arrival: {at: 0 s}, has_file: true, up: 2 Mbit/s, down: 2 Mbit/s}
          - group: crowd
            count: 4
            arrival: {poisson: {rate: 1/min}}
            up: 1 Mbit/s
            down: 4 Mbit/s
            seeding: {for: {exponential: {mean: 5 min}}}
        variants:
          - {name: paid, set: {peers.crowd.strategy: speed, peers.crowd.wallet: "10 BTT", incentives.reserve: 1 BTT/GiB}}
        sweep:
          protocol.unchoke_slots: [2, 4]
        """

    static func scenario(_ sets: [String] = []) throws -> Scenario {
        var overrides: [Override] = []
        for s in sets { overrides.append(try Override.parse(s)) }
        return try ScenarioLoader.parse(yaml: text, file: "prov.yaml", overrides: overrides)
    }

    /// The scenario without what only its source knows, for comparing two parses.
    static func essence(_ s: Scenario) -> Scenario {
        var s = s
        s.source = nil
        s.variants = []
        s.sweep = []
        return s
    }

    static func invocation(_ sets: [String] = [], shard: String? = nil) -> Invocation {
        Invocation(
            command: ["btsim", "compare", "prov.yaml"], scenarioFile: "prov.yaml", overrides: sets, shard: shard)
    }

    @Test func aResolvedScenarioReadsBackToTheScenarioItsRunsUsed() throws {
        let base = try Self.scenario(["torrent.size=2MiB"])
        for kind in [ExperimentKind.compare, .sweep] {
            let experiment = try Experiment(kind: kind, scenario: base, replications: 4, masterSeed: 9)
            let provenance = try Provenance(of: experiment, invocation: Self.invocation(["torrent.size=2MiB"]))
            #expect(provenance.resolved.count == experiment.groups.count)
            for (group, file) in zip(experiment.groups, provenance.resolved) {
                let reread = try ScenarioLoader.parse(yaml: file.text, file: "/elsewhere/\(file.path)")
                var expected = Self.essence(group.scenario)
                expected.seed = 9
                expected.replications = 4
                #expect(Self.essence(reread) == expected, "\(kind) \(group.label)")
                #expect(reread.variants.isEmpty && reread.sweep.isEmpty)
                #expect(file.text.hasPrefix("# The scenario of these runs"))
            }
        }
        // Neither a variant's nor a point's scenario is the base's.
        let compare = try Experiment(kind: .compare, scenario: base, replications: 1, masterSeed: 1)
        let files = try Provenance(of: compare, invocation: Self.invocation()).resolved
        #expect(files.map(\.path) == ["base/scenario.resolved.yaml", "paid/scenario.resolved.yaml"])
        #expect(files[1].text.contains("strategy: speed") && !files[0].text.contains("strategy: speed"))
    }

    /// The fidelity tier is part of what the runs are: written into every resolved
    /// scenario (also when left to its default) and into the manifest's folders.
    @Test func theFidelityTierIsRecorded() throws {
        for (sets, tier) in [([String](), "block"), (["fidelity=piece"], "piece")] {
            let experiment = try Experiment(
                kind: .compare, scenario: Self.scenario(sets), replications: 1, masterSeed: 1)
            let provenance = try Provenance(of: experiment, invocation: Self.invocation(sets))
            #expect(provenance.resolved.allSatisfy { $0.text.contains("\nfidelity: \(tier)\n") })
            let manifest = provenance.manifest(runs: 2)
            #expect(manifest.folders.map(\.fidelity) == [tier, tier])
            let decoded = try JSONDecoder().decode(Manifest.self, from: try manifest.encoded())
            #expect(decoded.folders.map(\.fidelity) == [tier, tier])
        }
        let block = try Provenance(
            of: Experiment(kind: .run, scenario: Self.scenario(), replications: 1, masterSeed: 1),
            invocation: Self.invocation())
        let piece = try Provenance(
            of: Experiment(kind: .run, scenario: Self.scenario(["fidelity=piece"]), replications: 1, masterSeed: 1),
            invocation: Self.invocation(["fidelity=piece"]))
        #expect(block.experimentID != piece.experimentID)
    }

    @Test func theExperimentIDChangesWithWhatTheRunsAreAndOnlyWithThat() throws {
        func id(_ sets: [String], seed: UInt64 = 1, replications: Int = 2, shard: String? = nil, command: String = "x")
            throws -> String
        {
            let e = try Experiment(
                kind: .run, scenario: Self.scenario(sets), replications: replications, masterSeed: seed)
            var i = Self.invocation(sets, shard: shard)
            i.command = [command]
            return try Provenance(of: e, invocation: i).experimentID
        }
        let reference = try id([])
        #expect(try id([], command: "spelled differently") == reference)
        #expect(try id(["torrent.size=2MiB"]) != reference)
        #expect(try id([], seed: 2) != reference)
        #expect(try id([], replications: 3) != reference)
        #expect(try id([], shard: "1/2") != reference)
    }

    @Test func resultsOfAnotherExperimentAreNotReplacedWithoutForce() throws {
        let root = NSTemporaryDirectory() + "btsim-prov-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fm = FileManager.default
        // Nothing there, or an empty folder: fine.
        _ = try ExperimentDestination(root: root, experimentFolder: "prov", experimentID: "a", force: false)
        try fm.createDirectory(atPath: root + "/prov", withIntermediateDirectories: true)
        _ = try ExperimentDestination(root: root, experimentFolder: "prov", experimentID: "a", force: false)
        // Files without a manifest are not ours to delete.
        try Data("x".utf8).write(to: URL(fileURLWithPath: root + "/prov/notes.txt"))
        #expect(throws: ExperimentDestination.Refusal.self) {
            try ExperimentDestination(root: root, experimentFolder: "prov", experimentID: "a", force: false)
        }
        // A result of experiment "a", then: "a" may replace it, "b" only with --force.
        let a = try ExperimentDestination(root: root, experimentFolder: "prov", experimentID: "a", force: true)
        let manifest = try Self.manifest(id: "a")
        try a.replace(with: [("manifest.json", manifest), ("base/aggregate.csv", Data("old".utf8))])
        #expect(!fm.fileExists(atPath: root + "/prov/notes.txt"), "the whole folder is replaced")
        _ = try ExperimentDestination(root: root, experimentFolder: "prov", experimentID: "a", force: false)
        let refusal = #expect(throws: ExperimentDestination.Refusal.self) {
            try ExperimentDestination(root: root, experimentFolder: "prov", experimentID: "b", force: false)
        }
        #expect(refusal?.description.contains("--force") == true)
        // Replacing leaves nothing of the old tree but the folders it keeps.
        try fm.createDirectory(atPath: root + "/prov/sweep", withIntermediateDirectories: true)
        try Data("s".utf8).write(to: URL(fileURLWithPath: root + "/prov/sweep/summary.csv"))
        let keeping = try ExperimentDestination(
            root: root, experimentFolder: "prov", experimentID: "a", force: false, keeping: ["sweep"])
        try keeping.replace(with: [("manifest.json", manifest), ("base/summary.csv", Data("new".utf8))])
        #expect(!fm.fileExists(atPath: root + "/prov/base/aggregate.csv"))
        #expect(fm.fileExists(atPath: root + "/prov/base/summary.csv"))
        #expect(fm.fileExists(atPath: root + "/prov/sweep/summary.csv"))
        // A file where the folder should be, and an unwritable root, fail before any run.
        try Data().write(to: URL(fileURLWithPath: root + "/file"))
        #expect(throws: ExperimentDestination.Refusal.self) {
            try ExperimentDestination(root: root, experimentFolder: "file", experimentID: "a", force: true)
        }
        #expect(throws: ExperimentDestination.Refusal.self) {
            try ExperimentDestination(
                root: "/proc/btsim-nowhere", experimentFolder: "prov", experimentID: "a", force: true)
        }
    }

    static func manifest(id: String) throws -> Data {
        try Manifest(
            btsimVersion: "t", gitCommit: nil, gitDirty: nil, command: [], kind: "run", scenario: "prov.yaml",
            scenarioSHA256: "", overrides: [], masterSeed: 1, replications: 1, shard: nil, runs: 1, folders: [],
            experimentID: id, startedAt: "", finishedAt: ""
        ).encoded()
    }
}
