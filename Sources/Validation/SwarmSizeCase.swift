import Scenario
import SimKernel
import Swarm

/// Download speed against swarm size, the measured self-scaling of BitTorrent (Guo et al.,
/// IMC 2005; Pouwelse et al., IPTPS 2005: popular torrents download faster): with the same
/// per-peer bandwidth mix, a bigger swarm has more uploaders and more pieces in play. The
/// size is set by the arrival rate of a steady-state swarm with a slow publisher.
struct SwarmSizeCase: ValidationCase {
    let name = "swarm-size"

    static let fileBytes: Int64 = 20 << 20
    /// Arrivals per second; with 10 minutes of seeding, about 4, 15, 60 and 240 peers online.
    static let rates = [0.005, 0.02, 0.08, 0.32]

    func checks(quick: Bool, runner: ValidationRunner) throws -> [ValidationCheck] {
        let rates = quick ? Array(Self.rates.prefix(2)) : Self.rates
        let duration = SimTime.hours(4)
        var speeds: [[Double]] = []
        for rate in rates {
            let results = try runner.run(Self.scenario(rate, duration: duration), replications: quick ? 3 : 5)
            speeds.append(results.map { Self.meanSpeed($0, from: .minutes(30), to: duration - .minutes(30)) })
        }
        var checks = zip(rates, speeds).compactMap { rate, values in
            ValidationCheck(
                model: name, setting: "λ = \(rate)/s", quantity: "mean download speed (Mbit/s)", expected: nil,
                values: values, rule: .reported)
        }
        checks += [
            ValidationCheck(
                model: name, setting: "λ = \(rates[1])/s vs \(rates[0])/s",
                quantity: "speed gain, same seed (Mbit/s)", expected: 0,
                values: zip(speeds[1], speeds[0]).map { $0 - $1 }, rule: .atLeast(0))
        ].compactMap { $0 }
        return checks
    }

    static func scenario(_ rate: Double, duration: SimTime) -> Scenario {
        .publisherAndCrowd(
            name: "validate-swarm-size", duration: duration, sampleInterval: .seconds(30), fileBytes: fileBytes,
            publisher: .fixed(upBitsPerSecond: 256e3, downBitsPerSecond: 1e6), arrivalsPerSecond: rate,
            crowd: .bharambe2006, seeding: .duration(.exponential(mean: 600)))
    }

    /// File bits over download time, averaged over the leechers that arrived in [from, to]
    /// and completed (the window leaves them time to).
    static func meanSpeed(_ result: RunResult, from: SimTime, to: SimTime) -> Double {
        let speeds = result.peers.filter { !$0.startedWithFile && $0.joined >= from && $0.joined <= to }
            .compactMap { $0.downloadTime.map { Double(fileBytes) * 8 / $0.seconds / 1e6 } }
        return speeds.isEmpty ? .nan : speeds.reduce(0, +) / Double(speeds.count)
    }
}
