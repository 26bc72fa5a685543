import Scenario
import Testing

@testable import Validation

/// The `bittyrant` case's swarms are what docs/validation.md describes, and the crowds
/// written as YAML are exactly the Bharambe mix the other cases use in code.
@Suite struct BitTyrantCaseTests {
    @Test func theCrowdIsTheBharambeMixInEveryYAMLCase() throws {
        let uniform = try ScenarioLoader.parse(yaml: BitTyrantCase.uniformSwarm, file: "u")
        #expect(uniform.peers.map(\.name) == ["publisher", "crowd"])
        #expect(uniform.peers[1].bandwidth == .bharambe2006)
        // Three of fidelity-agreement's four crowds (the Speed one has its own classes).
        let crowds = try FidelityAgreementCase.settings.filter { setting in
            try FidelityAgreementCase.scenario(setting, tier: .block).peers.contains { $0.bandwidth == .bharambe2006 }
        }
        #expect(crowds.count == 3)
    }

    @Test func eachClassGetsThreeStrategicPeersAndThreeControls() throws {
        let mixed = try ScenarioLoader.parse(yaml: BitTyrantCase.mixedSwarm, file: "m")
        #expect(mixed.name == "bittyrant-one-strategic-peer")
        #expect(BitTyrantCase.classes.count == 4)
        for (k, c) in BitTyrantCase.classes.enumerated() {
            let tyrant = try #require(mixed.peers.first { $0.name == "tyrant-\(k)" })
            let control = try #require(mixed.peers.first { $0.name == "control-\(k)" })
            let rates = Bandwidth.fixed(upBitsPerSecond: c.upBitsPerSecond, downBitsPerSecond: c.downBitsPerSecond)
            #expect(tyrant.bandwidth == rates && control.bandwidth == rates)
            #expect(tyrant.strategy.name == "bittyrant" && control.strategy.name == "bittorrent")
            #expect(tyrant.count == 3 && control.count == 3 && tyrant.arrival == control.arrival)
        }
        #expect(BitTyrantCase.classes.map(BitTyrantCase.label) == ["128 kbit/s", "384 kbit/s", "1 Mbit/s", "5 Mbit/s"])
    }
}
