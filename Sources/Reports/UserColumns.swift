import Incentives
import Swarm

/// users.csv: one row per run and user of a catalogue (docs/metrics.md, "Catalogues"),
/// written when some group has `downloads:`.
public enum UserColumns {
    /// What a cell is made from: one user in one run.
    public struct User: Sendable {
        public let run: Int
        public let record: UserRecord
    }

    public static let all: [Column<User>] = [
        Column("run") { "\($0.run)" },
        Column("user") { "\($0.record.user + 1)" },
        Column("group") { $0.record.group },
        Column("strategy") { $0.record.strategy },
        Column("up_bps") { CSVFormat.fixed($0.record.upBitsPerSecond, 0) },
        Column("down_bps") { CSVFormat.fixed($0.record.downBitsPerSecond, 0) },
        Column("joined_s") { CSVFormat.seconds($0.record.joined.seconds) },
        Column("torrents_wanted") { "\($0.record.wanted)" },
        Column("torrents_joined") { "\($0.record.started)" },
        Column("torrents_completed") { "\($0.record.completed)" },
        Column("bytes_down") { "\($0.record.bytesDown)" },
        Column("bytes_up") { "\($0.record.bytesUp)" },
        Column("btt_spent") { "\($0.record.bttSpent)" },
        Column("btt_earned") { "\($0.record.bttEarned)" },
        Column(Metrics.bttFees) { "\($0.record.bttFees)" },
        Column(Metrics.bttNet) { "\($0.record.bttNet)" },
        Column("ledger_btt") { "\($0.record.ledger)" },
        Column("wallet_btt") { "\($0.record.wallet)" },
    ]

    public static var header: [String] { all.map(\.name) }

    /// users.csv for `runs`; nil when none has users.
    public static func table(_ runs: [RunOutput]) -> CSVTable? {
        guard runs.contains(where: { !$0.result.users.isEmpty }) else { return nil }
        var t = CSVTable(header: header)
        for r in runs {
            for u in r.result.users { t.append(all.cells(User(run: r.run, record: u))) }
        }
        return t
    }
}
