import ArgumentParser
import Scenario

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a scenario file without running it.",
        discussion: """
            Prints a one-line summary and exits 0 when the scenario is valid, 2 with the error otherwise. \
            A valid scenario that cannot mean what it probably should (no peer ever has the file, say) \
            gets a line starting with "warning:" as well.
            """
    )

    @Argument(help: "The scenario file (YAML).")
    var file: String

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a key, as for `run`.", valueName: "key=value"))
    var overrides: [String] = []

    func run() throws {
        var parsed: [Override] = []
        for text in overrides { parsed.append(try Override.parse(text)) }
        let scenario = try ScenarioLoader.load(path: file, overrides: parsed)
        let peers = scenario.peers.map { g in g.count.map { "\($0) \(g.name)" } ?? "\(g.name) (open-ended)" }
        print(
            "\(file): ok — \(scenario.name), \(peers.joined(separator: ", ")), duration \(scenario.duration.seconds) s,"
                + " \(scenario.variants.count) variant(s)")
        for warning in scenario.warnings { print("warning: \(warning)") }
    }
}
