import ArgumentParser
import Foundation
import Scenario

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a scenario file without running it.",
        discussion: """
            Prints a one-line summary and exits 0 when the scenario is valid, 2 with the error otherwise. \
            A valid scenario that cannot mean what it probably should gets a line on stderr starting \
            with "warning:" for each problem, naming the file, line and keys (the exit status stays 0): \
            no peer ever has the file, every fixed bid below the reserve, Speed peers without funds, \
            rational seeding where nobody earns, arrivals past `duration`, `sample_interval` not \
            shorter than `duration`. Variants and sweep points are checked too.
            """
    )

    @Argument(help: "The scenario file (YAML).")
    var file: String

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a key, as for `run`.", valueName: "key=value"))
    var overrides: [String] = []

    func run() throws {
        let parsed = try Override.parse(all: overrides)
        let scenario = try ScenarioLoader.load(path: file, overrides: parsed)
        // In a catalogue a group's count is per torrent, and a group with downloads counts users.
        let perTorrent = scenario.catalog == nil ? "" : " per torrent"
        let peers = scenario.peers.map { g in
            let unit = g.downloads == nil ? perTorrent : " users"
            return g.count.map { "\($0) \(g.name)\(unit)" }
                ?? "\(g.name) (open-ended\(g.downloads == nil ? "" : ", users"))"
        }
        let torrents = scenario.catalog.map { ", \($0.torrents) torrents" } ?? ""
        print(
            "\(file): ok — \(scenario.name)\(torrents), \(peers.joined(separator: ", ")), duration \(scenario.duration.seconds) s,"
                + " \(scenario.variants.count) variant(s)")
        ScenarioWarning.print(ScenarioLoader.warnings(of: scenario))
    }
}

extension ScenarioWarning {
    /// One `warning:` line each on stderr.
    static func print(_ warnings: [ScenarioWarning]) {
        for w in warnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
    }
}
