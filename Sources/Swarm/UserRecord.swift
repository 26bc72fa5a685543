import Incentives
import SimKernel

/// What happened to one user of a catalogue (a row of users.csv): its host, its downloads
/// (its peers, whose rows in peers.csv have its `user` number), and its one balance.
public struct UserRecord: Sendable, Equatable {
    /// Its index among the run's users, in arrival order (users.csv shows it from 1).
    public var user: Int
    public var group: String
    public var strategy: String
    public var upBitsPerSecond: Double
    public var downBitsPerSecond: Double
    public var joined: SimTime
    /// How many torrents it drew to download, and how many it started and completed.
    public var wanted: Int
    public var started: Int
    public var completed: Int
    /// Its peers' payload bytes and BTT, summed.
    public var bytesDown: Int64
    public var bytesUp: Int64
    public var bttSpent: TokenAmount
    public var bttEarned: TokenAmount
    public var bttFees: TokenAmount
    /// Its ledger and wallet balances at the end (zero without Speed).
    public var ledger: TokenAmount
    public var wallet: TokenAmount

    public var bttNet: TokenAmount { bttEarned - bttSpent - bttFees }
}

extension Simulation {
    /// The users' rows, from their peers' finished `records`.
    func userRecords(_ records: [PeerRecord]) -> [UserRecord] {
        var rows = users.enumerated().map { u, user in
            let spec = scenario.peers[user.group]
            return UserRecord(
                user: u, group: spec.name, strategy: spec.strategy.name, upBitsPerSecond: user.up,
                downBitsPerSecond: user.down, joined: user.joined, wanted: user.started + user.wanted + user.passed,
                started: user.started, completed: 0, bytesDown: 0, bytesUp: 0, bttSpent: .zero, bttEarned: .zero,
                bttFees: .zero, ledger: user.account.flatMap { a in market?.balance(a.ledger) } ?? .zero,
                wallet: user.account.flatMap { a in market?.balance(a.wallet) } ?? .zero)
        }
        for r in records {
            guard let u = r.user, rows.indices.contains(u) else { continue }
            rows[u].completed += r.completed == nil ? 0 : 1
            rows[u].bytesDown += r.bytesDown
            rows[u].bytesUp += r.bytesUp
            rows[u].bttSpent += r.bttSpent
            rows[u].bttEarned += r.bttEarned
            rows[u].bttFees += r.bttFees
        }
        return rows
    }
}
