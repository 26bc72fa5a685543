import Foundation
import Testing

/// A designed sweep through the built binary: linked keys (bid = reserve) at three prices,
/// numeric columns in canonical units, and paired differences against a reference point.
@Suite(.serialized) struct LinkedSweepTests {
    let dir = NSTemporaryDirectory() + "btsim-linked-\(UUID().uuidString)"

    static let scenario = """
        name: linked
        seed: 5
        duration: 30 min
        replications: 2
        torrent: {size: 4 MiB, piece_size: 128 KiB}
        peers:
          - {group: publisher, count: 1, arrival: {at: 0 s}, has_file: true, up: 2 Mbit/s, down: 2 Mbit/s, strategy: speed, wallet: 10 BTT}
          - {group: crowd, count: 10, arrival: {at: 0 s}, up: 1 Mbit/s, down: 4 Mbit/s, seeding: {for: 5 min}, strategy: speed, wallet: 10 BTT}
        sweep:
          reference: 1
          points:
            - {incentives.price: 1 BTT/GiB, incentives.reserve: 1 BTT/GiB}
            - {incentives.price: 4 BTT/GiB, incentives.reserve: 4 BTT/GiB}
            - {incentives.price: 16 BTT/GiB, incentives.reserve: 16 BTT/GiB}
        """

    func table(_ path: String) throws -> [[String: String]] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.dropFirst().map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Dictionary(uniqueKeysWithValues: zip(header, cells))
        }
    }

    @Test func bidEqualToReserveAtEachPointMakesTheVolumeGrowWithThePrice() throws {
        let file = try CLI.write(Self.scenario, to: "linked.yaml", in: dir)
        let r = try CLI.run(["sweep", file, "--out", dir + "/out", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let folder = dir + "/out/linked/sweep"
        let summary = try table(folder + "/summary.csv")
        #expect(summary.count == 3 * 2, "three points, not a 3 × 3 grid")
        // The swept keys as written and as numbers in BTT/GiB.
        #expect(
            summary.map { $0["incentives.price"]! } == [
                "1 BTT/GiB", "1 BTT/GiB", "4 BTT/GiB", "4 BTT/GiB", "16 BTT/GiB", "16 BTT/GiB",
            ])
        #expect(summary.map { Double($0["incentives.reserve [BTT/GiB]"]!)! } == [1, 1, 4, 4, 16, 16])
        // Within each replication (same seed), the volume grows with the linked price.
        for run in ["1", "2"] {
            let volumes = summary.filter { $0["run"] == run }.map { Double($0["btt_volume"]!)! }
            #expect(
                volumes.count == 3 && volumes[0] > 0 && volumes[0] < volumes[1] && volumes[1] < volumes[2], "\(volumes)"
            )
        }
        // Paired differences against point 1, the reference.
        let compare = try table(folder + "/compare.csv").filter { $0["metric"] == "btt_volume" }
        #expect(compare.count == 3)
        #expect(compare[0]["variant"]!.hasPrefix("incentives.price=1 BTT/GiB") && compare[0]["diff"] == "")
        #expect(try #require(Double(compare[2]["diff"]!)) > (try #require(Double(compare[1]["diff"]!))))
        // Shards merge to the same comparison.
        for i in 1...2 {
            #expect(try CLI.run(["sweep", file, "--out", "\(dir)/s\(i)", "--shard", "\(i)/2", "--quiet"]).status == 0)
        }
        #expect(try CLI.run(["merge", "\(dir)/s1", "\(dir)/s2", "--out", "\(dir)/merged"]).status == 0)
        let merged = try String(contentsOfFile: "\(dir)/merged/linked/sweep/compare.csv", encoding: .utf8)
        #expect(merged == (try String(contentsOfFile: folder + "/compare.csv", encoding: .utf8)))
    }
}
