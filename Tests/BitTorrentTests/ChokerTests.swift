import SimKernel
import Testing

@testable import BitTorrent

@Suite struct ChokerTests {
    func candidate(_ slot: Int32, rate: Double, snubbing: Bool = false, new: Bool = false) -> ChokeCandidate {
        ChokeCandidate(
            connection: ConnectionID(slot), rateBytesPerSecond: rate, isSnubbing: snubbing, isNew: new,
            tieBreak: UInt32(slot))
    }

    @Test func fastestPeersGetTheRegularSlots() {
        var c = [10.0, 50, 20, 80, 5, 60].enumerated().map { candidate(Int32($0.offset), rate: $0.element) }
        let n = Choker.rankRegular(&c, slots: 4)
        #expect(n == 4)
        #expect(Set(c.prefix(n).map(\.connection.slot)) == [1, 3, 5, 2])
    }

    @Test func aSnubbingPeerGetsNoRegularSlotHoweverFastItWas() {
        var c = [candidate(0, rate: 1000, snubbing: true), candidate(1, rate: 1), candidate(2, rate: 2)]
        let n = Choker.rankRegular(&c, slots: 4)
        #expect(n == 2)
        #expect(!c.prefix(n).contains { $0.connection.slot == 0 })
    }

    @Test func equalRatesAreOrderedByTheTieBreak() {
        var c = [
            ChokeCandidate(
                connection: ConnectionID(0), rateBytesPerSecond: 0, isSnubbing: false, isNew: false, tieBreak: 9),
            ChokeCandidate(
                connection: ConnectionID(1), rateBytesPerSecond: 0, isSnubbing: false, isNew: false, tieBreak: 3),
        ]
        #expect(Choker.rankRegular(&c, slots: 1) == 1)
        #expect(c[0].connection.slot == 1)
    }

    @Test func newPeersAreThreeTimesAsLikelyToBeOptimisticallyUnchoked() {
        let c = [candidate(0, rate: 0, new: true), candidate(1, rate: 0), candidate(2, rate: 0)]
        let rng = RandomStream(seed: 5)
        var newPicked = 0
        let trials = 20_000
        for _ in 0..<trials where Choker.pickOptimistic(c, random: rng)?.slot == 0 { newPicked += 1 }
        // Weights 3:1:1 → the new peer wins 60 % of the time.
        let share = Double(newPicked) / Double(trials)
        #expect(abs(share - 0.6) < 0.02)
    }

    @Test func noCandidateNoOptimisticUnchoke() {
        #expect(Choker.pickOptimistic([ChokeCandidate](), random: RandomStream(seed: 1)) == nil)
    }
}
