import Foundation
import Scenario
import Testing

@testable import Validation

/// The `large-view` case runs Scenarios/large-view.yaml's swarms: its base, its
/// `normal-view` variant and its 60 % sweep point, so the guide's study and the checked
/// directions cannot drift apart.
@Suite struct LargeViewCaseTests {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scenarios/large-view.yaml").path

    /// What a run sees of a scenario: its torrent, duration and peer groups.
    func same(_ a: Scenario, _ b: Scenario) -> Bool {
        a.peers == b.peers && a.torrent == b.torrent && a.duration == b.duration
    }

    @Test func theCasesSwarmsAreTheScenarioFilesBaseVariantAndSweepPoint() throws {
        let scenario = try ScenarioLoader.load(path: Self.file)
        let swarm = try ScenarioLoader.parse(yaml: LargeViewCase.swarm, file: "case")
        #expect(same(swarm, scenario))
        let normalView = try #require(scenario.variants.first { $0.name == "normal-view" })
        #expect(
            same(
                try ScenarioLoader.parse(yaml: LargeViewCase.swarm, file: "case", overrides: LargeViewCase.defaultView),
                try ScenarioLoader.load(path: Self.file, overrides: normalView.overrides)))
        let sixtyPercent = try #require(
            scenario.sweepPoints.first { point in
                point.contains { $0.path == "peers.freeriders.count" && $0.value == "180" }
            })
        #expect(
            same(
                try ScenarioLoader.parse(
                    yaml: LargeViewCase.swarm, file: "case", overrides: LargeViewCase.share(freeRiders: 180)),
                try ScenarioLoader.load(path: Self.file, overrides: sixtyPercent)))
    }
}
