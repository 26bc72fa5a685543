import Foundation
import Scenario
import SimKernel
import Testing

@testable import Swarm

@Suite struct DiagTests {
    @Test func diag() {
        let env = ProcessInfo.processInfo.environment
        let n = Int(env["N"] ?? "50")!
        let mib = Int64(env["MIB"] ?? "20")!
        let piece = Int(env["PIECE"] ?? "256")! << 10
        let up = Double(env["UP"] ?? "1")! * 1e6
        let seedUp = Double(env["SEEDUP"] ?? "2")! * 1e6
        var s = SwarmFixtures.flashCrowd(
            leechers: n, sizeBytes: mib << 20, pieceBytes: piece, seedUp: seedUp, leecherUp: up)
        if let lat = env["LAT"] { s.network.latency = .constant(Double(lat)! / 1000) }
        for seed in 1...Int(env["SEEDS"] ?? "3")! {
            let result = Simulation(scenario: s, seed: UInt64(seed)).run()
            let leechers = result.peers.filter { !$0.startedWithFile }
            let F = Double(mib << 20) * 8
            let tmin = max(F / seedUp, F / 4e6, Double(n) * F / (seedUp + Double(n) * up))
            let times = leechers.compactMap(\.completed).map(\.seconds).sorted()
            if env["ORDER"] != nil {
                for p in leechers.sorted(by: { $0.completed! < $1.completed! }).suffix(5) {
                    print("LAST", p.peer, p.completed!.seconds)
                }
            }
            print(
                "RATIO", seed, "tmin", tmin, "last", times.last! / tmin, "median", times[times.count / 2] / tmin,
                "events", result.events, "wall", result.wallSeconds)
        }
    }
}
