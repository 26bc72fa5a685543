import Crypto
import Foundation
import Testing

/// manifest.json, scenario.resolved.yaml and safe output, through the built binary
/// (docs/architecture.md, "Provenance" and "Safe output").
@Suite(.serialized) struct ProvenanceCommandTests {
    let dir = NSTemporaryDirectory() + "btsim-prov-\(UUID().uuidString)"

    func scenarioFile() throws -> String { try CLI.write(ExperimentCommandTests.scenario, to: "exp.yaml", in: dir) }

    func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    func json(_ path: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        return try #require(object as? [String: Any])
    }

    /// The CSVs under `folder` by name, with the columns that may differ between two runs of
    /// the same scenario blanked: wall clock, and the label and sweep columns `dropping` names.
    func csvs(_ folder: String, dropping: Set<String> = [], point: String? = nil) throws -> [String: [String]] {
        var found: [String: [String]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".csv") {
            let lines = try text(folder + "/" + name).split(separator: "\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
            guard let header = lines.first else { continue }
            let pointColumn = header.firstIndex(of: "point")
            let keep = header.indices.filter {
                !["wall_s", "peak_rss_mib", "variant", "point"].contains(header[$0]) && !dropping.contains(header[$0])
            }
            let rows = lines.dropFirst().filter { row in
                point.map { p in pointColumn.map { row[$0] == p } ?? true } ?? true
            }
            found[name] = ([header] + rows).map { row in keep.map { row[$0] }.joined(separator: ",") }
        }
        return found
    }

    @Test func versionNamesTheBuild() throws {
        let r = try CLI.run(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("btsim 0."), "\(r.stdout)")
    }

    @Test func everyResultFolderIsReproducedByItsResolvedScenario() throws {
        let file = try scenarioFile()
        let out = dir + "/out"
        #expect(try CLI.run(["compare", file, "--out", out, "--quiet", "--set", "torrent.size=1MiB"]).status == 0)
        #expect(try CLI.run(["sweep", file, "--out", out, "--quiet", "--replications", "2"]).status == 0)
        // A variant: its folder's CSVs, byte for byte apart from the label and wall clock.
        let paid = out + "/exp/paid/scenario.resolved.yaml"
        #expect(try text(paid).contains("strategy: speed"))
        let again = try CLI.run(["run", paid, "--out", dir + "/again", "--quiet"])
        #expect(again.status == 0, "\(again.stderr)")
        let want = try csvs(out + "/exp/paid")
        #expect(want.count >= 7)
        #expect(try csvs(dir + "/again/exp/base") == want)
        // A sweep point: that point's rows of the sweep's tables.
        let point = out + "/exp/sweep/point-5/scenario.resolved.yaml"
        #expect(try CLI.run(["run", point, "--out", dir + "/point", "--quiet"]).status == 0)
        let swept: Set<String> = ["protocol.unchoke_slots", "peers.crowd.count"]
        let sweep = try csvs(out + "/exp/sweep", dropping: swept, point: "5")
        let rerun = try csvs(dir + "/point/exp/base")
        for name in ["peers.csv", "timeseries.csv", "summary.csv", "groups.csv", "payments.csv"] {
            #expect(sweep[name] == rerun[name], "\(name)")
        }
        #expect((sweep["summary.csv"]?.count ?? 0) == 3, "a header and both replications")
        // The compare kept the sweep beside it, and a rerun of the compare keeps it too.
        #expect(try CLI.run(["compare", file, "--out", out, "--quiet", "--set", "torrent.size=1MiB"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: out + "/exp/sweep/summary.csv"))
    }

    @Test func theManifestSaysWhatProducedTheFolder() throws {
        let file = try scenarioFile()
        let r = try CLI.run([
            "run", file, "--out", dir + "/m", "--quiet", "--seed", "11", "--replications", "2", "--set",
            "peers.crowd.count=4",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let m = try json(dir + "/m/exp/manifest.json")
        #expect((m["btsim_version"] as? String)?.isEmpty == false)
        #expect(m["master_seed"] as? Int == 11 && m["replications"] as? Int == 2 && m["runs"] as? Int == 2)
        #expect(m["overrides"] as? [String] == ["peers.crowd.count=4"])
        #expect((m["command"] as? [String])?.contains("--seed") == true)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        #expect(m["scenario_sha256"] as? String == digest)
        #expect((m["started_at"] as? String)?.hasSuffix("Z") == true)
        // Each result folder carries the same manifest, and the report shows it.
        #expect(try text(dir + "/m/exp/base/manifest.json") == (try text(dir + "/m/exp/manifest.json")))
        #expect(try CLI.run(["report", dir + "/m/exp/base", "--no-figures"]).status == 0)
        let page = try text(dir + "/m/exp/base/report.html")
        #expect(page.contains("Provenance") && page.contains("peers.crowd.count=4"))
    }

    @Test func resultsOfOtherRunsAreNeverMixedWithNewOnes() throws {
        let file = try scenarioFile()
        let out = dir + "/safe"
        #expect(try CLI.run(["run", file, "--out", out, "--quiet"]).status == 0)
        #expect(try CLI.run(["report", out + "/exp/base", "--no-figures"]).status == 0)
        let before = try text(out + "/exp/base/summary.csv")
        // The same run again may replace its own results.
        #expect(try CLI.run(["run", file, "--out", out, "--quiet"]).status == 0)
        // Other overrides: refused before any run, the old results untouched.
        let refused = try CLI.run(["run", file, "--out", out, "--quiet", "--set", "peers.crowd.count=4"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--force") && refused.stderr.contains("another experiment"))
        #expect(try text(out + "/exp/base/summary.csv").count == before.count)
        // --force replaces the whole folder: nothing derived from the older runs survives.
        let forced = try CLI.run(["run", file, "--out", out, "--quiet", "--set", "peers.crowd.count=4", "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out + "/exp/base")
        #expect(!files.contains("report.html") && !files.contains("report-figures"))
        #expect(try text(out + "/exp/base/summary.csv") != before)
        #expect(try json(out + "/exp/manifest.json")["overrides"] as? [String] == ["peers.crowd.count=4"])
        // Two shards into one folder: the second is refused, not mixed in.
        let shard = dir + "/shard"
        #expect(try CLI.run(["sweep", file, "--out", shard, "--quiet", "--shard", "1/2"]).status == 0)
        let second = try CLI.run(["sweep", file, "--out", shard, "--quiet", "--shard", "2/2"])
        #expect(second.status == 2 && second.stderr.contains("btsim merge"))
        // A folder that cannot be written fails at once, before the runs.
        let nowhere = try CLI.run(["run", file, "--out", "/proc/btsim-nowhere"])
        #expect(nowhere.status == 2 && nowhere.stderr.contains("cannot write results"))
        #expect(!nowhere.stdout.contains("results:"))
    }
}
