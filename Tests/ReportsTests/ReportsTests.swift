import Foundation
import Scenario
import SimKernel
import Swarm
import Testing

@testable import Experiments
@testable import Reports

@Suite struct StatisticsTests {
    @Test func quantilesInterpolateLikeRType7() {
        let v = [10.0, 1, 4, 3, 2]
        #expect(Statistics.mean(v) == 4)
        #expect(Statistics.median(v) == 3)
        #expect(abs(Statistics.quantile(v, 0.95)! - 8.8) < 1e-12)  // 4 + 0.8 × (10 − 4)
        #expect(Statistics.quantile([], 0.5) == nil)
        #expect(Statistics.mean([]) == nil)
    }
}

@Suite struct CSVTests {
    @Test func fieldsWithCommasAndQuotesStayOneField() throws {
        var t = CSVTable(header: ["a", "b"])
        t.append(["x,y", "say \"hi\""])
        let text = String(decoding: t.encoded(), as: UTF8.self)
        #expect(text == "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n")
    }

    /// What `encoded` writes, CSV.swift's reader (`read`) gives back, field for field:
    /// line breaks, quotes, commas and non-ASCII text included.
    @Test func encodedTablesReadBackUnchanged() throws {
        var t = CSVTable(header: ["name", "note", "empty"])
        t.append(["line\nbreak", "cr\rhere \"q\"", ""])
        t.append(["café, ünïcode", "plain", "x"])
        let path = NSTemporaryDirectory() + "csv-roundtrip-\(getpid()).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try t.encoded().write(to: URL(fileURLWithPath: path))
        let back = try CSVTable.read(path: path)
        #expect(back.header == t.header && back.rows == t.rows)
    }

    @Test func formattingIsFixedPoint() {
        #expect(CSVFormat.seconds(1.5) == "1.500000")
        #expect(CSVFormat.seconds(nil) == "")
        #expect(CSVFormat.fixed(784_000, 0) == "784000")
    }
}

@Suite struct ResultTablesTests {
    static let scenario = Scenario(
        name: "reports-test", duration: .minutes(20),
        torrent: TorrentSpec(sizeBytes: 1 << 20, pieceSizeBytes: 64 << 10),
        peers: [
            PeerGroup(
                name: "publisher", count: 1, arrival: .at(.zero), hasFile: true,
                bandwidth: .fixed(upBitsPerSecond: 2e6, downBitsPerSecond: 2e6), seeding: .duration(.constant(300))),
            PeerGroup(
                name: "crowd, with comma", count: 8, arrival: .at(.zero),
                bandwidth: .fixed(upBitsPerSecond: 5e5, downBitsPerSecond: 2e6), seeding: .duration(.constant(20))),
        ])

    static func outputs(seed: UInt64, runs: Int) throws -> [RunOutput] {
        let experiment = try Experiment(kind: .run, scenario: scenario, replications: runs, masterSeed: seed)
        return try ExperimentRunner.execute(experiment.runs, of: experiment, jobs: 1).map(\.output)
    }

    func csvs(seed: UInt64, runs: Int = 2) throws -> [String: Data] {
        let out = try Self.outputs(seed: seed, runs: runs)
        return [
            "peers": ResultTables.peers(out).encoded(),
            "timeseries": ResultTables.timeseries(out).encoded(),
            "summary": ResultTables.summary(out, scenario: "reports-test", variant: "base").encoded(),
        ]
    }

    @Test func sameSeedGivesByteIdenticalCSVs() throws {
        let a = try csvs(seed: 5)
        let b = try csvs(seed: 5)
        #expect(a["peers"] == b["peers"])
        #expect(a["timeseries"] == b["timeseries"])
    }

    @Test func differentSeedGivesDifferentCSVs() throws {
        let a = try csvs(seed: 5)
        let b = try csvs(seed: 6)
        #expect(a["peers"] != b["peers"])
        #expect(a["timeseries"] != b["timeseries"])
    }

