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
        help: ArgumentHelp(
            "Follow this peer group's protocol settings in the --protocol scenario (its own protocol: block over the scenario-wide one).",
            valueName: "GROUP"))
    var group: String?

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Override one protocol setting, as in a scenario (repeatable), e.g. --set protocol.unchoke_slots=8 or, with --group, --set peers.GROUP.protocol.max_connections=200.",
            valueName: "protocol.KEY=VALUE"))
    var overrides: [String] = []

    func settings() throws -> ProtocolSettings {
        let parsed = try Override.parse(all: overrides)
        return try ScenarioLoader.liveProtocol(scenario: scenario, group: group, overrides: parsed)
    }
}
