import Scenario
import SimKernel
import Swarm

/// One finished run with what identifies it in the output.
public struct RunOutput: Sendable {
    public var run: Int
    public var result: RunResult
    public var peakRSSMiB: Double

    public init(run: Int, result: RunResult, peakRSSMiB: Double) {
        self.run = run
        self.result = result
        self.peakRSSMiB = peakRSSMiB
    }
}

/// The CSV files of docs/metrics.md. Column names and meanings are a contract:
/// columns may be added at the end, never changed.
public enum ResultTables {
    public static let peersHeader =
        [
            "run", "peer", "group", "strategy", "up_bps", "down_bps", "joined_s", "completed_s", "left_s", "download_s",
            "bytes_down", "bytes_up", "btt_spent", "btt_earned", "seeding_s",
        ] + StorageTables.peerColumns + ["btt_fees", "btt_net", "torrent", "user", "identities"]
    public static var timeseriesHeader: [String] { ["run"] + sampleColumns.map(\.name) }
    /// The columns of timeseries.csv after `run`, one per `Sample` field.
    static let sampleColumns: [Column<Sample>] = [
        Column("t_s") { CSVFormat.seconds($0.time.seconds) },
        Column("leechers") { "\($0.leechers)" },
        Column("seeds") { "\($0.seeds)" },
        Column("online") { "\($0.online)" },
        Column("completed_total") { "\($0.completedTotal)" },
        Column("distributed_copies") { CSVFormat.fixed($0.distributedCopies, 4) },
        Column("throughput_bps") { CSVFormat.fixed($0.throughputBitsPerSecond, 0) },
        Column(bttTransferred) { "\($0.bttTransferred)" },
        Column("mean_copies") { CSVFormat.fixed($0.meanCopies, 4) },
    ]
    /// The market's, not a swarm's: left out of torrent_timeseries.csv.
    static let bttTransferred = "btt_transferred"
    /// The sample columns that describe one swarm.
    static var swarmSampleColumns: [Column<Sample>] { sampleColumns.filter { $0.name != bttTransferred } }
    public static var summaryHeader: [String] { SummaryColumns.header }

    public static let paymentsHeader = ["run", "t_s", "kind", "payer", "payee", "amount_btt", "channel", "vouchers"]

    /// One row per ledger or chain event, in the order they happened within each run.
    public static func payments(_ runs: [RunOutput]) -> CSVTable {
        var t = CSVTable(header: paymentsHeader)
        for r in runs {
            for p in r.result.payments {
                t.append([
                    "\(r.run)", CSVFormat.seconds(p.time.seconds), p.kind.rawValue, p.payer.map { "\($0)" } ?? "",
                    p.payee.map { "\($0)" } ?? "", "\(p.amount)", p.channel.map { "\($0)" } ?? "", "\(p.vouchers)",
                ])
            }
        }
        return t
    }

    public static func peers(_ runs: [RunOutput]) -> CSVTable {
        var t = CSVTable(header: peersHeader)
        for r in runs {
            let storage = StorageTables.peerTotals(r.result)
            for p in r.result.peers {
                t.append(
                    [
                        "\(r.run)", "\(p.peer)", p.group, p.strategy, CSVFormat.fixed(p.upBitsPerSecond, 0),
                        CSVFormat.fixed(p.downBitsPerSecond, 0), CSVFormat.seconds(p.joined.seconds),
                        CSVFormat.seconds(p.completed?.seconds), CSVFormat.seconds(p.left?.seconds),
                        CSVFormat.seconds(p.downloadTime?.seconds), "\(p.bytesDown)", "\(p.bytesUp)", "\(p.bttSpent)",
                        "\(p.bttEarned)",
                        CSVFormat.seconds(p.seeding.seconds),
                    ] + (storage[p.peer]?.cells ?? StorageTables.peerColumns.map { _ in "" }) + [
                        "\(p.bttFees)", "\(p.bttNet)", "\(p.torrent)", p.user.map { "\($0 + 1)" } ?? "",
                        "\(p.identities)",
                    ])
            }
        }
        return t
    }

    /// The columns a catalogue's timeseries.csv has after the others (docs/metrics.md,
    /// "Catalogues"); a one-torrent timeseries.csv has none of them.
    static let catalogColumns: [Column<CatalogSample>] = [
        Column("torrents_released") { "\($0.torrentsReleased)" },
        Column("torrents_available") { "\($0.torrentsAvailable)" },
        Column("users_online") { "\($0.usersOnline)" },
        Column("btt_ledgers") { "\($0.bttLedgers)" },
        Column("btt_wallets") { "\($0.bttWallets)" },
        Column("balance_gini") { CSVFormat.optional($0.balanceGini, 6) },
        Column("users_without_funds") { "\($0.usersWithoutFunds)" },
    ]

    public static func timeseries(_ runs: [RunOutput]) -> CSVTable {
        let catalog = runs.contains { $0.result.isCatalog }
        var t = CSVTable(header: timeseriesHeader + (catalog ? catalogColumns.map(\.name) : []))
        for r in runs {
            let extra = r.result.catalogSamples
            for (k, s) in r.result.samples.enumerated() {
                let more =
                    catalog ? (k < extra.count ? catalogColumns.cells(extra[k]) : catalogColumns.map { _ in "" }) : []
                t.append(["\(r.run)"] + sampleColumns.cells(s) + more)
            }
        }
        return t
    }

    public static func summary(_ runs: [RunOutput], scenario: String, variant: String) -> CSVTable {
        var t = CSVTable(header: summaryHeader)
        for r in runs {
            t.append(
                SummaryColumns.all.cells(
                    SummaryColumns.Run(scenario: scenario, variant: variant, output: r, summary: RunSummary(r.result))))
        }
        return t
    }
}
