import Foundation
import Testing

/// A storage-only scenario through the built binary: its CSVs, determinism and `compare`.
@Suite(.serialized) struct StorageCommandTests {
    let dir = NSTemporaryDirectory() + "btsim-storage-\(UUID().uuidString)"

    static let scenario = """
        name: store
        seed: 4
        duration: 10 d
        replications: 2
        storage:
          sample_interval: 12 h
          hosts:
            - {group: h, count: 30, capacity: 100 GiB, price: 3000 µBTT/GiB/d, uptime: {on: 20 h, off: 4 h}, departure: {exponential: {mean: 20 d}}}
          renters:
            - {group: r, count: 2, files: 3, file_size: 10 MiB, budget: 50 BTT, redundancy: {reed_solomon: {data: 4, parity: 2}}, contract: 3 d}
        variants:
          - {name: copies, set: {storage.renters.r.redundancy: {replicas: 2}}}
        """

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test func aStorageRunWritesItsTablesAndTheSameSeedGivesTheSameBytes() throws {
        let file = try CLI.write(Self.scenario, to: "store.yaml", in: dir)
        for out in ["a", "b"] { #expect(try CLI.run(["run", file, "--out", "\(dir)/\(out)", "--quiet"]).status == 0) }
        for table in ["storage.csv", "files.csv", "hosts.csv", "payments.csv"] {
            let a = try read("\(dir)/a/store/base/\(table)")
            #expect(a == (try read("\(dir)/b/store/base/\(table)")), "\(table) differs between identical runs")
        }
        let files = try read("\(dir)/a/store/base/files.csv").split(separator: "\n")
        #expect(files.count == 1 + 2 * 6, "2 runs × 2 renters × 3 files")
        #expect(files[1].contains(",rs-4+2,6,4,"))
        #expect(try read("\(dir)/a/store/base/hosts.csv").split(separator: "\n").count == 1 + 2 * 30)
        let storage = try read("\(dir)/a/store/base/storage.csv").split(separator: "\n")
        #expect(storage.count == 1 + 2 * 21, "a row every 12 h from 0 to 10 d, per run")
        let summary = try read("\(dir)/a/store/base/summary.csv").split(separator: "\n")
        let header = summary[0].split(separator: ",").map(String.init)
        #expect(
            header.joined(separator: ",").contains(
                ",files_stored,files_lost,durability,availability,storage_cost_btt_per_tib_month,host_earnings_btt_per_tib_month,"
            ))
        let cells = summary[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let column = { (name: String) in header.firstIndex(of: name).map { cells[$0] } ?? "missing" }
        #expect(column("files_stored") == "6" && !column("durability").isEmpty)
        // No peer groups: no swarm, so no lifetime or survival either.
        #expect(column("swarm_survived").isEmpty && column("swarm_lifetime_capped_s").isEmpty)
        let aggregate = try read("\(dir)/a/store/base/aggregate.csv")
        #expect(aggregate.contains("\ndurability,base,2,") && aggregate.contains("\navailability,base,2,"))
    }

    @Test func compareRunsTheStorageVariants() throws {
        let file = try CLI.write(Self.scenario, to: "store.yaml", in: dir)
        let r = try CLI.run(["compare", file, "--out", dir, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let compare = try read("\(dir)/store/compare.csv")
        #expect(
            compare.contains("\ndurability,copies,2,") && compare.contains("\nstorage_cost_btt_per_tib_month,base,2,"))
        #expect(try read("\(dir)/store/copies/files.csv").contains(",replicas-2,2,1,"))
    }
}
