import Testing

@testable import SimKernel

@Suite struct RandomTests {
    @Test func sameSeedSameStreamDifferentSeedDifferentStream() {
        let a = RandomStream(seed: 42)
        let b = RandomStream(seed: 42)
        let c = RandomStream(seed: 43)
        let xa = (0..<100).map { _ in a.uniform() }
        let xb = (0..<100).map { _ in b.uniform() }
        let xc = (0..<100).map { _ in c.uniform() }
        #expect(xa == xb)
        #expect(xa != xc)
        a.reseed(42)
        #expect((0..<100).map { _ in a.uniform() } == xa)
    }

    @Test func derivedSeedsDependOnEveryKeyPart() {
        let base = SeedDerivation.seed(master: 1, purpose: .latency, 2, 3)
        #expect(base == SeedDerivation.seed(master: 1, purpose: .latency, 2, 3))
        #expect(base != SeedDerivation.seed(master: 2, purpose: .latency, 2, 3))
        #expect(base != SeedDerivation.seed(master: 1, purpose: .seeding, 2, 3))
        #expect(base != SeedDerivation.seed(master: 1, purpose: .latency, 3, 2))
        #expect(SeedDerivation.replicationSeed(master: 99, run: 1) == 99)
        #expect(SeedDerivation.replicationSeed(master: 99, run: 2) != 99)
    }

    /// 30,000 per-peer streams must not collide (taus2 seeded through its full state).
    @Test func perPeerStreamsDoNotCollide() {
        var firsts = Set<UInt64>()
        let r = RandomStream(seed: 0)
        for peer in 0..<30_000 {
            r.reseed(SeedDerivation.seed(master: 7, purpose: .peerBehaviour, 0, UInt64(peer)))
            firsts.insert(UInt64(r.uniform() * 0x1p52) << 12 ^ UInt64(r.integer(below: 4096)))
        }
        #expect(firsts.count == 30_000)
    }

    @Test(arguments: [
        Distribution.exponential(mean: 2),
        .uniform(min: 1, max: 3),
        .lognormal(mu: -2.41, sigma: 2.52, scale: 3600),
        .weibull(scale: 288, shape: 0.63),
        .constant(5),
        .empirical([1, 2, 3, 10]),
    ])
    func sampleMeansMatchTheDistributionMean(_ d: Distribution) {
        let r = RandomStream(seed: 5)
        let n = 200_000
        var sum = 0.0
        var sumSq = 0.0
        for _ in 0..<n {
            let x = d.sample(r)
            sum += x
            sumSq += x * x
        }
        let mean = sum / Double(n)
        let sd = (sumSq / Double(n) - mean * mean).squareRoot()
        // Within 5 standard errors (the lognormal's heavy tail needs the margin).
        #expect(abs(mean - d.mean) <= 5 * sd / Double(n).squareRoot() + 1e-12)
    }

    /// Pouwelse et al.'s seeding-time fit: about 17 % of sessions last over an hour and
    /// about 3 % over ten hours.
    @Test func lognormalSeedingFitReproducesMeasuredTails() {
        let d = Distribution.lognormal(mu: -2.41, sigma: 2.52, scale: 3600)
        let r = RandomStream(seed: 9)
        let draws = (0..<100_000).map { _ in d.sample(r) }
        let overHour = Double(draws.filter { $0 > 3600 }.count) / 1e5
        let overTen = Double(draws.filter { $0 > 36_000 }.count) / 1e5
        #expect(abs(overHour - 0.17) < 0.01)
        #expect(abs(overTen - 0.03) < 0.006)
    }

    @Test func transmissionTimeRoundsUp() {
        #expect(SimTime.transmission(bytes: 1, bitsPerSecond: 3).nanoseconds == 2_666_666_667)
        #expect(SimTime.transmission(bytes: 16_397, bitsPerSecond: 1e6) == SimTime(nanoseconds: 131_176_000))
        #expect(SimTime.seconds(1.5) == SimTime(nanoseconds: 1_500_000_000))
    }
}
