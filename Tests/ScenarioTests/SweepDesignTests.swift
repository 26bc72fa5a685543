import Testing

@testable import Scenario

/// `sweep:` as a list of linked points and with a reference point (docs/scenarios.md, "Sweeps").
@Suite struct SweepDesignTests {
    /// Lines 7 onward of the document.
    let linked = """
        sweep:
          reference: 2
          points:
            - {protocol.unchoke_slots: 2, peers.crowd.up: 128 kbit/s}
            - {protocol.unchoke_slots: 4, peers.crowd.up: 1 Mbit/s}
            - {protocol.unchoke_slots: 8}
        """

    @Test func aListOfPointsMovesKeysTogether() throws {
        let s = try parse(document(extra: linked))
        #expect(s.hasSweep && s.sweep.isEmpty)
        #expect(s.sweepPaths == ["protocol.unchoke_slots", "peers.crowd.up"])
        #expect(s.sweepPoints.count == 3, "the points as listed, not their product")
        #expect(s.sweepPoints[1].map(\.value) == ["4", "1 Mbit/s"])
        #expect(s.sweepPoints[1][0].origin == .sweep(line: 11))
        #expect(s.sweepReference == 2)
        let second = try ScenarioLoader.scenario(atSweepPoint: s.sweepPoints[1], of: s)
        #expect(second.protocolSettings.unchokeSlots == 4)
        #expect(second.peers[1].bandwidth == .fixed(upBitsPerSecond: 1e6, downBitsPerSecond: 1e6))
    }

    @Test func theBareListAndTheGridFormsStillRead() throws {
        let list = try parse(
            document(extra: "sweep:\n  - {protocol.unchoke_slots: 2}\n  - {protocol.unchoke_slots: 6}"))
        #expect(list.sweepPoints.map { $0.map(\.value) } == [["2"], ["6"]] && list.sweepReference == nil)
        let grid = try parse(
            document(
                extra: "sweep:\n  grid: {protocol.unchoke_slots: [2, 4], torrent.size: [1 MiB, 2 MiB]}\n  reference: 4")
        )
        #expect(grid.sweepPoints.count == 4 && grid.sweepReference == 4)
        #expect(grid.sweepPaths == ["protocol.unchoke_slots", "torrent.size"])
    }

    @Test func aBrokenDesignIsNamedWithItsLine() {
        expectError(
            document(extra: "sweep:\n  points: [{protocol.unchoke_slots: 2}]\n  reference: 3"),
            prefix: "x.yaml:9 sweep.reference",
            "from 1 to 1")
        expectError(
            document(extra: "sweep:\n  points: [{protocol.unchoke_slots: 2}]\n  grid: {torrent.size: [1 MiB]}"),
            prefix: "x.yaml:8 sweep", "either grid or points")
        expectError(document(extra: "sweep:\n  points: []"), prefix: "x.yaml:8 sweep.points", "at least one point")
        expectError(
            document(extra: "sweep:\n  points: [{protocol.unchoke_slots: 2}]\n  refrence: 1"), prefix: "x.yaml:9 sweep",
            "refrence")
        // Every point is read when the scenario is: a bad value fails `check`, not the last run.
        expectError(
            document(extra: "sweep:\n  - {protocol.unchoke_slots: 2}\n  - {protocol.unchoke_slots: 0}"),
            prefix: "x.yaml:9 sweep protocol.unchoke_slots=0")
    }

    @Test func sweptValuesHaveANumberInTheirCanonicalUnit() {
        #expect(CanonicalValue.read("16 BTT/GiB") == CanonicalValue(unit: "BTT/GiB", value: 16))
        #expect(CanonicalValue.read("1 BTT/MiB") == CanonicalValue(unit: "BTT/GiB", value: 1024))
        #expect(CanonicalValue.read("2 MiB") == CanonicalValue(unit: "B", value: 2_097_152))
        #expect(CanonicalValue.read("10 min") == CanonicalValue(unit: "s", value: 600))
        #expect(CanonicalValue.read("1 Mbit/s") == CanonicalValue(unit: "bit/s", value: 1e6))
        #expect(CanonicalValue.read("120/h") == CanonicalValue(unit: "1/s", value: 120.0 / 3600))
        #expect(CanonicalValue.read("5 BTT") == CanonicalValue(unit: "BTT", value: 5))
        #expect(CanonicalValue.read("2 BTT/h") == CanonicalValue(unit: "BTT/h", value: 2))
        #expect(CanonicalValue.read("4") == nil && CanonicalValue.read("speed") == nil)
        #expect(CanonicalValue.unit(of: ["1 BTT/GiB", "64 BTT/GiB"]) == "BTT/GiB")
        #expect(CanonicalValue.unit(of: ["1 BTT/GiB", ""]) == nil, "a listed point without the key")
        #expect(CanonicalValue.unit(of: ["1 MiB", "1 min"]) == nil, "mixed kinds")
    }
}
