import SimKernel
import Testing

@testable import Scenario

@Suite struct OverrideTests {
    func set(_ arguments: String...) throws(ScenarioError) -> [Override] {
        var overrides: [Override] = []
        for argument in arguments { overrides.append(try Override.parse(argument)) }
        return overrides
    }

    @Test func parseSplitsAtTheFirstEquals() throws {
        #expect(try Override.parse("torrent.size=1GiB") == Override(path: "torrent.size", value: "1GiB"))
        #expect(try Override.parse("name=a=b") == Override(path: "name", value: "a=b"))
        #expect(try Override.parse(" seed =7") == Override(path: "seed", value: "7"))
        #expect(try Override.parse("peers.crowd.abort=") == Override(path: "peers.crowd.abort", value: ""))
        #expect(throws: ScenarioError.self) { try Override.parse("torrent.size") }
        #expect(throws: ScenarioError.self) { try Override.parse("=1GiB") }
        do {
            _ = try Override.parse("torrent.size")
        } catch {
            #expect(
                error.description
                    == "--set torrent.size: expected KEY=VALUE such as torrent.size=1GiB, got \"torrent.size\"")
        }
    }

    @Test func valuesReplaceFileValues() throws {
        let scenario = try parse(document(), overrides: set("torrent.size=1GiB", "protocol.unchoke_slots=8", "seed=9"))
        #expect(scenario.torrent.sizeBytes == 1_073_741_824)
        #expect(scenario.protocolSettings.unchokeSlots == 8)
        #expect(scenario.seed == 9)
        #expect(scenario.source?.overrides.count == 3)
    }

    @Test func overridesApplyInOrder() throws {
        let scenario = try parse(document(), overrides: set("seed=2", "seed=3"))
        #expect(scenario.seed == 3)
    }

    @Test func groupsByNameOrIndex() throws {
        let byName = try parse(document(), overrides: set("peers.crowd.count=500"))
        #expect(byName.peers[1].count == 500)
        let byIndex = try parse(document(), overrides: set("peers[1].count=7", "peers[0].up=2 Mbit/s"))
        #expect(byIndex.peers[1].count == 7)
        #expect(byIndex.peers[0].bandwidth == .fixed(upBitsPerSecond: 2e6, downBitsPerSecond: 1e6))
    }

    @Test func flowMappingValues() throws {
        let scenario = try parse(document(), overrides: set("peers.crowd.arrival={poisson: {rate: 2/s}}"))
        #expect(scenario.peers[1].arrival == .poisson(ratePerSecond: 2, until: nil))
        let deeper = try parse(
            document(crowd: "arrival: {poisson: {rate: 1/s}}, up: 1 Mbit/s, down: 1 Mbit/s"),
            overrides: set("peers.crowd.arrival.poisson.until=1 h"))
        #expect(deeper.peers[1].arrival == .poisson(ratePerSecond: 1, until: .hours(1)))
    }

    @Test func addingKeysThatDoNotExistYet() throws {
        let scenario = try parse(
            document(),
            overrides: set(
                "peers.crowd.abort={exponential: {mean: 1 h}}", "network.latency=50 ms", "protocol.end_game=false"))
        #expect(scenario.peers[1].abort == .exponential(mean: 3600))
        #expect(scenario.network.latency == .constant(0.05))
        #expect(scenario.protocolSettings.endGame == false)
    }

    @Test func nullRemovesAKey() throws {
        let withAbort = document(crowd: "count: 3, arrival: {at: 0 s}, up: 1 Mbit/s, down: 1 Mbit/s, abort: 1 h")
        #expect(try parse(withAbort, overrides: set("peers.crowd.abort=null")).peers[1].abort == nil)
        let mix = try parse(
            document(),
            overrides: set(
                "peers.crowd.up=", "peers.crowd.down=~",
                "peers.crowd.bandwidth=[{share: 1, up: 3 Mbit/s, down: 4 Mbit/s}]"))
        #expect(
            mix.peers[1].bandwidth == .mix([BandwidthClass(share: 1, upBitsPerSecond: 3e6, downBitsPerSecond: 4e6)]))
    }

    @Test func invalidPathsAreErrors() throws {
        func expectPathError(_ argument: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation)
        {
            do {
                _ = try parse(document(), overrides: set(argument))
                Issue.record("accepted \(argument)", sourceLocation: sourceLocation)
            } catch {
                #expect(error.description == expected, sourceLocation: sourceLocation)
            }
        }
        expectPathError(
            "peers.crwd.count=5", "--set peers.crwd.count: no peer group named \"crwd\"; did you mean \"crowd\"?")
        expectPathError("torent.size=1GiB", "--set torent.size: unknown key \"torent\"; did you mean \"torrent\"?")
        expectPathError(
            "protocol.unchoke_slot=4",
            "--set protocol.unchoke_slot: unknown key \"unchoke_slot\"; did you mean \"unchoke_slots\"?")
        expectPathError(
            "peers[5].count=1",
            "--set peers[5].count: there is no peers[5]: the scenario has 2 peer groups (indices count from 0)")
        expectPathError(
            "peers.crowd.colour=red",
            "--set peers.crowd.colour: unknown key \"colour\"; valid keys here are group, count, arrival, has_file, up, down, bandwidth, abort, seeding, strategy, wallet, budget, protocol, downloads, uptime, identities or farm"
        )
        expectPathError("name.first=x", "--set name.first: name is \"t\", not a mapping, so it has no key \"first\"")
        expectPathError("torrent..size=1", "--set torrent..size: the path has an empty key")
        expectPathError(
            "variants=[]", "--set variants: variants and sweeps cannot be overridden; edit the file instead")
        expectPathError(
            "seed=[1",
            "--set seed: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence started on line 1)"
        )
    }

    @Test func errorsInOverriddenValuesNameTheOverride() throws {
        do {
            _ = try parse(document(), overrides: set("torrent.size=huge"))
            Issue.record("accepted")
        } catch {
            #expect(error.description == "--set torrent.size: expected a size such as \"256 KiB\", got \"huge\"")
            #expect(error.line == nil)
        }
        do {
            _ = try parse(document(), overrides: set("peers.crowd.arrival={poisson: {rate: fast}}"))
            Issue.record("accepted")
        } catch {
            #expect(
                error.description
                    == "--set peers.crowd.arrival peers.crowd.arrival.poisson.rate: expected an event rate such as \"2/s\" or \"100/h\", got \"fast\""
            )
        }
        do {
            _ = try parse(document(), overrides: set("peers.crowd.strategy=tyrant"))
            Issue.record("accepted")
        } catch {
            #expect(error.description.hasPrefix("--set peers.crowd.strategy: unknown strategy \"tyrant\""))
        }
    }

    @Test func fileErrorsStillNameTheFileLine() {
        expectError(
            document(torrent: "{size: 1 MiB, piece_size: 1 KB}"), overrides: [Override(path: "seed", value: "4")],
            prefix: "x.yaml:3 torrent.piece_size: ")
    }

    @Test func applyingMoreOverridesReparsesTheSource() throws {
        let base = try parse(document(), overrides: set("seed=5"))
        let more = try ScenarioLoader.applying(set("torrent.size=2 MiB"), to: base)
        #expect(more.seed == 5)
        #expect(more.torrent.sizeBytes == 2_097_152)
        #expect(more.source?.overrides.map(\.path) == ["seed", "torrent.size"])
        let handBuilt = Scenario(name: "h", duration: .hours(1), torrent: TorrentSpec(sizeBytes: 1), peers: [])
        #expect(throws: ScenarioError.self) { try ScenarioLoader.applying([], to: handBuilt) }
    }
}
