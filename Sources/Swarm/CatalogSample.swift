import Incentives
import SimKernel
import Speed

/// A catalogue's economy at one sample time (the columns timeseries.csv gains for a
/// catalogue, docs/metrics.md "Catalogues").
public struct CatalogSample: Sendable, Equatable {
    public var time: SimTime
    /// Torrents released by now, and those whose online peers hold a full copy.
    public var torrentsReleased: Int
    public var torrentsAvailable: Int
    /// Users with at least one download online (downloading or seeding).
    public var usersOnline: Int
    /// BTT on the Speed users' ledger accounts and in their wallets, in all.
    public var bttLedgers: TokenAmount
    public var bttWallets: TokenAmount
    /// The Gini coefficient of the Speed users' balances (ledger plus wallet); nil
    /// without Speed users or when all hold nothing.
    public var balanceGini: Double?
    /// Speed users whose ledger and wallet together hold less than one channel deposit:
    /// they cannot open a payment channel until they earn.
    public var usersWithoutFunds: Int

    /// Gini's coefficient of non-negative `values`: 0 when all are equal, towards 1 when
    /// one holds everything; nil when they sum to 0.
    public static func gini(_ values: [Double]) -> Double? {
        let sorted = values.sorted()
        let total = sorted.reduce(0, +)
        guard !sorted.isEmpty, total > 0 else { return nil }
        let n = Double(sorted.count)
        let weighted = sorted.enumerated().reduce(0.0) { $0 + Double($1.offset + 1) * $1.element }
        return 2 * weighted / (n * total) - (n + 1) / n
    }
}

extension Simulation {
    /// The catalogue's sample at `time`, from the swarms, the users and the market.
    func catalogSample(at time: SimTime) -> CatalogSample {
        var sample = CatalogSample(
            time: time, torrentsReleased: plans.reduce(0) { $0 + ($1.release <= time ? 1 : 0) },
            torrentsAvailable: swarms.reduce(0) { $0 + ($1.metrics.hasFullCopy ? 1 : 0) },
            usersOnline: users.reduce(0) { $0 + ($1.online > 0 ? 1 : 0) }, bttLedgers: .zero, bttWallets: .zero,
            balanceGini: nil, usersWithoutFunds: 0)
        guard let market else { return sample }
        let deposit = Self.speedSettings(scenario.incentives).channelDeposit
        var balances: [Double] = []
        for user in users {
            // A user whose first download has not started has no account yet.
            guard let account = user.account else { continue }
            let (ledger, wallet) = (market.balance(account.ledger), market.balance(account.wallet))
            sample.bttLedgers += ledger
            sample.bttWallets += wallet
            balances.append(Double((ledger + wallet).baseUnits))
            if ledger + wallet < deposit { sample.usersWithoutFunds += 1 }
        }
        sample.balanceGini = CatalogSample.gini(balances)
        return sample
    }
}
