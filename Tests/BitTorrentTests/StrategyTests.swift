import ClientHarness
import SimKernel
import Testing

@testable import BitTorrent

/// The strategies that differ from plain BitTorrent only in who gets upload slots: a
/// free-rider over the two-client harness, PropShare's draw on a real client.
@Suite struct StrategyTests {
    /// Every message that crossed the link, with its sender.
    final class Log {
        var sent: [(fromA: Bool, message: WireMessage)] = []
        func count(fromA: Bool, _ message: WireMessage) -> Int {
            sent.filter { $0.fromA == fromA && $0.message == message }.count
        }
    }

    /// Runs `pair` to quiet, then fires A's rechoke and optimistic-unchoke timers once each,
    /// so that every way A could unchoke B has had its chance.
    static func runWithTimers(_ pair: ClientPair) -> Log {
        let log = Log()
        pair.intercept = { fromA, message in
            log.sent.append((fromA, message))
            return message
        }
        pair.connectAndRun()
        let settings = ProtocolSettings()
        pair.fire(.rechoke, onA: true, at: settings.rechokeInterval)
        pair.fire(.optimisticUnchoke, onA: true, at: settings.optimisticInterval)
        return log
    }

    // MARK: free-rider

    @Test func aFreeRiderSeedNeverUnchokes() {
        let pair = ClientPair(aStrategy: FreeRider())
        let log = Self.runWithTimers(pair)
        // B wanted the data all along: A had someone to unchoke and did not.
        #expect(log.count(fromA: false, .interested) == 1)
        #expect(log.count(fromA: true, .unchoke) == 0)
        #expect(pair.b.bytesDownloaded == 0)
        #expect(pair.a.bytesUploaded == 0)
        #expect(pair.a.session(pair.aConn!)?.slot == UploadSlot.none)
    }

    @Test func theSameRunWithATitForTatSeedUnchokesAndUploads() {
        // The control for the test above: the harness and the log do see an unchoke.
        let pair = ClientPair()
        let log = Self.runWithTimers(pair)
        #expect(log.count(fromA: true, .unchoke) == 1)
        #expect(pair.b.bytesDownloaded == ClientPair.layout.totalLength)
    }

    @Test func aFreeRiderLeecherStillDownloadsEverythingFromATitForTatSeed() {
        let pair = ClientPair(bStrategy: FreeRider())
        let log = Log()
        pair.intercept = { fromA, message in
            log.sent.append((fromA, message))
            return message
        }
        pair.connectAndRun()
        #expect(pair.b.isSeed)
        #expect(pair.b.bytesDownloaded == ClientPair.layout.totalLength)
        #expect(pair.a.bytesUploaded == ClientPair.layout.totalLength)
        #expect(pair.b.wastedBytes == 0)
        // The free-rider took everything and gave nothing.
        #expect(log.count(fromA: false, .unchoke) == 0)
        #expect(pair.b.bytesUploaded == 0)
    }

    // MARK: PropShare

    static func client(seed: Bool, random: RandomStream) -> TorrentClient {
        testClient(layout: ClientPair.layout, seed: seed, random: random, strategy: PropShare())
    }

    static func candidate(_ slot: Int32, rate: Double, snubbing: Bool = false) -> ChokeCandidate {
        ChokeCandidate(
            connection: ConnectionID(slot), rateBytesPerSecond: rate, isSnubbing: snubbing, isNew: false,
            tieBreak: UInt32(slot))
    }

    /// Ranks `candidates` with the client's strategy; returns the winners' slots and
    /// checks that the ranking kept every candidate exactly once.
    static func winners(_ candidates: [ChokeCandidate], slots: Int, client: TorrentClient) -> [Int32] {
        var ranked = candidates
        var out: [ClientAction] = []
        let n = client.strategy.rankRegular(&ranked, slots: slots, client: client, now: .seconds(10), out: &out)
        #expect(ranked.map(\.connection.slot).sorted() == candidates.map(\.connection.slot).sorted())
        #expect(out.isEmpty, "ranking sends nothing")
        return ranked.prefix(n).map(\.connection.slot)
    }

