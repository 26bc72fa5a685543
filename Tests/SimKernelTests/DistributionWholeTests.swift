import Testing

@testable import SimKernel

/// Whole numbers drawn from a distribution stay within their range, whatever the tail.
@Suite struct DistributionWholeTests {
    @Test func drawsOutsideTheRangeTakeTheNearerEnd() {
        let range: ClosedRange<Int64> = 1...1_000
        #expect(Distribution.whole(1e300, within: range) == 1_000)
        #expect(Distribution.whole(.infinity, within: range) == 1_000)
        #expect(Distribution.whole(-.infinity, within: range) == 1)
        #expect(Distribution.whole(.nan, within: range) == 1)
        #expect(Distribution.whole(999.6, within: range) == 1_000)
        #expect(Distribution.whole(12.4, within: range) == 12)
        #expect(Distribution.whole(0.7, within: range) == 1)
        let huge: ClosedRange<Int64> = 0...Int64.max
        #expect(Distribution.whole(9.3e18, within: huge) == Int64.max)
    }

    @Test func aLognormalTailCannotOverflowAFileSize() {
        let stream = RandomStream(seed: 3)
        let wild = Distribution.lognormal(mu: 700, sigma: 1, scale: 1)  // e^700 ≈ 1e304
        for _ in 0..<100 { #expect(wild.sampleWhole(stream, within: 1...(1 << 50)) == 1 << 50) }
    }
}
