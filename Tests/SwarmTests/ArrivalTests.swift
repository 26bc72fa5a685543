import Scenario
import SimKernel
import Testing

@testable import Swarm

@Suite struct ArrivalTests {
    func times(_ arrival: Arrival, count: Int? = nil, seed: UInt64, horizon: SimTime) -> [Double] {
        let group = PeerGroup(
            name: "g", count: count, arrival: arrival, bandwidth: .fixed(upBitsPerSecond: 1, downBitsPerSecond: 1))
        var process = ArrivalProcess(group: group, random: RandomStream(seed: seed))
        var out: [Double] = []
        var next = process.first()
        while let t = next, t <= horizon {
            process.arrived(process.batchSize)
            out.append(contentsOf: repeatElement(t.seconds, count: process.batchSize == 0 ? 1 : 1))
            next = process.next(after: t)
        }
        return out
    }

    @Test func poissonArrivalsHaveTheirRate() {
        // 0.5/s for 10,000 s: 5,000 expected, sd ≈ 71.
        let t = times(.poisson(ratePerSecond: 0.5, until: .seconds(10_000)), seed: 1, horizon: .never)
        #expect(abs(t.count - 5000) < 300)
        #expect(t.last! <= 10_000)
        #expect(zip(t, t.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func poissonArrivalsStopAtTheCap() {
        let t = times(.poisson(ratePerSecond: 2, until: nil), count: 7, seed: 1, horizon: .never)
        #expect(t.count == 7)
    }

    /// Decaying arrivals: the expected total is λ0·τ; half of them come before τ·ln 2.
    @Test func decayingArrivalsFollowTheirIntegratedRate() {
        var counts: [Int] = []
        var early = 0
        for seed in 1...40 {
            let t = times(
                .decaying(initialRatePerSecond: 1, tau: .seconds(100), until: nil), seed: UInt64(seed), horizon: .never)
            counts.append(t.count)
            early += t.filter { $0 < 100 * 0.693_147 }.count
        }
        let mean = Double(counts.reduce(0, +)) / 40
        #expect(abs(mean - 100) < 5)  // Poisson(100) per run: sd of the mean ≈ 1.6
        #expect(abs(Double(early) / Double(counts.reduce(0, +)) - 0.5) < 0.04)
    }

    @Test func atArrivalsComeAsOneBatch() {
        let group = PeerGroup(
            name: "g", count: 12, arrival: .at(.seconds(5)), bandwidth: .fixed(upBitsPerSecond: 1, downBitsPerSecond: 1)
        )
        var process = ArrivalProcess(group: group, random: RandomStream(seed: 1))
        #expect(process.first() == .seconds(5))
        #expect(process.batchSize == 12)
        process.arrived(12)
        #expect(process.next(after: .seconds(5)) == nil)
    }
}