    @Test func summaryHasOneRowPerRunWithTheContractColumns() throws {
        let text = String(decoding: try csvs(seed: 5, runs: 3)["summary"]!, as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0] == ResultTables.summaryHeader.joined(separator: ","))
        #expect(lines[1].hasPrefix("reports-test,base,1,5,9,8,1.000000,"))
        let row = lines[1].split(separator: ",", omittingEmptySubsequences: false)
        #expect(row.count == ResultTables.summaryHeader.count)
        // Everybody leaves: the last full copy goes with the last seed.
        #expect(row[11] == "false")
        #expect(!row[12].isEmpty)
    }

    @Test func summaryMatchesThePeerRecords() throws {
        let out = try Self.outputs(seed: 9, runs: 1)
        let s = RunSummary(out[0].result)
        let downloads = out[0].result.peers.compactMap { $0.downloadTime?.seconds }
        #expect(s.completed == 8 && s.leechers == 8 && s.peers == 9)
        #expect(abs(s.meanDownload! - downloads.reduce(0, +) / 8) < 1e-9)
        #expect(s.lastFinish == out[0].result.peers.compactMap { $0.completed?.seconds }.max())
        #expect(abs(s.meanSeeding! - 20) < 1e-9)
    }

    @Test func peersCSVQuotesGroupNamesAndLeavesMissingTimesEmpty() throws {
        let text = String(decoding: try csvs(seed: 5, runs: 1)["peers"]!, as: UTF8.self)
        let publisher = text.split(separator: "\n")[1]
        #expect(publisher.hasPrefix("1,0,publisher,bittorrent,2000000,2000000,0.000000,,300.000000,,0,"))
        #expect(text.contains("\"crowd, with comma\""))
    }

    @Test func replicationSeedsAreDerivedAndRunOneUsesTheMasterSeed() throws {
        let experiment = try Experiment(kind: .run, scenario: Self.scenario, replications: 3, masterSeed: 77)
        #expect(experiment.seed(ofReplication: 1) == 77)
        #expect(Set(experiment.runs.map(\.seed)).count == 3)
    }
}

@Suite struct ResultFolderTests {
    @Test func writesIntoScenarioAndVariantFolders() throws {
        let root = NSTemporaryDirectory() + "btsim-rf-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        var t = CSVTable(header: ["x"])
        t.append(["1"])
        let folder = ResultFolder(path: root + "/s/base")
        try folder.write([("a.csv", t)])
        #expect(try String(contentsOfFile: root + "/s/base/a.csv", encoding: .utf8) == "x\n1\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root + "/s")
        #expect(leftovers == ["base"])
    }

    @Test func anUnwritableRootIsAnError() {
        var t = CSVTable(header: ["x"])
        t.append(["1"])
        #expect(throws: ResultFolderError.self) {
            try ResultFolder(path: "/proc/btsim-nowhere/s/base").write([("a.csv", t)])
        }
    }
}

/// `CSVFormat.fixed` prints what `String(format: "%.Nf")` prints, byte for byte: every
/// CSV btsim writes depends on it (the golden files would catch a change, this says where).
@Suite struct FixedFormatTests {
    @Test func fixedMatchesStringFormat() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state
        }
        var values: [Double] = [
            0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 1e-7, 123_456_789.123_456_789, 1e15, 1e300, -1e300, .infinity,
            -.infinity, .nan, .pi, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude,
        ]
        for _ in 0..<2_000 { values.append(Double(bitPattern: next())) }
        for _ in 0..<2_000 { values.append(Double(Int64(bitPattern: next()) % 10_000_000) / 1_000) }
        for value in values {
            for decimals in [0, 1, 3, 4, 6, 9] {
                let expected = String(format: "%.\(decimals)f", value)
                #expect(CSVFormat.fixed(value, decimals) == expected, "\(value) with \(decimals) decimals")
            }
        }
    }
}
