import SimKernel
import Testing

@testable import BitTorrent

/// The timer rule both drivers follow (`TorrentClient.timerFired`, docs/architecture.md):
/// the driver hands back the deadline it armed, with a `now` at or after it. Live's event
/// loop fires late by however long it takes; until this rule, the client acted only when
/// `now` equalled the deadline to the nanosecond, so over TCP no timer ever acted.
@Suite struct TimerRuleTests {
    /// Counts the rechoke rounds the client tells its strategy about (where Speed re-bids).
    final class RoundCounter: PeerStrategy {
        var rounds: [SimTime] = []
        func roundStarted(client: TorrentClient, now: SimTime, out: inout [ClientAction]) { rounds.append(now) }
    }

    /// A driver like a real event loop: each timer fires some time after its deadline
    /// (drawn from a seeded stream, up to `maxLateness`), with the deadline handed back.
    /// Replaced deadlines are not cancelled, so stale firings reach the client too.
    struct LateDriver {
        let client: TorrentClient
        var pending: [(timer: ClientTimer, deadline: SimTime)] = []
        var random = SeededGenerator(seed: 18)
        let maxLateness: SimTime
        /// What happened, in order: each timer that acted, with its deadline and `now`.
        var acted: [(timer: ClientTimer, deadline: SimTime, now: SimTime)] = []
        var staleFirings = 0
        var mostUnchoked = 0
        var unchokedEver: Set<ConnectionID> = []

        init(client: TorrentClient, maxLateness: SimTime) {
            self.client = client
            self.maxLateness = maxLateness
        }

        mutating func take(_ out: [ClientAction]) {
            for case .setTimer(let timer, let at) in out { pending.append((timer, at)) }
            let unchoked = client.connectionIDs.filter { client.session($0)?.amChoking == false }
            mostUnchoked = max(mostUnchoked, unchoked.count)
            unchokedEver.formUnion(unchoked)
        }

        /// Fires every timer whose deadline is at most `end`, earliest deadline first.
        mutating func run(until end: SimTime) {
            var steps = 0
            while steps < 10_000, let i = pending.indices.min(by: { pending[$0].deadline < pending[$1].deadline }),
                pending[i].deadline <= end
            {
                steps += 1
                let (timer, deadline) = pending.remove(at: i)
                let late = Int64.random(in: 1...maxLateness.nanoseconds, using: &random)
                let now = deadline + SimTime(nanoseconds: late)
                var out: [ClientAction] = []
                if client.timerFired(timer, deadline: deadline, now: now, out: &out) {
                    acted.append((timer, deadline, now))
                } else {
                    staleFirings += 1
                }
                take(out)
            }
        }

        func deadlines(of timer: ClientTimer) -> [SimTime] { acted.filter { $0.timer == timer }.map(\.deadline) }
    }

    /// A seed with `leechers` interested peers that hold nothing.
    static func seedWithLeechers(_ leechers: Int, strategy: any PeerStrategy = TitForTat()) -> (
        TorrentClient, [ClientAction]
    ) {
        let layout = PieceLayout(totalLength: 64 * 16_384, pieceLength: 16_384)
        let client = testClient(layout: layout, seed: true, random: RandomStream(seed: 5), strategy: strategy)
        var out: [ClientAction] = []
        client.start(now: .zero, out: &out)
        for k in 0..<leechers {
            let address = PeerAddress(ipv4: 100 + UInt32(k), port: 1)
            let id = client.openConnection(to: address, outgoing: false, now: .zero, out: &out)!
            client.received(
                Handshake(infoHash: client.config.infoHash, peerID: PeerID(azureusStyle: 100 + UInt64(k))), on: id,
                now: .zero, out: &out)
            client.received(.interested, on: id, now: .zero, out: &out)
        }
        return (client, out)
    }

    @Test func aLateDriverGetsEveryRoundOnItsDeadline() {
        let settings = ProtocolSettings()
        let counter = RoundCounter()
        let (client, out) = Self.seedWithLeechers(settings.unchokeSlots + 4, strategy: counter)
        var driver = LateDriver(client: client, maxLateness: .milliseconds(900))
        driver.take(out)
        #expect(driver.mostUnchoked == settings.unchokeSlots)
        driver.run(until: .seconds(100))

        // Ten rounds, each on its own deadline k × 10 s: lateness does not accumulate.
        let rounds = driver.deadlines(of: .rechoke)
        #expect(rounds == (1...10).map { SimTime.seconds(Double($0) * settings.rechokeInterval.seconds) })
        #expect(driver.deadlines(of: .optimisticUnchoke) == [.seconds(30), .seconds(60), .seconds(90)])
        // The strategy heard of every round, at the late time it really ran.
        #expect(counter.rounds == driver.acted.filter { $0.timer == .rechoke }.map(\.now))
        #expect(counter.rounds.allSatisfy { round in !rounds.contains(round) })
        // Optimistic unchokes reached peers the first regular slots did not, and never
        // more than one at a time.
        #expect(driver.unchokedEver.count > settings.unchokeSlots + 1)
        #expect(driver.mostUnchoked == settings.unchokeSlots + 1)
    }

    @Test func anEarlyFiringActsNotAndAsksForTheSameDeadline() {
        let (client, _) = Self.seedWithLeechers(2)
        var out: [ClientAction] = []
        let deadline = ProtocolSettings().rechokeInterval
        #expect(!client.timerFired(.rechoke, deadline: deadline, now: deadline - .milliseconds(1), out: &out))
        #expect(out.count == 1)
        guard case .setTimer(.rechoke, let at) = out.first else {
            Issue.record("expected the rechoke timer to be asked for again, got \(out)")
            return
        }
        #expect(at == deadline)
        out = []
        #expect(client.timerFired(.rechoke, deadline: deadline, now: deadline, out: &out))
    }

    @Test func aReplacedDeadlineIsStaleEvenWhenItsTimeHasCome() {
        var out: [ClientAction] = []
        let client = testClient(layout: PieceLayout(totalLength: 65_536, pieceLength: 65_536))
        client.start(now: .zero, out: &out)
        // Nobody to connect to: the announce timer is re-armed to the earliest retry.
        client.trackerResponded(AnnounceResponse(peers: [], complete: 0, incomplete: 0), now: .seconds(1), out: &out)
        let retry = ProtocolSettings().minAnnounceInterval
        out = []
        // The first deadline (30 min) comes, late, after the retry replaced it ...
        #expect(!client.timerFired(.announce, deadline: ProtocolSettings().announceInterval, now: .hours(1), out: &out))
        #expect(out.isEmpty)
        // ... and the retry still acts once, however late.
        #expect(client.timerFired(.announce, deadline: retry, now: retry + .seconds(7), out: &out))
        #expect(!client.timerFired(.announce, deadline: retry, now: retry + .seconds(8), out: &out))
    }

    @Test func aDriverLateByMoreThanAPeriodSkipsTheMissedRounds() {
        let (client, _) = Self.seedWithLeechers(2)
        let period = ProtocolSettings().rechokeInterval
        var out: [ClientAction] = []
        let now = period + .seconds(25)
        #expect(client.timerFired(.rechoke, deadline: period, now: now, out: &out))
        let next = out.compactMap { if case .setTimer(.rechoke, let at) = $0 { at } else { nil } }
        #expect(next == [now + period])
    }
}
