import Scenario
import SimKernel
import Testing

@testable import Swarm

@Suite struct LifecycleTests {
    /// The publisher leaves after 60 s and leechers leave on completion: the swarm dies
    /// once the last full copy is gone, and the run goes on to the duration (leechers
    /// without the file stay: nobody gives up unless the scenario says so).
    @Test func aDeadSwarmIsDetectedAndTheRunGoesOnToTheDuration() throws {
        var s = SwarmFixtures.flashCrowd(
            leechers: 30, sizeBytes: 16 << 20, pieceBytes: 256 << 10, seedUp: 1e6, seeding: .duration(.constant(0)))
        s.peers[0].seeding = .duration(.constant(60))
        s.duration = .hours(10)
        let result = try SwarmFixtures.run(s, seed: 2)
        let death = try #require(result.swarmDeath)
        #expect(death >= .seconds(60))
        #expect(!result.aliveAtEnd)
        #expect(result.stopReason == .duration)
        #expect(result.endTime == .hours(10))
        #expect(result.samples.last?.time == .hours(10))
        let stuck = result.peers.filter { !$0.startedWithFile && $0.completed == nil }
        #expect(!stuck.isEmpty && stuck.allSatisfy { $0.left == nil })
        // Available from the start to the death, and never again.
        #expect(result.firstAvailable == .zero)
        #expect(result.availableTime == death)
        let publisher = result.peers[0]
        #expect(publisher.left == .seconds(60))
        #expect(publisher.seeding == .seconds(60))
    }

    /// A second publisher arriving after the death revives the swarm: the lifetime still
    /// ends at the first death, the available time counts both stretches.
    @Test func aLaterSeedRevivesADeadSwarm() throws {
        var s = SwarmFixtures.flashCrowd(
            leechers: 20, sizeBytes: 8 << 20, pieceBytes: 256 << 10, seedUp: 1e6, seeding: .forever)
        s.peers[0].seeding = .duration(.constant(60))
        s.peers.append(
            PeerGroup(
                name: "late-publisher", count: 1, arrival: .at(.hours(1)), hasFile: true,
                bandwidth: .fixed(upBitsPerSecond: 1e6, downBitsPerSecond: 1e6)))
        s.duration = .hours(3)
        let result = try SwarmFixtures.run(s, seed: 2)
        let death = try #require(result.swarmDeath)
        #expect(death < .hours(1))
        #expect(result.aliveAtEnd)
        #expect(result.availableTime == death + .hours(2))
        #expect(result.peers.filter { !$0.startedWithFile }.allSatisfy { $0.completed != nil })
    }

    /// Nobody ever holds the whole file: the swarm counts as dead at 0.
    @Test func aSwarmThatIsNeverAvailableIsDeadAtZero() throws {
        var s = SwarmFixtures.flashCrowd(leechers: 5, sizeBytes: 1 << 20, pieceBytes: 64 << 10)
        s.peers[0].arrival = .at(.hours(5))
        s.duration = .hours(1)
        let result = try SwarmFixtures.run(s, seed: 2)
        #expect(result.firstAvailable == nil && result.swarmDeath == nil)
        #expect(result.availableTime == .zero)
        #expect(result.peers.count == 5)
    }

    @Test func aPermanentSeedKeepsTheSwarmAliveToTheEnd() throws {
        var s = SwarmFixtures.flashCrowd(leechers: 10, sizeBytes: 1 << 20, pieceBytes: 64 << 10)
        s.duration = .minutes(30)
        let result = try SwarmFixtures.run(s, seed: 2)
        #expect(result.swarmDeath == nil)
        #expect(result.aliveAtEnd)
        #expect(result.endTime == .minutes(30))
        #expect(result.samples.last?.time == .minutes(30))
        #expect(result.samples.count == 181)
    }

    @Test func everyoneLeavingEndsTheRunEarly() throws {
        var s = SwarmFixtures.flashCrowd(
            leechers: 10, sizeBytes: 1 << 20, pieceBytes: 64 << 10, seeding: .duration(.constant(5)))
        s.peers[0].seeding = .duration(.constant(600))
        s.duration = .hours(5)
        let result = try SwarmFixtures.run(s, seed: 2)
        #expect(result.stopReason == .empty)
        #expect(result.endTime == .seconds(600))
        #expect(result.peers.allSatisfy { $0.left != nil })
        #expect(result.swarmDeath == .seconds(600))
        for p in result.peers.dropFirst() {
            #expect(p.seeding == .seconds(5))
            #expect(p.left == p.completed.map { $0 + .seconds(5) })
        }
    }

    @Test func abortingPeersLeaveWithoutCompleting() throws {
        var s = SwarmFixtures.flashCrowd(leechers: 20, sizeBytes: 32 << 20, pieceBytes: 256 << 10)
        s.peers[1].abort = .constant(30)
        let result = try SwarmFixtures.run(s, seed: 2)
        let crowd = result.peers.filter { !$0.startedWithFile }
        #expect(crowd.allSatisfy { $0.completed == nil && $0.left == .seconds(30) })
        #expect(crowd.allSatisfy { $0.bytesDown > 0 })
    }

    /// Safety: no peer uploads faster than its uplink or downloads faster than its downlink.
    @Test func peersNeverExceedTheirCapacities() throws {
        let result = try SwarmFixtures.run(DeterminismTests.scenario(), seed: 8)
        for p in result.peers {
            let online = ((p.left ?? result.endTime) - p.joined).seconds
            #expect(Double(p.bytesUp) * 8 <= p.upBitsPerSecond * online)
            #expect(Double(p.bytesDown) * 8 <= p.downBitsPerSecond * online)
        }
    }

    @Test func completedLeechersDownloadedTheWholeFile() throws {
        let s = DeterminismTests.scenario()
        let result = try SwarmFixtures.run(s, seed: 8)
        let done = result.peers.filter { !$0.startedWithFile && $0.completed != nil }
        #expect(!done.isEmpty)
        #expect(done.allSatisfy { $0.bytesDown >= s.torrent.sizeBytes })
        let totalUp = result.peers.map(\.bytesUp).reduce(0, +)
        let totalDown = result.peers.map(\.bytesDown).reduce(0, +)
        #expect(totalUp >= totalDown, "every byte received was sent")
    }
}
