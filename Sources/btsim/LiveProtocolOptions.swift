import ArgumentParser
import BitTorrent
import Scenario

/// `--protocol FILE` and `--set protocol.KEY=VALUE` of `live seed` and `live get`: the
/// scenario's protocol settings (slots, intervals, queue sizes, BEP 6), so a real peer
/// runs the protocol a simulated one did (docs/live.md).
struct LiveProtocolOptions: ParsableArguments {
    @Option(
        name: .customLong("protocol"),
        help: ArgumentHelp(
            "A scenario whose protocol: block this peer follows (the file is checked whole).", valueName: "FILE"))
    var scenario: String?

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Override one protocol setting, as in a scenario (repeatable), e.g. --set protocol.unchoke_slots=8.",
            valueName: "protocol.KEY=VALUE"))
    var overrides: [String] = []

    func settings() throws -> ProtocolSettings {
        let parsed = try Override.parse(all: overrides)
        return try ScenarioLoader.liveProtocol(scenario: scenario, overrides: parsed)
    }
}
