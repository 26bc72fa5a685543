import ArgumentParser
import Foundation
import Scenario
import Swarm

/// Options shared by every command that runs simulations (docs/architecture.md, "Command line").
struct RunOptions: ParsableArguments {
    // `.unconditional`: a negative number is the option's (bad) value, so the message names
    // it, instead of "Missing value" for an option that seems to be followed by another.
    @Option(parsing: .unconditional, help: "Master seed; overrides the scenario's `seed`.")
    var seed: UInt64?

    @Option(parsing: .unconditional, help: "Number of independent runs; overrides the scenario's `replications`.")
    var replications: Int?

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Override a scenario key by dotted path, e.g. --set torrent.size=1GiB or --set peers.crowd.count=500.",
            valueName: "key=value"))
    var overrides: [String] = []

    @Option(help: ArgumentHelp("Results root; files go to DIR/<scenario name>/<variant>/.", valueName: "DIR"))
    var out: String = "Results"

    @Option(
        name: .customLong("shard"), parsing: .unconditional,
        help: ArgumentHelp(
            "Run only shard I of N: every N-th of the (variant or point, replication) runs, starting with the I-th. Join the shards' folders with `btsim merge`.",
            valueName: "I/N"))
    var shardText: String?

    @Option(
        name: .customLong("jobs"), parsing: .unconditional,
        help: "Runs to execute in parallel (default: the number of cores). Results do not depend on it.")
    var jobsOption: Int?

    @Flag(
        help:
            "Replace the results folder even when it holds results of another scenario, seed or replication count (the whole folder is replaced)."
    )
    var force = false

    @Flag(help: "No progress output.")
    var quiet = false

    @Option(
        name: .customLong("trace-peers"),
        help: ArgumentHelp(
            "Write these peers' decisions as JSON lines, the format of `btsim live --events`, to traces/run-R/peer-P.jsonl in the result folder: peer numbers as in peers.csv (3), ranges (0-9), group names, or all; comma-separated.",
            valueName: "LIST"))
    var tracePeers: String?

    func validate() throws {
        if let replications, replications < 1 {
            throw ValidationError("--replications must be at least 1, got \(replications)")
        }
        if let jobsOption, jobsOption < 1 { throw ValidationError("--jobs must be at least 1, got \(jobsOption)") }
        if let shardText { _ = try Shard.parse(shardText) }
    }

    /// `--jobs`, or the number of cores.
    var jobs: Int { jobsOption ?? ProcessInfo.processInfo.activeProcessorCount }

    /// `--shard`, checked by `validate()`.
    var shard: Shard? { shardText.flatMap { try? Shard.parse($0) } }

    /// `--trace-peers` read against the scenario's groups (none traced without it).
    func traceSelection(groups: [String]) throws -> TraceSelection {
        guard let tracePeers else { return .none }
        return try TraceSelection.parse(tracePeers, groups: groups).get()
    }

    /// The scenario with `--set` overrides applied.
    func loadScenario(_ path: String) throws -> Scenario {
        let parsed = try Override.parse(all: overrides)
        return try ScenarioLoader.load(path: path, overrides: parsed)
    }
}

/// `--shard I/N`.
struct Shard {
    let index: Int
    let count: Int

    /// Reads `I/N`, saying what is wrong with anything else.
    static func parse(_ text: String) throws(ValidationError) -> Shard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw ValidationError("--shard takes I/N such as 1/4 (shard I of N), got \"\(text)\"")
        }
        guard n >= 1 else { throw ValidationError("--shard \(text): N, the number of shards, must be at least 1") }
        guard (1...n).contains(i) else {
            throw ValidationError("--shard \(text): I must be from 1 to N (\(n)), the shard this run makes")
        }
        return Shard(index: i, count: n)
    }
}
