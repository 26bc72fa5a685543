import Crypto
import Foundation

/// manifest.json: what produced a results folder (docs/architecture.md, "Provenance").
/// Written into the experiment folder and each of its result folders; everything in it
/// is deterministic for a given build and command except `started_at` and `finished_at`.
public struct Manifest: Codable, Sendable, Equatable {
    /// One result folder of the experiment and the scenario its runs used.
    public struct Folder: Codable, Sendable, Equatable {
        /// Relative to the experiment folder: `base`, a variant's name, or `sweep`.
        public var folder: String
        /// The `variant` cell of its summary rows.
        public var label: String
        /// The resolved scenario's file, relative to the experiment folder.
        public var resolvedScenario: String
        public var resolvedSHA256: String
        /// The scenario's `fidelity:` tier (`block` or `piece`); absent in manifests
        /// written before tiers existed, whose runs were all `block`.
        public var fidelity: String?

        public init(
            folder: String, label: String, resolvedScenario: String, resolvedSHA256: String, fidelity: String?
        ) {
            self.folder = folder
            self.label = label
            self.resolvedScenario = resolvedScenario
            self.resolvedSHA256 = resolvedSHA256
            self.fidelity = fidelity
        }

        enum CodingKeys: String, CodingKey {
            case folder, label, fidelity
            case resolvedScenario = "resolved_scenario"
            case resolvedSHA256 = "resolved_sha256"
        }
    }

    public var btsimVersion: String
    /// The commit the binary was built from, when built from a git checkout.
    public var gitCommit: String?
    /// Whether the sources differed from that commit when built.
    public var gitDirty: Bool?
    /// The command line (argv) as given.
    public var command: [String]
    /// `run`, `compare`, `sweep` or `merge`.
    public var kind: String
    /// The scenario file as named on the command line, and the SHA-256 of its bytes.
    public var scenario: String
    public var scenarioSHA256: String
    /// The `--set` overrides, in order.
    public var overrides: [String]
    public var masterSeed: UInt64
    public var replications: Int
    /// `I/N` for a shard's results; absent for a whole experiment.
    public var shard: String?
    /// Runs whose rows are in this experiment's tables.
    public var runs: Int
    public var folders: [Folder]
    /// SHA-256 over the kind, seed, replications, shard and every folder's resolved scenario:
    /// two result folders with the same id hold the same runs (`--force` is needed to write
    /// results with another id over them).
    public var experimentID: String
    /// Wall-clock times, ISO 8601 in UTC.
    public var startedAt: String
    public var finishedAt: String
    /// `btsim merge`: the manifest of every shard joined.
    public var shards: [Manifest]?

    public init(
        btsimVersion: String, gitCommit: String?, gitDirty: Bool?, command: [String], kind: String, scenario: String,
        scenarioSHA256: String, overrides: [String], masterSeed: UInt64, replications: Int, shard: String?,
        runs: Int, folders: [Folder], experimentID: String, startedAt: String, finishedAt: String,
        shards: [Manifest]? = nil
    ) {
        self.btsimVersion = btsimVersion
        self.gitCommit = gitCommit
        self.gitDirty = gitDirty
        self.command = command
        self.kind = kind
        self.scenario = scenario
        self.scenarioSHA256 = scenarioSHA256
        self.overrides = overrides
        self.masterSeed = masterSeed
        self.replications = replications
        self.shard = shard
        self.runs = runs
        self.folders = folders
        self.experimentID = experimentID
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.shards = shards
    }

    enum CodingKeys: String, CodingKey {
        case command, kind, scenario, overrides, replications, shard, runs, folders, shards
        case btsimVersion = "btsim_version"
        case gitCommit = "git_commit"
        case gitDirty = "git_dirty"
        case scenarioSHA256 = "scenario_sha256"
        case masterSeed = "master_seed"
        case experimentID = "experiment_id"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    /// Pretty-printed JSON with sorted keys, so manifests diff cleanly.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// The manifest in `folder`, nil when there is none; throws when it is there but unreadable.
    public static func read(folder: String) throws -> Manifest? {
        let path = (folder as NSString).appendingPathComponent(ResultFiles.manifest)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The rows `btsim report` shows, in reading order.
    public var summaryRows: [(String, String)] {
        var rows: [(String, String)] = [("btsim", btsimVersion)]
        if let gitCommit { rows.append(("git commit", gitCommit + (gitDirty == true ? " (modified sources)" : ""))) }
        rows += [
            ("command", command.joined(separator: " ")), ("scenario", "\(scenario) (sha256 \(scenarioSHA256))"),
            ("overrides", overrides.isEmpty ? "none" : overrides.joined(separator: "; ")),
            ("master seed", "\(masterSeed)"), ("replications", "\(replications)"), ("runs", "\(runs)"),
        ]
        if let shard { rows.append(("shard", shard)) }
        if let shards { rows.append(("merged from", "\(shards.count) shards")) }
        rows += [("started", startedAt), ("finished", finishedAt), ("experiment id", experimentID)]
        return rows
    }
}

extension Manifest {
    /// The id of an experiment's runs: a hash of the seed, the replications, the shard and
    /// every folder's label and resolved scenario. Wall-clock times, the command line's
    /// spelling and the build are left out: the same runs have the same id however they
    /// were asked for.
    public static func experimentID(seed: UInt64, replications: Int, shard: String?, folders: [Folder]) -> String {
        var text = "master_seed=\(seed)\nreplications=\(replications)\nshard=\(shard ?? "")\n"
        for f in folders { text += "\(f.folder)\t\(f.label)\t\(f.resolvedSHA256)\n" }
        return sha256(text)
    }

    /// Lower-case hex SHA-256 of `text`'s UTF-8 bytes.
    public static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// ISO 8601 in UTC, to the second.
    public static func timestamp(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }

    /// One line for messages: `compare of Scenarios/x.yaml, --set a=b, seed 1, 3 replications`.
    public var brief: String {
        let sets = overrides.isEmpty ? "no --set" : overrides.map { "--set \($0)" }.joined(separator: " ")
        let part = shard.map { ", shard \($0)" } ?? ""
        return "\(kind) of \(scenario), \(sets), seed \(masterSeed), \(replications) replications\(part)"
    }
}
