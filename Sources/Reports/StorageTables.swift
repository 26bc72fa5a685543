import Incentives
import Storage
import Swarm

/// The storage market's CSV files (docs/metrics.md): `storage.csv` every storage
/// sample interval, `files.csv` one row per stored file, `hosts.csv` one row per host
/// (the storage columns of `summary.csv` are among `SummaryColumns`).
public enum StorageTables {
    public static let storageHeader = [
        "run", "t_s", "files_stored", "files_readable", "files_lost", "shards_present", "shards_online",
        "hosts_online", "repair_bytes", "btt_paid",
    ]
    public static let filesHeader = [
        "run", "file", "renter", "renter_group", "bytes", "redundancy", "shards", "needed", "uploaded_s", "hosts",
        "lost_at_s", "cost_btt", "peer",
    ]
    public static let hostsHeader = [
        "run", "host", "group", "capacity_bytes", "price_ubtt_gib_day", "uptime_fraction", "score", "contracts",
        "challenges_passed", "challenges_failed", "earned_btt", "departed_s",
    ]
    /// Appended to peers.csv: what a peer that rents storage stored, lost and paid (hosts'
    /// pay and chain fees); empty for a peer that rents nothing.
    public static let peerColumns = ["storage_files", "storage_files_lost", "storage_btt"]

    /// What one renter, or several together, stored, lost and paid.
    public struct RenterTotals: Sendable, Equatable {
        public var files = 0
        public var lost = 0
        public var cost = TokenAmount.zero

        static func + (a: RenterTotals, b: RenterTotals) -> RenterTotals {
            RenterTotals(files: a.files + b.files, lost: a.lost + b.lost, cost: a.cost + b.cost)
        }

        /// The cells of `peerColumns`.
        var cells: [String] { ["\(files)", "\(lost)", "\(cost)"] }
    }

    /// The totals of each renting peer of one run, by peer index.
    static func peerTotals(_ result: RunResult) -> [Int: RenterTotals] {
        guard let o = result.storage else { return [:] }
        var totals: [Int: RenterTotals] = [:]
        for case let peer? in o.renterPeers { totals[peer] = RenterTotals() }
        for f in o.files {
            guard let peer = o.renterPeers[f.renter] else { continue }
            totals[peer]?.files += 1
            totals[peer]?.lost += f.lostAt == nil ? 0 : 1
            totals[peer]?.cost += f.cost
        }
        return totals
    }

    /// The three tables of `runs`, or nil when none has a storage market.
    public static func tables(_ runs: [RunOutput]) -> [CSVTable]? {
        let outcomes = runs.compactMap { r in r.result.storage.map { (r.run, $0) } }
        guard !outcomes.isEmpty else { return nil }
        var storage = CSVTable(header: storageHeader)
        var files = CSVTable(header: filesHeader)
        var hosts = CSVTable(header: hostsHeader)
        for (run, o) in outcomes {
            for s in o.samples {
                storage.append(
                    [
                        "\(run)", CSVFormat.seconds(s.time.seconds), "\(s.filesStored)", "\(s.filesReadable)",
                        "\(s.filesLost)", "\(s.shardsPresent)", "\(s.shardsOnline)", "\(s.hostsOnline)",
                        "\(s.repairBytes)", "\(s.paidToHosts)",
                    ])
            }
            for f in o.files {
                files.append(
                    [
                        "\(run)", "\(f.id)", "\(f.renter)", o.renterGroups[f.renter], "\(f.bytes)", "\(f.redundancy)",
                        "\(f.redundancy.shardCount)", "\(f.redundancy.needed)", CSVFormat.seconds(f.uploaded.seconds),
                        "\(f.hostsUsed.count)", CSVFormat.seconds(f.lostAt?.seconds), "\(f.cost)",
                        o.renterPeers[f.renter].map { "\($0)" } ?? "",
                    ])
            }
            for (h, host) in o.hosts.enumerated() {
                hosts.append(
                    [
                        "\(run)", "\(host.id)", o.settings.hosts[host.group].name, "\(host.capacityBytes)",
                        CSVFormat.fixed(host.price, 3), CSVFormat.fixed(host.uptimeFraction(at: o.end), 6),
                        CSVFormat.fixed(o.scores[h], 6), "\(host.contractsSigned)", "\(host.passed)", "\(host.failed)",
                        "\(host.earned)", CSVFormat.seconds(host.departed?.seconds),
                    ])
            }
        }
        return [storage, files, hosts]
    }
}
