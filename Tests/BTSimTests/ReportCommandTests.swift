import Foundation
import Testing

/// `btsim report` through the built binary, without Python figures (the notebooks' runner,
/// `make notebooks`, checks the figures).
@Suite(.serialized) struct ReportCommandTests {
    let dir = NSTemporaryDirectory() + "btsim-report-\(UUID().uuidString)"

    static let scenario = """
        name: rep
        seed: 5
        duration: 30 min
        replications: 2
        torrent: {size: 2 MiB, piece_size: 128 KiB}
        peers:
          - {group: publisher, count: 1, arrival: {at: 0 s}, has_file: true, up: 2 Mbit/s, down: 2 Mbit/s}
          - {group: crowd, count: 8, arrival: {at: 0 s}, up: 1 Mbit/s, down: 4 Mbit/s, seeding: {for: 1 min}}
        variants:
          - {name: slow, set: {peers.publisher.up: 1 Mbit/s}}
        sweep:
          protocol.unchoke_slots: [2, 4]
        """

    func html(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test func aResultFolderGetsItsAggregatesAndRunsAsTables() throws {
        let file = try CLI.write(Self.scenario, to: "rep.yaml", in: dir)
        #expect(try CLI.run(["run", file, "--out", dir, "--quiet"]).status == 0)
        let r = try CLI.run(["report", "\(dir)/rep/base", "--no-figures"])
        #expect(r.status == 0, "\(r.stderr)")
        let page = try html("\(dir)/rep/base/report.html")
        #expect(page.contains("<title>btsim report: rep/base</title>"))
        // The mean download time exactly as aggregate.csv has it, to four digits.
        let aggregate = try String(contentsOfFile: "\(dir)/rep/base/aggregate.csv", encoding: .utf8)
        let row = aggregate.split(separator: "\n").first { $0.hasPrefix("mean_download_s,") }!.split(separator: ",")
        #expect(page.contains("<td>\(String(format: "%.4g", Double(row[3])!))</td>"))
        #expect(page.contains("<th>95 % CI</th>") && page.contains("<td>2</td>"), "two runs")
        #expect(!page.contains("<img"))
    }

    @Test func aComparisonShowsDifferencesToTheBaseAndASweepItsSweptValues() throws {
        let file = try CLI.write(Self.scenario, to: "rep.yaml", in: dir)
        #expect(try CLI.run(["compare", file, "--out", dir, "--quiet"]).status == 0)
        #expect(try CLI.run(["report", "\(dir)/rep", "--no-figures", "--out", "\(dir)/c.html"]).status == 0)
        let compare = try html("\(dir)/c.html")
        #expect(compare.contains("<th>vs base</th>") && compare.contains("<td>slow</td>"))
        #expect(try CLI.run(["sweep", file, "--out", dir, "--quiet"]).status == 0)
        #expect(try CLI.run(["report", "\(dir)/rep/sweep", "--no-figures"]).status == 0)
        let sweep = try html("\(dir)/rep/sweep/report.html")
        #expect(sweep.contains("<th>protocol.unchoke_slots</th>") && sweep.contains("<td>4</td>"))
    }

    @Test func withoutPythonTheReportKeepsItsTablesAndSaysWhy() throws {
        let file = try CLI.write(Self.scenario, to: "rep.yaml", in: dir)
        #expect(try CLI.run(["run", file, "--out", dir, "--quiet"]).status == 0)
        let r = try CLI.run(["report", "\(dir)/rep/base", "--python", "no-such-python3"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning: No figures"))
        let page = try html("\(dir)/rep/base/report.html")
        #expect(page.contains("No figures") && page.contains("<th>mean</th>"))
    }

    @Test func aFolderWithoutResultsIsBadInput() throws {
        try FileManager.default.createDirectory(atPath: dir + "/empty", withIntermediateDirectories: true)
        let r = try CLI.run(["report", dir + "/empty"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("not a btsim results folder"))
        #expect(try CLI.run(["report", dir + "/missing"]).status == 2)
    }
}
