import Foundation
import Testing

/// `compare`, `sweep`, `regress`, `--shard` with `merge`, and `--jobs`, through the built
/// binary.
@Suite(.serialized) struct ExperimentCommandTests {
    let dir = NSTemporaryDirectory() + "btsim-exp-\(UUID().uuidString)"

    static let scenario = """
        name: exp
        seed: 3
        duration: 30 min
        replications: 3
        torrent: {size: 2 MiB, piece_size: 128 KiB}
        peers:
          - {group: publisher, count: 1, arrival: {at: 0 s}, has_file: true, up: 2 Mbit/s, down: 2 Mbit/s}
          - {group: crowd, count: 12, arrival: {at: 0 s}, up: 1 Mbit/s, down: 4 Mbit/s, seeding: {for: 1 min}}
        variants:
          - {name: slow, set: {peers.publisher.up: 1 Mbit/s}}
          - {name: paid, set: {peers.crowd.strategy: speed, peers.crowd.wallet: 10 BTT, incentives.reserve: 1 BTT/GiB}}
        sweep:
          protocol.unchoke_slots: [2, 4]
          peers.crowd.count: [6, 12, 18]
        """

    func scenarioFile() throws -> String { try CLI.write(Self.scenario, to: "exp.yaml", in: dir) }

    func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// Every CSV and trace under `root`, with the columns that measure the machine (wall_s,
    /// peak_rss_mib) blanked.
    func reproducibleFiles(under root: String) throws -> [String: String] {
        var files: [String: String] = [:]
        for path in FileManager.default.subpaths(atPath: root) ?? []
        where path.hasSuffix(".csv") || path.hasSuffix(".jsonl") {
            var rows = try lines(root + "/" + path).map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            let header = rows.first ?? []
            let machine = header.indices.filter { header[$0] == "wall_s" || header[$0] == "peak_rss_mib" }
            for r in rows.indices.dropFirst() { for c in machine where c < rows[r].count { rows[r][c] = "" } }
            files[path] = rows.map { $0.joined(separator: ",") }.joined(separator: "\n")
        }
        return files
    }

