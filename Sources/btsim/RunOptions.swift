import ArgumentParser
import Scenario

/// Options shared by every command that runs simulations (DESIGN.md §7).
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

    @Option(help: ArgumentHelp("Results root; files go to DIR/<scenario name>/base/.", valueName: "DIR"))
    var out: String = "Results"

    @Flag(help: "No progress output.")
    var quiet = false

    func validate() throws {
        if let replications, replications < 1 { throw ValidationError("--replications must be at least 1") }
    }

    /// The scenario with `--set` overrides applied.
    func loadScenario(_ path: String) throws -> Scenario {
        var parsed: [Override] = []
        for text in overrides { parsed.append(try Override.parse(text)) }
        return try ScenarioLoader.load(path: path, overrides: parsed)
    }
}
