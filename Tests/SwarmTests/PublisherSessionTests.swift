import Scenario
import SimKernel
import Testing

@testable import Swarm

/// Publishers that come and go (`uptime: {on, off}`; issue 24, point 2): each online
/// session is a peer of its own on the publisher's one host.
@Suite struct PublisherSessionTests {
    /// A publisher online 1 h, offline 3 h, over 12 h; leechers leave on completion.
    static func intermittent(seeding: Seeding = .forever, leechers: Int = 0) -> Scenario {
        var s = SwarmFixtures.flashCrowd(leechers: leechers, sizeBytes: 2 << 20, duration: .hours(12))
        s.sampleInterval = .minutes(10)
        s.peers[0].seeding = seeding
        s.peers[0].uptime = Uptime(on: .constant(3600), off: .constant(3 * 3600))
        s.peers[1].arrival = .poisson(ratePerSecond: 1.0 / 600, until: nil)
        s.peers[1].seeding = .duration(.constant(0))
        return s
    }

    @Test func sessionsAlternateOnAndOffOnOneHost() throws {
        let result = try SwarmFixtures.run(Self.intermittent(), seed: 1)
        let sessions = result.peers.filter { $0.group == "publisher" }
        #expect(sessions.map(\.joined) == [.zero, .hours(4), .hours(8)])
        #expect(sessions.map(\.left) == [.hours(1), .hours(5), .hours(9)])
        #expect(sessions.allSatisfy { $0.seeding == .hours(1) && $0.startedWithFile })
        // Alone, the torrent is available exactly while the publisher is online.
        #expect(result.availableTime == .hours(3))
        #expect(result.swarmDeath == .hours(1))
    }

    /// `seeding: {for: D}` is the publisher's whole life: its sessions stop coming at D,
    /// and the one running then is cut short.
    @Test func theSeedingTimeEndsTheSessions() throws {
        let result = try SwarmFixtures.run(Self.intermittent(seeding: .duration(.constant(4.5 * 3600))), seed: 1)
        let sessions = result.peers.filter { $0.group == "publisher" }
        #expect(sessions.map(\.joined) == [.zero, .hours(4)])
        #expect(sessions.map(\.left) == [.hours(1), .minutes(270)])
    }

    /// Leechers that arrive while it is away wait for it; it serves them when it is back.
    @Test func leechersArrivingWhileItIsAwayCompleteWhenItReturns() throws {
        let result = try SwarmFixtures.run(Self.intermittent(leechers: 200), seed: 2)
        let away = result.peers.filter { $0.group == "crowd" && $0.joined > .minutes(70) && $0.joined < .hours(4) }
        #expect(away.count > 5, "\(away.count) arrived while it was away")
        for p in away {
            let done = try #require(p.completed, "peer \(p.peer) never completed")
            #expect(done >= .hours(4), "peer \(p.peer) completed at \(done) without a publisher")
        }
    }
}
