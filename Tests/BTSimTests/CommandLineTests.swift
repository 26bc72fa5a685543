import Foundation
import Testing

/// Runs the built `btsim` executable as a user would and checks exit codes, messages and
/// files: the CLI contract of docs/architecture.md, "Command line".
struct CLI {
    static var binary: URL {
        // The test executable sits next to the products of the same build.
        URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("btsim")
    }

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Writes `text` to `dir/name` (creating `dir`) and returns the path.
    static func write(_ text: String, to name: String, in dir: String) throws -> String {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func run(_ arguments: [String]) throws -> Outcome {
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Outcome(
            status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
            stderr: String(decoding: e, as: UTF8.self))
    }
}

@Suite(.serialized) struct CommandLineTests {
    let dir = NSTemporaryDirectory() + "btsim-cli-\(UUID().uuidString)"

    static let valid = """
        name: tiny
        seed: 3
        duration: 30 min
        torrent: {size: 1 MiB, piece_size: 64 KiB}
        peers:
          - {group: s, count: 1, arrival: {at: 0 s}, has_file: true, up: 2 Mbit/s, down: 2 Mbit/s}
          - {group: c, count: 6, arrival: {at: 0 s}, up: 1 Mbit/s, down: 2 Mbit/s, seeding: {for: 1 min}}
        """

    func write(_ name: String, _ text: String) throws -> String { try CLI.write(text, to: name, in: dir) }

    func csvFiles(under root: String) -> [String] {
        (FileManager.default.subpaths(atPath: root) ?? []).filter { $0.hasSuffix(".csv") }.sorted()
    }

    @Test func runWritesItsReportsAndExitsZero() throws {
        let file = try write("tiny.yaml", Self.valid)
        let r = try CLI.run(["run", file, "--out", dir + "/out", "--replications", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            csvFiles(under: dir + "/out") == [
                "tiny/base/aggregate.csv", "tiny/base/group_aggregate.csv", "tiny/base/groups.csv",
                "tiny/base/payments.csv", "tiny/base/peers.csv", "tiny/base/summary.csv", "tiny/base/survival.csv",
                "tiny/base/timeseries.csv", "tiny/base/torrents.csv", "tiny/experiment.csv",
            ])
        let summary = try String(contentsOfFile: dir + "/out/tiny/base/summary.csv", encoding: .utf8)
        #expect(summary.split(separator: "\n").count == 3)
        #expect(r.stdout.contains("results:"))
    }

    @Test func seedAndSetOptionsChangeTheRun() throws {
        let file = try write("tiny.yaml", Self.valid)
        _ = try CLI.run(["run", file, "--out", dir + "/a", "--quiet"])
        _ = try CLI.run(["run", file, "--out", dir + "/b", "--quiet", "--seed", "4"])
        _ = try CLI.run(["run", file, "--out", dir + "/c", "--quiet", "--set", "peers.c.count=9"])
        let a = try String(contentsOfFile: dir + "/a/tiny/base/peers.csv", encoding: .utf8)
        let b = try String(contentsOfFile: dir + "/b/tiny/base/peers.csv", encoding: .utf8)
        let c = try String(contentsOfFile: dir + "/c/tiny/base/peers.csv", encoding: .utf8)
        #expect(a != b)
        #expect(a.split(separator: "\n").count == 8)
        #expect(c.split(separator: "\n").count == 11)
    }

    @Test func quietRunPrintsNothing() throws {
        let file = try write("tiny.yaml", Self.valid)
        let r = try CLI.run(["run", file, "--out", dir + "/q", "--quiet"])
        #expect(r.status == 0)
        #expect(r.stdout.isEmpty && r.stderr.isEmpty)
    }

    /// (case, word the message must contain, text to replace, replacement; "*" replaces all).
    @Test(arguments: [
        ("unknown key", "torent", "torrent:", "torent:"),
        ("no unit", "size", "1 MiB", "1048576"),
        ("negative size", "size", "1 MiB", "-1 MiB"),
        ("rate without unit", "down", "down: 2 Mbit/s}", "down: 2}"),
        ("malformed yaml", "yaml", "*", "name: [unclosed"),
    ])
    func badScenariosExitTwoWithOneClearLineAndWriteNothing(name: String, key: String, from: String, to: String) throws
    {
        let text = from == "*" ? to : Self.valid.replacingOccurrences(of: from, with: to)
        let file = try write("bad.yaml", text)
        let r = try CLI.run(["run", file, "--out", dir + "/bad"])
        #expect(r.status == 2, "\(name)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(name): \(r.stderr)")
        #expect(r.stderr.lowercased().contains(key), "\(name): \(r.stderr)")
        #expect(r.stderr.contains("bad.yaml"), "\(name): names the file")
        #expect(!r.stderr.contains("Fatal error"))
        #expect(csvFiles(under: dir + "/bad").isEmpty)
    }

    @Test func aMissingFileAndABadOptionExitTwo() throws {
        let missing = try CLI.run(["run", dir + "/nope.yaml"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.yaml"))
        let file = try write("tiny.yaml", Self.valid)
        #expect(try CLI.run(["run", file, "--replications", "0"]).status == 2)
        #expect(try CLI.run(["run", file, "--no-such-option"]).status == 2)
        #expect(try CLI.run(["run", file, "--set", "torrent.sise=1GiB"]).status == 2)
    }

    @Test func validateWritesItsTableAndRefusesAnUnknownCase() throws {
        let unknown = try CLI.run(["validate", "--only", "no-such-case"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("qiu-srikant"), "names the known cases")
        let ok = try CLI.run(["validate", "--quick", "--only", "seeding-time", "--out", dir, "--quiet"])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        let table = try String(contentsOfFile: dir + "/validation/validation.csv", encoding: .utf8)
        let lines = table.split(separator: "\n")
        #expect(lines.first?.hasPrefix("model,setting,quantity,expected,simulated_mean") == true)
        #expect(lines.count == 3, "one row per tail fraction")
    }

    @Test func checkValidatesWithoutRunning() throws {
        let file = try write("tiny.yaml", Self.valid)
        let ok = try CLI.run(["check", file])
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("ok"))
        let bad = try CLI.run(["check", try write("bad.yaml", "name: x\n")])
        #expect(bad.status == 2)
        #expect(!ok.stdout.contains("warning:") && !ok.stderr.contains("warning:"))
        // Valid, but nobody ever has the file: a warning, still exit 0.
        let noSeed = try CLI.run(["check", file, "--set", "peers[0].has_file=false"])
        #expect(noSeed.status == 0)
        #expect(noSeed.stderr.contains("warning: "), "\(noSeed.stderr)")
        #expect(noSeed.stderr.contains(" peers: no peer group with `has_file: true`"), "\(noSeed.stderr)")
    }

    @Test func helpExitsZero() throws {
        let r = try CLI.run(["run", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("--replications"))
    }
}
