import Scenario
import SimKernel
import Swarm

/// Flash crowds against the Kumar–Ross minimum distribution time (Kumar & Ross, "Peer-
/// assisted file distribution: the minimum distribution time", HotWeb 2006):
/// T_min = max(F/u_s, F/d_min, N·F/(u_s + Σu_i)). No schedule delivers the file to all N
/// sooner, so no run may finish below it; how close BitTorrent gets, and how busy the
/// leechers' uplinks are while everyone downloads, are reported.
struct KumarRossCase: ValidationCase {
    let name = "kumar-ross"

    /// One server/peer mix: which term of T_min binds is what the mix is about.
    struct Mix {
        var setting: String
        var leechers: Int
        var serverUp: Double
        var bandwidth: Bandwidth
    }

    static let mbit = 1e6
    static let fileBytes: Int64 = 16 << 20

    static let mixes: [Mix] = [
        Mix(
            setting: "homogeneous (peers bind)", leechers: 60, serverUp: 2 * mbit,
            bandwidth: .fixed(upBitsPerSecond: 1 * mbit, downBitsPerSecond: 4 * mbit)),
        Mix(
            setting: "server-bound", leechers: 60, serverUp: 0.5 * mbit,
            bandwidth: .fixed(upBitsPerSecond: 4 * mbit, downBitsPerSecond: 10 * mbit)),
        Mix(
            setting: "downlink-bound", leechers: 60, serverUp: 4 * mbit,
            bandwidth: .fixed(upBitsPerSecond: 4 * mbit, downBitsPerSecond: 1 * mbit)),
        Mix(
            setting: "Bharambe mix", leechers: 100, serverUp: 2 * mbit,
            bandwidth: .bharambe2006),
    ]

    func checks(quick: Bool, runner: ValidationRunner) throws -> [ValidationCheck] {
        let mixes = quick ? [Self.mixes[1], Self.mixes[2]] : Self.mixes
        var checks: [ValidationCheck] = []
        for mix in mixes {
            let results = try runner.run(Self.scenario(mix), replications: quick ? 2 : 5)
            let bounds = results.map(Self.minimumTime)
            let ratios = zip(results, bounds).map { result, tmin in Self.lastFinish(result) / tmin }
            let utilisation = results.map(Self.bulkUploadUtilisation)
            checks += [
                ValidationCheck(
                    model: name, setting: mix.setting, quantity: "T_min (s)", expected: nil, values: bounds,
                    rule: .reported),
                ValidationCheck(
                    model: name, setting: mix.setting, quantity: "last finish / T_min", expected: 1, values: ratios,
                    rule: .atLeast(1)),
                ValidationCheck(
                    model: name, setting: mix.setting, quantity: "leecher upload utilisation, bulk phase",
                    expected: nil, values: utilisation, rule: .reported),
            ].compactMap { $0 }
        }
        return checks
    }

    static func scenario(_ mix: Mix) -> Scenario {
        Scenario(
            name: "validate-kumar-ross", duration: .hours(6), sampleInterval: .seconds(1),
            torrent: TorrentSpec(sizeBytes: fileBytes, pieceSizeBytes: 256 << 10),
            peers: [
                PeerGroup(
                    name: "server", count: 1, arrival: .at(.zero), hasFile: true,
                    bandwidth: .fixed(upBitsPerSecond: mix.serverUp, downBitsPerSecond: mix.serverUp)),
                PeerGroup(name: "crowd", count: mix.leechers, arrival: .at(.zero), bandwidth: mix.bandwidth),
            ])
    }

    /// T_min from the capacities the run actually drew.
    static func minimumTime(_ result: RunResult) -> Double {
        let bits = Double(fileBytes) * 8
        let server = result.peers.filter(\.startedWithFile).map(\.upBitsPerSecond).reduce(0, +)
        let leechers = result.peers.filter { !$0.startedWithFile }
        let slowestDown = leechers.map(\.downBitsPerSecond).min() ?? .infinity
        let upload = leechers.map(\.upBitsPerSecond).reduce(0, +)
        return max(bits / server, bits / slowestDown, Double(leechers.count) * bits / (server + upload))
    }

    /// The last leecher's finish; infinity when one never finished (which passes the bound
    /// but is visible in the ratio).
    static func lastFinish(_ result: RunResult) -> Double {
        let leechers = result.peers.filter { !$0.startedWithFile }
        guard leechers.allSatisfy({ $0.completed != nil }) else { return .infinity }
        return leechers.compactMap { $0.downloadTime?.seconds }.max() ?? .infinity
    }

    /// The leechers' upload over their capacity from the start to the first finish (all
    /// are leechers then). Delivered payload comes from the time series; the server's part
    /// is taken as its full capacity, since in a flash crowd it always has requests.
    static func bulkUploadUtilisation(_ result: RunResult) -> Double {
        let leechers = result.peers.filter { !$0.startedWithFile }
        guard let firstFinish = leechers.compactMap({ $0.completed?.seconds }).min() else { return 0 }
        var delivered = 0.0
        var previous = 0.0
        for sample in result.samples where sample.time.seconds > 0 && sample.time.seconds <= firstFinish {
            delivered += sample.throughputBitsPerSecond * (sample.time.seconds - previous)
            previous = sample.time.seconds
        }
        let server = result.peers.filter(\.startedWithFile).map(\.upBitsPerSecond).reduce(0, +)
        let capacity = leechers.map(\.upBitsPerSecond).reduce(0, +) * previous
        return capacity > 0 ? max(0, delivered - server * previous) / capacity : 0
    }
}
