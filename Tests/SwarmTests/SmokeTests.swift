import Scenario
import SimKernel
import Testing

@testable import Swarm

@Suite struct SmokeTests {
    @Test func everyoneCompletesInASmallFlashCrowd() {
        let result = Simulation(scenario: SwarmFixtures.flashCrowd(leechers: 20), seed: 1).run()
        let leechers = result.peers.filter { !$0.startedWithFile }
        #expect(leechers.count == 20)
        #expect(leechers.allSatisfy { $0.completed != nil })
        print("last finish", leechers.compactMap(\.completed).max()!, "events", result.events, result.stopReason)
    }
}
