import Scenario
import SimKernel
import Swarm
import Testing

@testable import Experiments
@testable import Reports

/// The lifetime columns of summary.csv for the three kinds of swarm: one that dies, one
/// that survives to the horizon, one that never holds a full copy.
@Suite struct LifetimeSummaryTests {
    static func summary(publisherArrives: SimTime, publisherSeeds: Seeding) throws -> RunSummary {
        var s = ResultTablesTests.scenario
        s.peers[0].arrival = .at(publisherArrives)
        s.peers[0].seeding = publisherSeeds
        let experiment = try Experiment(kind: .run, scenario: s, replications: 1, masterSeed: 3)
        let output = try ExperimentRunner.execute(experiment.runs, of: experiment, jobs: 1)[0].output
        return RunSummary(output.result)
    }

    @Test func aSwarmThatDiesHasItsFirstDeathAsLifetime() throws {
        // Everyone leaves soon after: the last full copy goes with the last seed.
        let s = try Self.summary(publisherArrives: .zero, publisherSeeds: .duration(.constant(300)))
        let lifetime = try #require(s.lifetime)
        #expect(lifetime >= 300 && lifetime < 20 * 60)
        #expect(s.survived == false)
        #expect(s.lifetimeCapped == lifetime)
        #expect(s.availableFraction == lifetime / (20 * 60))
    }

    @Test func aSurvivingSwarmIsCensoredAtTheHorizon() throws {
        let s = try Self.summary(publisherArrives: .zero, publisherSeeds: .forever)
        #expect(s.lifetime == nil)
        #expect(s.survived == true)
        #expect(s.lifetimeCapped == 1200.0)
        #expect(s.availableFraction == 1)
    }

    @Test func aSwarmWithoutAFullCopyIsDeadAtZero() throws {
        let s = try Self.summary(publisherArrives: .hours(1), publisherSeeds: .forever)
        #expect(s.lifetime == 0 && s.lifetimeCapped == 0)
        #expect(s.survived == false)
        #expect(s.availableFraction == 0)
        #expect(s.completed == 0 && s.peers == 8)
    }
}
