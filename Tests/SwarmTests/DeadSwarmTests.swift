import Scenario
import SimKernel
import Testing

@testable import Swarm

/// A swarm that dies early still records everyone who comes: runs go on to `duration`,
/// so a death does not hide the arrivals after it, and variants keep the same arrivals.
/// (Until runs went on, a death ended the run: with Poisson arrivals at 40/h for 6 h,
/// runs reported 12–80 peers, and a swarm that died earlier could show a better
/// completion ratio.)
@Suite struct DeadSwarmTests {
    /// Scenarios/dying-swarm.yaml in code: the publisher seeds for `publisherSeeding`, a
    /// crowd arrives at 40/h for 6 h and seeds two minutes on average.
    static func dying(publisherSeeding: SimTime = .minutes(30)) -> Scenario {
        var s = SwarmFixtures.flashCrowd(leechers: 0, sizeBytes: 5 << 20, pieceBytes: 256 << 10)
        s.duration = .hours(6)
        s.sampleInterval = .minutes(1)
        s.peers[0].seeding = .duration(.constant(publisherSeeding.seconds))
        s.peers[1].count = nil
        s.peers[1].arrival = .poisson(ratePerSecond: 40.0 / 3600, until: .hours(6))
        s.peers[1].seeding = .duration(.exponential(mean: 120))
        return s
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func everyArrivalIsRecordedAfterTheSwarmDies(seed: UInt64) throws {
        let result = try SwarmFixtures.run(Self.dying(), seed: seed)
        let death = try #require(result.swarmDeath, "the swarm must die for this test to mean anything")
        #expect(death < .hours(1))
        let crowd = result.peers.filter { $0.group == "crowd" }
        // 240 expected; 4 standard deviations (√240 ≈ 15.5) either side.
        #expect(crowd.count >= 178 && crowd.count <= 302, "\(crowd.count) arrivals")
        #expect(crowd.contains { $0.joined > .hours(5) })
        #expect(result.samples.count == 361)
    }

    /// Common random numbers: a variant that changes only the publisher leaves the crowd's
    /// arrival times exactly as they were, although its swarm dies at another time.
    @Test func aVariantOfThePublisherKeepsTheCrowdsArrivals() throws {
        let short = try SwarmFixtures.run(Self.dying(publisherSeeding: .minutes(30)), seed: 4)
        let long = try SwarmFixtures.run(Self.dying(publisherSeeding: .minutes(45)), seed: 4)
        #expect(short.swarmDeath != long.swarmDeath)
        let joined = { (r: RunResult) in r.peers.filter { $0.group == "crowd" }.map(\.joined) }
        #expect(!joined(short).isEmpty)
        #expect(joined(short) == joined(long))
    }

    /// Skipping the protocol timers while no leecher is online and none will come (a
    /// swarm of seeds waiting for the duration) changes nothing but the event count.
    @Test func skippingIdleTimersChangesNoOutput() throws {
        var s = SwarmFixtures.flashCrowd(leechers: 12, sizeBytes: 2 << 20, pieceBytes: 256 << 10)
        s.duration = .hours(2)
        let skipping = try Simulation(scenario: s, seed: 5)
        let working = try Simulation(scenario: s, seed: 5)
        working.skipsIdleTimers = false
        let a = skipping.run()
        let b = working.run()
        #expect(a.peers == b.peers)
        #expect(a.samples == b.samples)
        #expect(a.swarmDeath == b.swarmDeath && a.availableTime == b.availableTime)
        #expect(a.events < b.events, "the skip must have skipped something")
    }
}

/// Times drawn from a long tail (a lognormal with a large sigma, say) can be past the end
/// of time; they must mean "never", not a time that wraps round into the past.
@Suite struct LongTailTimeTests {
    @Test func seedingAndAbortTimesPastTheEndOfTimeMeanNever() throws {
        var s = SwarmFixtures.flashCrowd(leechers: 5, seeding: .duration(.constant(1e300)), duration: .hours(1))
        s.peers[1].abort = .constant(1e300)
        s.peers[0].seeding = .duration(.constant(1e300))
        s.sampleInterval = .minutes(10)
        let result = try SwarmFixtures.run(s, seed: 1)
        #expect(result.stopReason == .duration && result.endTime == .hours(1))
        #expect(result.peers.count == 6 && result.peers.allSatisfy { $0.left == nil })
        #expect(result.peers.filter { !$0.startedWithFile }.allSatisfy { $0.completed != nil })
        #expect(result.samples.map(\.time) == (0...6).map { SimTime.minutes(Double($0 * 10)) })
    }

    /// A sample interval longer than time itself: one sample, at 0.
    @Test func aSampleIntervalPastTheEndOfTimeGivesOneSample() throws {
        var s = SwarmFixtures.flashCrowd(leechers: 2, duration: .minutes(30))
        s.sampleInterval = .seconds(1e300)
        let result = try SwarmFixtures.run(s, seed: 1)
        #expect(result.samples.map(\.time) == [.zero])
    }
}