    /// Draws the regular slots once per trial, each trial from a fresh seed; returns how
    /// often each slot won.
    static func winCounts(_ candidates: [ChokeCandidate], slots: Int, trials: Int) -> [Int32: Int] {
        let random = RandomStream(seed: 0)
        let client = client(seed: false, random: random)
        var wins: [Int32: Int] = [:]
        for trial in 0..<trials {
            random.reseed(UInt64(trial))
            for slot in winners(candidates, slots: slots, client: client) { wins[slot, default: 0] += 1 }
        }
        return wins
    }

    @Test func peersThatGaveNothingNeverGetARegularSlot() {
        let c = [
            Self.candidate(0, rate: 0), Self.candidate(1, rate: 5), Self.candidate(2, rate: 0),
            Self.candidate(3, rate: 7),
        ]
        let wins = Self.winCounts(c, slots: 4, trials: 500)
        #expect(wins[0] == nil && wins[2] == nil)
        #expect(wins[1] == 500 && wins[3] == 500)
        let nobodyGave = [Self.candidate(0, rate: 0), Self.candidate(1, rate: 0)]
        #expect(Self.winCounts(nobodyGave, slots: 4, trials: 100).isEmpty)
    }

    @Test func aSlotGoesToAContributorInProportionToWhatItGave() {
        // Weights 1 : 1000 → the light peer wins 1/1001 of the draws: about 20 of 20,000
        // (standard deviation 4.5). At least one and at most 60 is safe for any seed, and
        // fails for a draw that ignores the light peer or weighs it even twice too much.
        let trials = 20_000
        let wins = Self.winCounts(
            [Self.candidate(0, rate: 1), Self.candidate(1, rate: 1000)], slots: 1, trials: trials)
        let light = wins[0, default: 0]
        #expect(light >= 1)
        #expect(light <= 60)
        #expect(light + wins[1, default: 0] == trials, "one winner per draw")
    }

    @Test func aModerateContributorWinsItsShare() {
        // Weights 1 : 3 → 25 %; 4,000 draws give a standard deviation of 0.7 points.
        let trials = 4_000
        let wins = Self.winCounts([Self.candidate(0, rate: 1), Self.candidate(1, rate: 3)], slots: 1, trials: trials)
        let share = Double(wins[0, default: 0]) / Double(trials)
        #expect(abs(share - 0.25) < 0.035)
    }

    @Test(arguments: 0...5)
    func winnersAreAsManyAsSlotsOrContributorsAndDistinct(slots: Int) {
        let c = [
            Self.candidate(0, rate: 0), Self.candidate(1, rate: 10), Self.candidate(2, rate: 1),
            Self.candidate(3, rate: 0), Self.candidate(4, rate: 300),
        ]
        let random = RandomStream(seed: 0)
        let client = Self.client(seed: false, random: random)
        for trial in 0..<200 {
            random.reseed(UInt64(trial))
            let won = Self.winners(c, slots: slots, client: client)
            #expect(won.count == min(slots, 3))
            #expect(Set(won).count == won.count, "drawn without replacement")
            #expect(Set(won).isSubset(of: [1, 2, 4]))
        }
    }

    @Test func aSnubbingContributorGetsNoRegularSlotHoweverMuchItGave() {
        let c = [Self.candidate(0, rate: 1000, snubbing: true), Self.candidate(1, rate: 1)]
        let wins = Self.winCounts(c, slots: 2, trials: 500)
        #expect(wins[0] == nil)
        #expect(wins[1] == 500)
    }

    @Test func aSeedRanksLikePlainBitTorrent() {
        let c = [10.0, 0, 50, 20, 0, 80].enumerated().map { Self.candidate(Int32($0.offset), rate: $0.element) }
        var expected = c
        let n = Choker.rankRegular(&expected, slots: 4)
        let random = RandomStream(seed: 0)
        let seed = Self.client(seed: true, random: random)
        for trial in 0..<20 {
            random.reseed(UInt64(trial))
            #expect(Self.winners(c, slots: 4, client: seed) == expected.prefix(n).map(\.connection.slot))
        }
        // Fastest first; with one slot more than contributors a seed also serves a peer
        // that gave nothing, which a leecher never does.
        #expect(expected.prefix(n).map(\.connection.slot) == [5, 2, 3, 0])
        #expect(Self.winners(c, slots: 5, client: seed).count == 5)
        #expect(Self.winners(c, slots: 5, client: Self.client(seed: false, random: random)).count == 4)
    }
}
