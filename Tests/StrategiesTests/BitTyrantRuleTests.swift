import Strategies
import Testing

/// BitTyrant's rule (Piatek et al., NSDI 2007, section 4.2) on small fixtures, as the
/// choker's tests do for tit-for-tat.
@Suite struct BitTyrantRuleTests {
    let rule = BitTyrantRule()
    let capacity = 125_000.0  // 1 Mbit/s

    @Test func thePapersParameters() {
        #expect(rule.gamma == 0.1 && rule.delta == 0.2 && rule.rounds == 3)
    }

    @Test func aNewPeerStartsAtItsEqualSplit() {
        let seen = rule.initial(announcedRate: 50_000, capacity: capacity)
        #expect(seen.download == 10_000 && seen.upload == 10_000)
        // Nothing announced yet: our own equal split.
        #expect(rule.initial(announcedRate: 0, capacity: capacity).upload == 25_000)
        // Never above what we can give.
        #expect(rule.initial(announcedRate: 10_000_000, capacity: capacity).upload == capacity)
    }

    @Test func aPeerThatDoesNotReciprocateIsOfferedMore() {
        let e = BitTyrantRule.Estimate(download: 10_000, upload: 10_000)
        let next = rule.updated(
            e, unchokedUs: false, observedRate: 0, announcedRate: 100_000, weUnchokedIt: true, capacity: capacity)
        #expect(abs(next.upload - 12_000) < 1e-9)
        #expect(next.download == 20_000)
        // A peer we did not unchoke has not been tested: its u_p stays. One that announces
        // nothing is expected to give next to nothing.
        let untested = rule.updated(
            e, unchokedUs: false, observedRate: 0, announcedRate: 0, weUnchokedIt: false, capacity: capacity)
        #expect(untested.upload == 10_000 && untested.download == BitTyrantRule.floor)
    }

    @Test func aPeerThatReciprocatesForThreeRoundsIsOfferedLess() {
        var e = BitTyrantRule.Estimate(download: 10_000, upload: 10_000)
        for round in 1...3 {
            e = rule.updated(
                e, unchokedUs: true, observedRate: 30_000, announcedRate: 0, weUnchokedIt: true, capacity: capacity)
            #expect(e.download == 30_000)
            #expect(e.upload == (round < 3 ? 10_000 : 9_000), "round \(round)")
        }
        #expect(e.roundsReciprocated == 0)
        // One round without reciprocation restarts the count.
        e = rule.updated(
            e, unchokedUs: true, observedRate: 30_000, announcedRate: 0, weUnchokedIt: true, capacity: capacity)
        e = rule.updated(
            e, unchokedUs: false, observedRate: 0, announcedRate: 0, weUnchokedIt: true, capacity: capacity)
        #expect(e.roundsReciprocated == 0)
    }

    @Test func estimatesStayWithinAFloorAndTheCapacity() {
        var e = BitTyrantRule.Estimate(download: 2_000, upload: 110_000)
        e = rule.updated(
            e, unchokedUs: false, observedRate: 0, announcedRate: 0, weUnchokedIt: true, capacity: capacity)
        #expect(e.upload == capacity)
        for _ in 0..<200 {
            e = rule.updated(
                e, unchokedUs: true, observedRate: 0.5, announcedRate: 0, weUnchokedIt: true, capacity: capacity)
        }
        #expect(e.upload == BitTyrantRule.floor && e.download == BitTyrantRule.floor)
    }

    @Test func theActiveSetTakesPeersWhileTheirRatesFit() {
        #expect(rule.activeSetSize(uploads: [50_000, 50_000, 30_000], capacity: capacity) == 2)
        #expect(rule.activeSetSize(uploads: [10_000, 10_000, 10_000, 10_000, 10_000, 10_000], capacity: capacity) == 6)
        // The best peer is unchoked even when it alone needs more than we have.
        #expect(rule.activeSetSize(uploads: [200_000, 1_000], capacity: capacity) == 1)
        #expect(rule.activeSetSize(uploads: [Double](), capacity: capacity) == 0)
    }
}
