import CGSL
import SimKernel
import Testing

@testable import Storage

/// With hosts that are each online independently with probability p (exponential on and
/// off periods, started in their steady state), no departures and no repair, a file of n
/// shards on n distinct hosts is readable while at least k of them are online, so its
/// readable fraction is the binomial tail Σ_{i≥k} C(n,i) p^i (1−p)^(n−i). The simulated
/// fraction (time average over files, after a warm-up, one value per replication) must
/// contain it in its 95 % interval.
@Suite struct StorageAvailabilityTests {
    static func binomialTail(n: Int, k: Int, p: Double) -> Double {
        (k...n).reduce(0) { $0 + gsl_ran_binomial_pdf(UInt32($1), p, UInt32(n)) }
    }

    static func readableFraction(_ redundancy: Redundancy, onHours: Double, offHours: Double, seed: UInt64) -> Double {
        var s = StorageSettings(
            hosts: [
                HostGroupSpec(
                    name: "h", count: 600, capacityBytes: 1 << 40, price: .constant(1),
                    online: .exponential(mean: onHours * 3600), offline: .exponential(mean: offHours * 3600))
            ],
            renters: [
                RenterGroupSpec(
                    name: "r", count: 1, files: 100, fileSize: .constant(1e6), redundancy: redundancy,
                    contractLength: .hours(60 * 24), budget: .btt(1_000_000))
            ])
        s.repair = false
        let market = StorageMarket(settings: s, seed: seed, sampleInterval: .minutes(10))
        let samples = market.run(until: .hours(30 * 24))
        let steady = samples.filter { $0.time >= .hours(48) }
        #expect(steady.allSatisfy { $0.filesStored == 100 && $0.filesLost == 0 })
        return steady.reduce(0) { $0 + Double($1.filesReadable) / Double($1.filesStored) } / Double(steady.count)
    }

    @Test(arguments: [
        (Redundancy.reedSolomon(data: 10, parity: 20), 4.0, 6.0),
        (Redundancy.replicas(3), 4.0, 6.0),
        (Redundancy.reedSolomon(data: 4, parity: 2), 9.0, 1.0),
    ])
    func readableFractionIsTheBinomialTail(redundancy: Redundancy, onHours: Double, offHours: Double) {
        let p = onHours / (onHours + offHours)
        let expected = Self.binomialTail(n: redundancy.shardCount, k: redundancy.needed, p: p)
        let values = (1...8).map {
            Self.readableFraction(redundancy, onHours: onHours, offHours: offHours, seed: UInt64($0))
        }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot()
        let half = gsl_cdf_tdist_Pinv(0.975, n - 1) * sd / n.squareRoot()
        #expect(
            abs(mean - expected) <= half, "\(redundancy), p = \(p): simulated \(mean) ± \(half), binomial \(expected)")
        #expect(half < 0.02, "the interval must be tight enough to mean something: ± \(half)")
    }
}
