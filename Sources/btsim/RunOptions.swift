import ArgumentParser
import Foundation
import Scenario

/// Options shared by every command that runs simulations (docs/architecture.md, "Command line").
struct RunOptions: ParsableArguments {
    @Option(help: "Master seed; overrides the scenario's `seed`.")
    var seed: UInt64?

    @Option(help: "Number of independent runs; overrides the scenario's `replications`.")
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
        help: ArgumentHelp(
            "Run only shard I of N: every N-th of the (variant or point, replication) runs, starting with the I-th. Join the shards' folders with `btsim merge`.",
            valueName: "I/N"))
    var shard: Shard?

    @Option(help: "Runs to execute in parallel (default: the number of cores). Results do not depend on it.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(
        help:
            "Replace the results folder even when it holds results of another scenario, seed or replication count (the whole folder is replaced)."
    )
    var force = false

    @Flag(help: "No progress output.")
    var quiet = false

    func validate() throws {
        if let replications, replications < 1 { throw ValidationError("--replications must be at least 1") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    /// The scenario with `--set` overrides applied.
    func loadScenario(_ path: String) throws -> Scenario {
        var parsed: [Override] = []
        for text in overrides { parsed.append(try Override.parse(text)) }
        return try ScenarioLoader.load(path: path, overrides: parsed)
    }
}

/// `--shard I/N`.
struct Shard: ExpressibleByArgument {
    let index: Int
    let count: Int

    init?(argument: String) {
        let parts = argument.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(i) else {
            return nil
        }
        index = i
        count = n
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
