import Scenario
import SimKernel
import Swarm

/// The missing-piece syndrome (Hajek & Zhu, "The missing piece syndrome in peer-to-peer
/// communication", ISIT 2010 / Stochastic Systems 2011): with one fixed seed uploading
/// U_s pieces per second and peers that leave as soon as they complete, the swarm is
/// stable when the arrival rate λ < U_s and unstable when λ > U_s: above the threshold a "one club" of peers missing the same single piece
/// grows without bound, roughly linearly at λ − U_s.
struct MissingPieceCase: ValidationCase {
    let name = "missing-piece"

    static let pieceBytes = 256 << 10
    static let pieces = 16
    static let seedUp = 1e6
    /// U_s: the seed's upload in pieces per second (0.477/s).
    static var seedPieceRate: Double { seedUp / Double(pieceBytes * 8) }

    /// λ below and above the threshold.
    static let rates = [0.2, 1.0]

    func checks(quick: Bool, runner: ValidationRunner) throws -> [ValidationCheck] {
        let duration = quick ? SimTime.minutes(40) : .hours(1)
        var checks: [ValidationCheck] = []
        for lambda in Self.rates {
            let above = lambda > Self.seedPieceRate
            let label = "λ = \(lambda)/s \(above ? ">" : "<") U_s = 0.477/s"
            let results = try runner.run(Self.scenario(lambda, duration: duration), replications: quick ? 2 : 5)
            let staying = results.map { Self.growthRate($0) / lambda }
            let club = results.map(Self.oneClubShare)
            checks += [
                ValidationCheck(
                    model: name, setting: label, quantity: "leecher growth / λ",
                    expected: above ? 1 - Self.seedPieceRate / lambda : 0,
                    values: staying, rule: above ? .atLeast(0.25) : .atMost(0.05)),
                ValidationCheck(
                    model: name, setting: label, quantity: "share of leechers missing one piece, at end",
                    expected: nil, values: club, rule: above ? .atLeast(0.5) : .reported),
            ].compactMap { $0 }
        }
        return checks
    }

    static func scenario(_ lambda: Double, duration: SimTime) -> Scenario {
        Scenario(
            name: "validate-missing-piece", duration: duration, sampleInterval: .seconds(30),
            torrent: TorrentSpec(sizeBytes: Int64(pieces * pieceBytes), pieceSizeBytes: pieceBytes),
            peers: [
                PeerGroup(
                    name: "seed", count: 1, arrival: .at(.zero), hasFile: true,
                    bandwidth: .fixed(upBitsPerSecond: seedUp, downBitsPerSecond: seedUp)),
                PeerGroup(
                    name: "crowd", count: nil, arrival: .poisson(ratePerSecond: lambda, until: nil),
                    bandwidth: .fixed(upBitsPerSecond: 1e6, downBitsPerSecond: 4e6), seeding: .duration(.constant(0))),
            ])
    }

    /// Least-squares slope of the leecher count over the second half of the run, per second.
    static func growthRate(_ result: RunResult) -> Double {
        let half = result.endTime.seconds / 2
        let points = result.samples.filter { $0.time.seconds >= half }.map { ($0.time.seconds, Double($0.leechers)) }
        guard points.count >= 2 else { return 0 }
        let n = Double(points.count)
        let meanT = points.map(\.0).reduce(0, +) / n
        let meanX = points.map(\.1).reduce(0, +) / n
        let covariance = points.map { ($0.0 - meanT) * ($0.1 - meanX) }.reduce(0, +)
        let variance = points.map { ($0.0 - meanT) * ($0.0 - meanT) }.reduce(0, +)
        return covariance / variance
    }

    /// Leechers online at the end that have received all but one piece's bytes.
    static func oneClubShare(_ result: RunResult) -> Double {
        let stuck = result.peers.filter { !$0.startedWithFile && $0.left == nil && $0.completed == nil }
        guard !stuck.isEmpty else { return 0 }
        let club = stuck.filter { $0.bytesDown >= Int64((pieces - 1) * pieceBytes) }
        return Double(club.count) / Double(stuck.count)
    }
}