    @Test func compareRunsEveryVariantWithTheSameSeedsAndWritesCompareCSV() throws {
        let file = try scenarioFile()
        let r = try CLI.run(["compare", file, "--out", dir + "/out"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("vs base"))
        var seeds: [[String]] = []
        for variant in ["base", "slow", "paid"] {
            let summary = try lines("\(dir)/out/exp/\(variant)/summary.csv")
            #expect(summary.count == 4)
            seeds.append(summary.dropFirst().map { String($0.split(separator: ",")[3]) })
            #expect(FileManager.default.fileExists(atPath: "\(dir)/out/exp/\(variant)/aggregate.csv"))
        }
        #expect(seeds[0] == seeds[1] && seeds[1] == seeds[2], "common random numbers")
        let compare = try lines("\(dir)/out/exp/compare.csv")
        #expect(compare[0] == "metric,variant,n,mean,ci_low,ci_high,sd,diff,diff_ci_low,diff_ci_high,p_value")
        // 13 metrics (no storage market) for each of 3 variants.
        #expect(compare.count == 1 + 13 * 3)
        // Halving the publisher's upload slows downloads: a positive difference.
        let slow = try #require(compare.first { $0.hasPrefix("mean_download_s,slow,") })
        let diff = try #require(Double(slow.split(separator: ",")[7]))
        #expect(diff > 0)
    }

    @Test func sweepRunsTheCartesianProduct() throws {
        let file = try scenarioFile()
        let r = try CLI.run(["sweep", file, "--out", dir + "/out", "--replications", "2", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try lines("\(dir)/out/exp/sweep/summary.csv")
        #expect(summary[0].hasSuffix(",horizon_s,point,protocol.unchoke_slots,peers.crowd.count"))
        let points = summary.dropFirst().map { row -> String in
            let cells = row.split(separator: ",")
            return cells.suffix(2).joined(separator: "/")
        }
        #expect(points.count == 2 * 3 * 2)
        #expect(Set(points) == ["2/6", "2/12", "2/18", "4/6", "4/12", "4/18"])
        // Peers per run follow the swept count (plus the publisher).
        for row in summary.dropFirst() {
            let cells = row.split(separator: ",")
            #expect(Int(cells[4]) == Int(cells[cells.count - 1])! + 1)
        }
    }

    @Test func shardsMergeIntoExactlyTheUnshardedOutput() throws {
        let file = try scenarioFile()
        for command in ["compare", "sweep"] {
            let whole = "\(dir)/\(command)-whole"
            let traced = ["--trace-peers", "2-3,publisher"]
            #expect(try CLI.run([command, file, "--out", whole, "--quiet"] + traced).status == 0)
            var shards: [String] = []
            for i in 1...3 {
                shards.append("\(dir)/\(command)-shard\(i)")
                #expect(
                    try CLI.run([command, file, "--out", shards.last!, "--shard", "\(i)/3", "--quiet"] + traced)
                        .status == 0)
            }
            let merged = "\(dir)/\(command)-merged"
            let m = try CLI.run(["merge"] + shards + ["--out", merged])
            #expect(m.status == 0, "\(m.stderr)")
            let a = try reproducibleFiles(under: whole)
            let b = try reproducibleFiles(under: merged)
            #expect(a.keys.sorted() == b.keys.sorted())
            // Three peers traced in each run: 3 variants, or 6 sweep points, of 3 runs.
            #expect(a.keys.filter { $0.hasSuffix(".jsonl") }.count == 3 * 3 * (command == "sweep" ? 6 : 3))
            #expect(
                a.keys.contains(
                    command == "sweep"
                        ? "exp/sweep/point-6/traces/run-3/peer-0.jsonl" : "exp/slow/traces/run-2/peer-3.jsonl"))
            for key in a.keys { #expect(a[key] == b[key], "\(command): \(key) differs") }
            // The merged manifest is the unsharded one's, plus the shards' own.
            let folder = command == "sweep" ? "exp/sweep" : "exp"
            func manifest(_ root: String) throws -> [String: Any] {
                let data = try Data(contentsOf: URL(fileURLWithPath: "\(root)/\(folder)/manifest.json"))
                return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            }
            let (w, mm) = (try manifest(whole), try manifest(merged))
            #expect(mm["experiment_id"] as? String == w["experiment_id"] as? String)
            #expect((mm["shards"] as? [Any])?.count == 3 && mm["shard"] == nil)
            #expect(
                FileManager.default.fileExists(
                    atPath: "\(merged)/\(folder)/\(command == "sweep" ? "point-1" : "slow")/scenario.resolved.yaml"))
            // A missing shard is an error, not a silently smaller result.
            let partial = try CLI.run(["merge", shards[0], shards[1], "--out", "\(dir)/\(command)-partial"])
            #expect(partial.status == 2)
            #expect(partial.stderr.contains("runs found"))
        }
    }

    @Test func resultsDoNotDependOnJobs() throws {
        let file = try scenarioFile()
        #expect(try CLI.run(["compare", file, "--out", "\(dir)/j1", "--jobs", "1", "--quiet"]).status == 0)
        #expect(try CLI.run(["compare", file, "--out", "\(dir)/j2", "--jobs", "2", "--quiet"]).status == 0)
        let a = try reproducibleFiles(under: "\(dir)/j1")
        let b = try reproducibleFiles(under: "\(dir)/j2")
        #expect(!a.isEmpty && a == b)
    }

    @Test func regressPassesWhenUnchangedAndFailsWhenUploadIsHalved() throws {
        let file = try scenarioFile()
        #expect(try CLI.run(["run", file, "--out", "\(dir)/baseline", "--replications", "5", "--quiet"]).status == 0)
        let baseline = "\(dir)/baseline/exp/base"
        let same = try CLI.run(["regress", file, "--baseline", baseline, "--replications", "5", "--out", "\(dir)/r1"])
        #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
        #expect(same.stdout.contains("unchanged"))
        let worse = try CLI.run([
            "regress", file, "--baseline", baseline, "--replications", "5", "--out", "\(dir)/r2",
            "--set", "peers.publisher.up=1Mbit/s", "--set", "peers.crowd.up=500kbit/s",
        ])
        #expect(worse.status == 1, "\(worse.stdout)\(worse.stderr)")
        #expect(worse.stdout.contains("worse"))
        #expect(worse.stderr.contains("mean_download_s"))
        // A baseline from before a metric existed cannot pass it untested.
        let old = "\(dir)/old-baseline"
        try FileManager.default.createDirectory(atPath: old, withIntermediateDirectories: true)
        let rows = try lines(baseline + "/summary.csv").map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        let dropped = try #require(rows[0].firstIndex(of: "swarm_survived"))
        let text = rows.map { r in r.enumerated().filter { $0.offset != dropped }.map(\.element).joined(separator: ",")
        }
        try (text.joined(separator: "\n") + "\n").write(toFile: old + "/summary.csv", atomically: true, encoding: .utf8)
        let stale = try CLI.run(["regress", file, "--baseline", old, "--replications", "5", "--out", "\(dir)/r3"])
        #expect(stale.status == 2)
        #expect(stale.stderr.contains("has no swarm_survived column"), "\(stale.stderr)")
    }

    @Test func badShardsAndMissingBaselinesAreBadInput() throws {
        let file = try scenarioFile()
        // Each gets exit 2 and one line naming the option and what it takes.
        for (arguments, says) in [
            (["--shard", "4/3"], "--shard 4/3: I must be from 1 to N (3)"),
            (["--shard", "x"], "--shard takes I/N such as 1/4"),
            (["--shard", "1/0"], "N, the number of shards, must be at least 1"),
            (["--jobs", "0"], "--jobs must be at least 1, got 0"),
            (["--replications", "-1"], "--replications must be at least 1, got -1"),
            (["--trace-peers", "crowds"], "--trace-peers: \"crowds\" is neither a peer number"),
            (["--trace-peers", "5-2"], "--trace-peers: \"5-2\" is neither"),
            (["--trace-peers", "0,,1"], "--trace-peers: \"\" is neither"),
        ] {
            let r = try CLI.run(["run", file, "--quiet"] + arguments)
            #expect(r.status == 2 && r.stderr.contains(says), "\(arguments): \(r.stderr)")
        }
        let regress = try CLI.run(["regress", file, "--baseline", "\(dir)/nowhere"])
        #expect(regress.status == 2 && regress.stderr.contains("--baseline \(dir)/nowhere: no summary.csv there"))
        #expect(try CLI.run(["merge", "\(dir)/nowhere", "--out", "\(dir)/m"]).status == 2)
    }
}
