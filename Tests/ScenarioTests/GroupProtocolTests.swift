import BitTorrent
import Foundation
import SimKernel
import Testing

@testable import Scenario

/// A peer group's own `protocol:` block (docs/scenarios.md, "Peer groups"): the
/// scenario-wide settings with the group's keys on top, so that strategies such as a
/// large-view free-rider can differ from the crowd in connections and `numwant`.
@Suite struct GroupProtocolTests {
    let rates = "count: 3, arrival: {at: 0 s}, up: 1 Mbit/s, down: 1 Mbit/s"

    @Test func aGroupStartsFromTheScenarioWideBlockAndChangesOnlyItsKeys() throws {
        let scenario = try parse(
            document(
                crowd: rates + ", protocol: {max_connections: 200, numwant: 150}",
                extra: "protocol: {unchoke_slots: 6, numwant: 30}"))
        #expect(scenario.peers[0].protocolSettings == nil)
        var expected = scenario.protocolSettings
        #expect(expected.unchokeSlots == 6 && expected.numwant == 30)
        expected.maxConnections = 200
        expected.numwant = 150
        #expect(scenario.peers[1].protocolSettings == expected)
    }

    @Test func aGroupInheritsTheFidelityTiersDefaults() throws {
        let scenario = try parse(document(crowd: rates + ", protocol: {unchoke_slots: 2}", extra: "fidelity: piece"))
        let group = try #require(scenario.peers[1].protocolSettings)
        #expect(group.blockLength == scenario.protocolSettings.blockLength)
        #expect(group.haveBatch == .seconds(10))
        #expect(group.unchokeSlots == 2)
    }

    @Test func setReachesAGroupsProtocol() throws {
        let set = try parse(document(), overrides: [try Override.parse("peers.crowd.protocol.numwant=120")])
        #expect(set.peers[1].protocolSettings?.numwant == 120)
        #expect(set.protocolSettings.numwant == ProtocolSettings().numwant)
    }

    @Test func badGroupSettingsAreRefusedWhereTheyAre() throws {
        expectError(
            document(crowd: rates + ", protocol: {block_size: 64 KiB}"),
            prefix: "x.yaml:6 peers[1].protocol.block_size: ",
            "is scenario-wide", "top-level protocol block")
        expectError(
            document(), overrides: [try Override.parse("peers.crowd.protocol.block_size=64KiB")],
            prefix: "--set peers.crowd.protocol.block_size", "is scenario-wide")
        // The pair is checked with the scenario-wide value the group did not change.
        expectError(
            document(crowd: rates + ", protocol: {max_connections: 10}", extra: "protocol: {min_connections: 15}"),
            prefix: "x.yaml:6 peers[1].protocol.max_connections: ",
            "min_connections (15) must not exceed max_connections (10)")
        expectError(
            document(crowd: rates + ", protocol: {numwnt: 3}"), prefix: "x.yaml:6 peers[1].protocol.numwnt: ",
            "unknown key", "numwant")
        expectError(
            document(crowd: rates + ", protocol: {unchoke_slots: 0}"),
            prefix: "x.yaml:6 peers[1].protocol.unchoke_slots: ")
    }
}
