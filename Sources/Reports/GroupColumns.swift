import Incentives
import Swarm

/// groups.csv: one row per run and peer group (docs/metrics.md), so that one strategy's
/// peers can be compared with another's in the same swarm without pooling them. Every
/// scenario group has a row, also in a run nobody of it arrived in.
public enum GroupColumns {
    /// What a cell is made from: one group's peers in one run.
    public struct Group: Sendable {
        public let scenario: String
        public let variant: String
        public let run: Int
        public let name: String
        public let strategy: String
        public let records: [PeerRecord]
        public let downloads: DownloadStats
        /// What the group's renting peers stored and paid; nil when none of them rents.
        public let storage: StorageTables.RenterTotals?

        func total(_ amount: (PeerRecord) -> TokenAmount) -> String {
            "\(records.reduce(TokenAmount.zero) { $0 + amount($1) })"
        }
    }

    public static let bytesUp = Metric("bytes_up", unit: "B", better: .neither)
    public static let bytesDown = Metric("bytes_down", unit: "B", better: .neither)
    public static let bttSpent = Metric("btt_spent", unit: "BTT", better: .neither)
    public static let bttEarned = Metric("btt_earned", unit: "BTT", better: .neither)
    public static let storageFiles = Metric("storage_files", unit: "", better: .neither, onlyWhenPresent: true)
    public static let storageFilesLost = Metric("storage_files_lost", unit: "", better: .lower, onlyWhenPresent: true)
    public static let storageBTT = Metric("storage_btt", unit: "BTT", better: .lower, onlyWhenPresent: true)

    public static let all: [Column<Group>] =
        [
            Column("scenario") { $0.scenario },
            Column("variant") { $0.variant },
            Column("run") { "\($0.run)" },
            Column("group") { $0.name },
            Column("strategy") { $0.strategy },
        ] + DownloadStats.columns { $0.downloads } + [
            Column(Metrics.meanSeeding) { CSVFormat.seconds($0.downloads.meanSeeding) },
            Column(bytesUp) { g in "\(g.records.reduce(0) { $0 + $1.bytesUp })" },
            Column(bytesDown) { g in "\(g.records.reduce(0) { $0 + $1.bytesDown })" },
            Column(bttSpent) { $0.total(\.bttSpent) },
            Column(bttEarned) { $0.total(\.bttEarned) },
            Column(Metrics.bttFees) { $0.total(\.bttFees) },
            Column(Metrics.bttNet) { $0.total(\.bttNet) },
            Column(storageFiles) { $0.storage.map { "\($0.files)" } ?? "" },
            Column(storageFilesLost) { $0.storage.map { "\($0.lost)" } ?? "" },
            Column(storageBTT) { $0.storage.map { "\($0.cost)" } ?? "" },
        ]

    public static var header: [String] { all.map(\.name) }
    public static var metrics: [Metric] { all.compactMap(\.metric) }

    /// groups.csv for `runs`.
    public static func table(_ runs: [RunOutput], scenario: String, variant: String) -> CSVTable {
        var t = CSVTable(header: header)
        for r in runs {
            let storage = StorageTables.peerTotals(r.result)
            for (name, strategy) in r.result.groups {
                let records = r.result.peers.filter { $0.group == name }
                let rented = records.compactMap { storage[$0.peer] }
                let group = Group(
                    scenario: scenario, variant: variant, run: r.run, name: name, strategy: strategy, records: records,
                    downloads: DownloadStats(records),
                    storage: rented.isEmpty ? nil : rented.reduce(StorageTables.RenterTotals(), +))
                t.append(all.cells(group))
            }
        }
        return t
    }
}
