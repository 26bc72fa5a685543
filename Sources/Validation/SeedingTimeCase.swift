import CGSL
import Foundation
import Scenario
import SimKernel
import Swarm

/// Seeding times drawn from the lognormal fit to Pouwelse et al.'s measurements ("The
/// BitTorrent P2P file-sharing system: measurements and analysis", IPTPS 2005): μ = −2.41,
/// σ = 2.52 with times in hours, which puts about 17 % of seeders above 1 h and 3 % above
/// 10 h. The check is end to end: peers download, seed for their drawn time and leave, and
/// the fractions come from the peers' recorded seeding times.
struct SeedingTimeCase: ValidationCase {
    let name = "seeding-time"

    static let mu = -2.41
    static let sigma = 2.52

    /// P(seeding > hours) under the fit.
    static func tail(hours: Double) -> Double { gsl_cdf_ugaussian_Q((log(hours) - mu) / sigma) }

    func checks(quick: Bool, runner: ValidationRunner) throws -> [ValidationCheck] {
        let results = try runner.run(Self.scenario, replications: quick ? 3 : 5)
        return [1.0, 10.0].compactMap { hours in
            let fractions = results.map { result -> Double in
                let seeders = result.peers.filter { !$0.startedWithFile && $0.completed != nil }
                let above = seeders.filter { $0.seeding.seconds > hours * 3600 }
                return Double(above.count) / Double(max(1, seeders.count))
            }
            return ValidationCheck(
                model: name, setting: "Pouwelse lognormal", quantity: "fraction seeding > \(Int(hours)) h",
                expected: Self.tail(hours: hours), values: fractions, rule: .within(relative: 0))
        }
    }

    /// Arrivals for an hour, then eleven more hours for seeders to leave: a peer
    /// still seeding at the end has seeded over 10 h, so no fraction is censored.
    static let scenario = Scenario.publisherAndCrowd(
        name: "validate-seeding-time", duration: .hours(12), sampleInterval: .minutes(1), fileBytes: 1 << 20,
        publisher: .fixed(upBitsPerSecond: 10e6, downBitsPerSecond: 10e6), arrivalsPerSecond: 0.5,
        arrivalsUntil: .hours(1), crowd: .fixed(upBitsPerSecond: 1e6, downBitsPerSecond: 8e6),
        seeding: .duration(.lognormal(mu: mu, sigma: sigma, scale: 3600)))
}
