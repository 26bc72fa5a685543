import CGSL
import Scenario
import SimKernel
import Storage

/// BTFS availability against the binomial law: with hosts each online independently with
/// probability p (exponential on and off periods, started in their steady state), no
/// departures and no repair, a file of n shards on n distinct hosts is readable while at
/// least k of its hosts are online, so the time-average readable fraction is
/// Σ_{i≥k} C(n,i) p^i (1−p)^(n−i). The model is exact for this setting; the first two days
/// are left out because uploads place shards on hosts that are online at the time.
struct StorageAvailabilityCase: ValidationCase {
    let name = "storage-availability"

    static let settings: [(label: String, redundancy: Redundancy, onHours: Double, offHours: Double)] = [
        ("RS 10+20, p = 0.4", .reedSolomon(data: 10, parity: 20), 4, 6),
        ("3 replicas, p = 0.4", .replicas(3), 4, 6),
        ("RS 4+2, p = 0.9", .reedSolomon(data: 4, parity: 2), 9, 1),
    ]

    /// The same 8 replications with `quick`: the whole case takes a few seconds.
    func checks(quick: Bool, runner: ValidationRunner) throws -> [ValidationCheck] {
        try Self.settings.compactMap { setting in
            let p = setting.onHours / (setting.onHours + setting.offHours)
            let n = setting.redundancy.shardCount
            let expected = (setting.redundancy.needed...n).reduce(0) {
                $0 + gsl_ran_binomial_pdf(UInt32($1), p, UInt32(n))
            }
            let results = try runner.run(
                Self.scenario(setting.redundancy, onHours: setting.onHours, offHours: setting.offHours),
                replications: 8)
            let values = results.compactMap { result -> Double? in
                let steady = (result.storage?.samples ?? []).filter { $0.time >= .hours(48) && $0.filesStored > 0 }
                guard !steady.isEmpty else { return nil }
                return steady.reduce(0) { $0 + Double($1.filesReadable) / Double($1.filesStored) }
                    / Double(steady.count)
            }
            return ValidationCheck(
                model: name, setting: setting.label, quantity: "readable fraction", expected: expected, values: values,
                rule: .within(relative: 0))
        }
    }

    static func scenario(_ redundancy: Redundancy, onHours: Double, offHours: Double) -> Scenario {
        var storage = StorageSettings(
            hosts: [
                HostGroupSpec(
                    name: "hosts", count: 600, capacityBytes: 1 << 40, price: .constant(1),
                    online: .exponential(mean: onHours * 3600), offline: .exponential(mean: offHours * 3600))
            ],
            renters: [
                RenterGroupSpec(
                    name: "renters", count: 1, files: 100, fileSize: .constant(1e6), redundancy: redundancy,
                    contractLength: .hours(60 * 24), budget: .btt(1_000_000))
            ])
        storage.repair = false
        storage.sampleInterval = .minutes(10)
        return Scenario(
            name: "validate-storage-availability", duration: .hours(30 * 24), torrent: TorrentSpec(sizeBytes: 0),
            peers: [], storage: storage)
    }
}
