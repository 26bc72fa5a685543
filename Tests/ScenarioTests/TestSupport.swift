import Testing

@testable import Scenario

/// A valid scenario whose line numbers tests rely on: line 3 is `torrent`, line 5 the
/// `seed` group, line 6 the `crowd` group, line 7 onward `extra`.
func document(
    torrent: String = "{size: 1 MiB}",
    crowd: String = "count: 3, arrival: {at: 0 s}, up: 1 Mbit/s, down: 1 Mbit/s",
    extra: String = ""
) -> String {
    """
    name: t
    duration: 1 h
    torrent: \(torrent)
    peers:
      - {group: seed, count: 1, arrival: {at: 0 s}, has_file: true, up: 1 Mbit/s, down: 1 Mbit/s}
      - {group: crowd, \(crowd)}
    \(extra)
    """
}

func parse(_ yaml: String, overrides: [Override] = []) throws(ScenarioError) -> Scenario {
    try ScenarioLoader.parse(yaml: yaml, file: "x.yaml", overrides: overrides)
}

/// The crowd group of `document(crowd:)`.
func crowd(_ fields: String) throws(ScenarioError) -> PeerGroup? {
    try parse(document(crowd: fields)).peers.last
}

/// Parses `yaml`, expects it to fail, and checks the message: one line that starts with
/// `prefix` (such as `x.yaml:6 peers[1].up: `) and contains every fragment.
@discardableResult
func expectError(
    _ yaml: String, overrides: [Override] = [], prefix: String, _ fragments: String...,
    sourceLocation: SourceLocation = #_sourceLocation
) -> String {
    do {
        let scenario = try parse(yaml, overrides: overrides)
        Issue.record("expected an error, got scenario \(scenario.name)", sourceLocation: sourceLocation)
        return ""
    } catch {
        let message = error.description
        #expect(!message.contains("\n"), "not one line: \(message)", sourceLocation: sourceLocation)
        #expect(message.hasPrefix(prefix), "\(message) does not start with \(prefix)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(message.contains(fragment), "\(message) lacks \(fragment)", sourceLocation: sourceLocation)
        }
        return message
    }
}
