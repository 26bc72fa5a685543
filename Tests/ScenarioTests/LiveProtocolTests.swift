import BitTorrent
import Foundation
import SimKernel
import Testing

@testable import Scenario

/// `ScenarioLoader.liveProtocol`: the protocol settings `btsim live seed|get` take from a
/// scenario and `--set protocol.…`, checked exactly as the simulator checks them.
@Suite struct LiveProtocolTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    func overrides(_ texts: String...) throws -> [Override] { try texts.map { try Override.parse($0) } }

    @Test func withNothingGivenTheDefaultsApply() throws {
        #expect(try ScenarioLoader.liveProtocol(scenario: nil, overrides: []) == ProtocolSettings())
    }

    @Test func setChangesOnlyWhatItNames() throws {
        let settings = try ScenarioLoader.liveProtocol(
            scenario: nil,
            overrides: overrides(
                "protocol.unchoke_slots=8", "protocol.rechoke_interval=2s", "protocol.fast_extension=false"))
        var expected = ProtocolSettings()
        expected.unchokeSlots = 8
        expected.rechokeInterval = .seconds(2)
        expected.fastExtension = false
        #expect(settings == expected)
    }

    @Test func aScenarioFileGivesItsProtocolBlockAndSetGoesOnTop() throws {
        let file = Self.root + "/Scenarios/quickstart.yaml"
        let simulated = try ScenarioLoader.load(path: file).protocolSettings
        #expect(try ScenarioLoader.liveProtocol(scenario: file, overrides: []) == simulated)
        let changed = try ScenarioLoader.liveProtocol(scenario: file, overrides: overrides("protocol.numwant=7"))
        #expect(changed.numwant == 7)
        #expect(changed.unchokeSlots == simulated.unchokeSlots)
    }

    /// `--group`: a real peer can play one group of a scenario, as the simulator runs it.
    @Test func aGroupsOwnSettingsApplyToAPeerThatPlaysIt() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("group-protocol-\(getpid()).yaml").path
        try document(
            crowd: "count: 3, arrival: {at: 0 s}, up: 1 Mbit/s, down: 1 Mbit/s, protocol: {max_connections: 200}",
            extra: "protocol: {unchoke_slots: 6}"
        ).write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let crowd = try ScenarioLoader.liveProtocol(scenario: file, group: "crowd", overrides: [])
        #expect(crowd.maxConnections == 200 && crowd.unchokeSlots == 6)
        let seed = try ScenarioLoader.liveProtocol(scenario: file, group: "seed", overrides: [])
        #expect(seed.maxConnections == ProtocolSettings().maxConnections && seed.unchokeSlots == 6)
        let set = try ScenarioLoader.liveProtocol(
            scenario: file, group: "crowd", overrides: overrides("peers.crowd.protocol.numwant=99"))
        #expect(set.numwant == 99 && set.maxConnections == 200)
        #expect {
            try ScenarioLoader.liveProtocol(scenario: file, group: "crwd", overrides: [])
        } throws: { "\($0)".contains("has no group crwd; its groups are seed, crowd") }
        #expect {
            try ScenarioLoader.liveProtocol(scenario: nil, group: "crowd", overrides: [])
        } throws: { "\($0)".contains("give --protocol FILE too") }
    }

    @Test func settingsOutsideProtocolAndBadValuesAreRefused() throws {
        #expect {
            try ScenarioLoader.liveProtocol(scenario: nil, overrides: overrides("peers.crowd.count=3"))
        } throws: { "\($0)".contains("a live peer takes only protocol.… settings") }
        #expect {
            try ScenarioLoader.liveProtocol(scenario: nil, overrides: overrides("protocol.unchoke_slots=0"))
        } throws: { "\($0)".contains("unchoke_slots") }
        #expect {
            try ScenarioLoader.liveProtocol(scenario: nil, overrides: overrides("protocol.unchok_slots=3"))
        } throws: { "\($0)".contains("unknown key") }
        #expect(throws: ScenarioError.self) {
            try ScenarioLoader.liveProtocol(scenario: Self.root + "/no-such.yaml", overrides: [])
        }
    }
}

/// A live peer moves real blocks: the settings that coarsen the wire are refused, naming
/// the key, whether from a scenario file or `--set` (docs/model.md, "Fidelity tiers").
@Suite struct LiveRefusesSimulatorOnlySettingsTests {
    func overrides(_ texts: String...) throws -> [Override] { try texts.map { try Override.parse($0) } }

    @Test func coarserUnitsAreRefused() throws {
        for (setting, key) in [
            ("protocol.block_size=256KiB", "protocol.block_size: is simulator-only"),
            ("protocol.have_batch=1s", "protocol.have_batch: is simulator-only"),
        ] {
            #expect {
                try ScenarioLoader.liveProtocol(scenario: nil, overrides: overrides(setting))
            } throws: { "\($0)".contains(key) }
        }
        // The values a live peer uses anyway are accepted.
        let same = try ScenarioLoader.liveProtocol(
            scenario: nil, overrides: overrides("protocol.block_size=16KiB", "protocol.have_batch=0s"))
        #expect(same == ProtocolSettings())
    }

    @Test func aPieceTierScenarioIsRefused() throws {
        let quickstart = try String(
            contentsOfFile: LiveProtocolTests.root + "/Scenarios/quickstart.yaml", encoding: .utf8)
        let file = FileManager.default.temporaryDirectory.path + "/btsim-tier-\(getpid()).yaml"
        try (quickstart + "\nfidelity: piece\n").write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect {
            try ScenarioLoader.liveProtocol(scenario: file, overrides: [])
        } throws: { "\($0)".contains("fidelity: piece is a simulator tier") }
        // In `block` fidelity the same file is a live peer's protocol.
        try (quickstart + "\nfidelity: block\n").write(toFile: file, atomically: true, encoding: .utf8)
        let simulated = try ScenarioLoader.load(path: LiveProtocolTests.root + "/Scenarios/quickstart.yaml")
        #expect(try ScenarioLoader.liveProtocol(scenario: file, overrides: []) == simulated.protocolSettings)
    }
}
