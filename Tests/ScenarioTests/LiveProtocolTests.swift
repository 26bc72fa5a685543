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
