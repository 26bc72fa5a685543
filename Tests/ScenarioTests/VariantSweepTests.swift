import SimKernel
import Testing

@testable import Scenario

@Suite struct VariantSweepTests {
    /// Lines 7–16 of the document: `set` entries on lines 10, 11 and 13, sweep axes on 15 and 16.
    let extra = """
        variants:
          - name: big
            set:
              torrent.size: 1 GiB
              peers.crowd.arrival: {poisson: {rate: 2/s, until: 1 h}}
          - name: slots
            set: {protocol.unchoke_slots: 8}
        sweep:
          protocol.unchoke_slots: [2, 4, 8]
          peers.crowd.up: [128 kbit/s, "1 Mbit/s"]
        """

    @Test func variantsAreParsedAsOverrides() throws {
        let scenario = try parse(document(extra: extra))
        #expect(scenario.variants.map(\.name) == ["big", "slots"])
        #expect(
            scenario.variants[0].overrides == [
                Override(path: "torrent.size", value: "1 GiB", origin: .variant(name: "big", line: 10)),
                Override(
                    path: "peers.crowd.arrival", value: "{poisson: {rate: 2/s, until: 1 h}}",
                    origin: .variant(name: "big", line: 11)),
            ])
        #expect(
            scenario.variants[1].overrides == [
                Override(path: "protocol.unchoke_slots", value: "8", origin: .variant(name: "slots", line: 13))
            ])
    }

    @Test func variantScenariosApplyTheirSet() throws {
        let base = try parse(document(extra: extra))
        let big = try ScenarioLoader.scenario(for: base.variants[0], of: base)
        #expect(big.torrent.sizeBytes == 1_073_741_824)
        #expect(big.peers[1].arrival == .poisson(ratePerSecond: 2, until: .hours(1)))
        #expect(big.name == base.name)
        #expect(big.variants.isEmpty)
        #expect(big.sweep.isEmpty)
        #expect(base.torrent.sizeBytes == 1_048_576)
    }

    @Test func sweepAxesAndPoints() throws {
        let scenario = try parse(document(extra: extra))
        #expect(
            scenario.sweep == [
                SweepAxis(path: "protocol.unchoke_slots", values: ["2", "4", "8"], line: 15),
                SweepAxis(path: "peers.crowd.up", values: ["128 kbit/s", "\"1 Mbit/s\""], line: 16),
            ])
        let points = scenario.sweepPoints
        #expect(points.count == 6)
        #expect(points[1].map(\.value) == ["2", "\"1 Mbit/s\""])
        let last = try ScenarioLoader.scenario(atSweepPoint: points[5], of: scenario)
        #expect(last.protocolSettings.unchokeSlots == 8)
        #expect(last.peers[1].bandwidth == .fixed(upBitsPerSecond: 1e6, downBitsPerSecond: 1e6))
        #expect(try parse(document()).sweepPoints == [[]])
    }

    @Test func badVariantsFailTheBaseParseNamingTheVariant() {
        let badValue = """
            variants:
              - name: fast
                set: {peers.crowd.strategy: tyrant}
            """
        let message = expectError(
            document(extra: badValue), prefix: "x.yaml:9 variant \"fast\" peers.crowd.strategy: ",
            "unknown strategy \"tyrant\"")
        #expect(message.contains("known: bittorrent"))
        let badPath = """
            variants:
              - name: typo
                set: {torent.size: 1 GiB}
            """
        expectError(
            document(extra: badPath), prefix: "x.yaml:9 variant \"typo\" torent.size: ",
            "unknown key \"torent\"; did you mean \"torrent\"?")
        expectError(
            document(extra: "variants: [{name: base, set: {seed: 2}}]"), prefix: "x.yaml:7 variants[0].name: ",
            "reserved")
        expectError(
            document(extra: "variants: [{name: a, set: {seed: 2}}, {name: a, set: {seed: 3}}]"),
            prefix: "x.yaml:7 variants[1].name: ", "another variant")
        expectError(
            document(extra: "variants: [{name: a}]"), prefix: "x.yaml:7 variants[0].set: ", "required key is missing")
        expectError(
            document(extra: "variants: [{name: a, set: {}}]"), prefix: "x.yaml:7 variants[0].set: ", "empty mapping")
        expectError(
            document(extra: "variants: [{name: a, sett: {seed: 2}}]"), prefix: "x.yaml:7 variants[0].sett: ",
            "did you mean \"set\"?")
    }

    @Test func badSweepValuesFailNamingTheAxis() {
        expectError(
            document(extra: "sweep:\n  protocol.unchoke_slots: [4, 0]"),
            prefix: "x.yaml:8 sweep protocol.unchoke_slots=0: ", "must be at least 1")
        expectError(document(extra: "sweep: {seed: 3}"), prefix: "x.yaml:7 sweep.seed: ", "expected a list of values")
        expectError(document(extra: "sweep: {seed: []}"), prefix: "x.yaml:7 sweep.seed: ", "at least one value")
        expectError(
            document(extra: "sweep: {peers.crwd.count: [1]}"), prefix: "x.yaml:7 sweep peers.crwd.count=1: ",
            "no peer group named \"crwd\"")
    }

    @Test func commandLineOverridesReachVariants() throws {
        let base = try parse(document(extra: extra), overrides: [Override(path: "seed", value: "77")])
        let slots = try ScenarioLoader.scenario(for: base.variants[1], of: base)
        #expect(slots.seed == 77)
        #expect(slots.protocolSettings.unchokeSlots == 8)
    }

    @Test func valuesKeepTheirYAMLMeaningAsText() throws {
        let text = "[\"a b\", 'x,y', plain, null, \"null\", {k: [1, 2]}, \"say \\\"hi\\\"\"]"
        let node = try #require(try YAMLComposer.compose(text) { .file(line: $0) })
        guard case .sequence(let items) = node.kind else {
            Issue.record("not a list")
            return
        }
        #expect(
            try items.map { try $0.flowText() } == [
                "\"a b\"", "\"x,y\"", "plain", "null", "\"null\"", "{k: [1, 2]}", "\"say \\\"hi\\\"\"",
            ])
        let reparsed = try #require(try YAMLComposer.compose(items[6].flowText()) { .file(line: $0) })
        #expect(reparsed.scalarText == "say \"hi\"")
    }
}
