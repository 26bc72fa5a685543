import Incentives
import SimKernel

/// Everything a `SpeedMarket` remembers between calls: balances, the chain, open
/// channels and the payment log. A value, so that a store can save and reload it whole
/// (a ledger file shared by Live peers in different processes).
public struct MarketState: Sendable, Codable {
    var ledger = TokenLedger()
    var chain: Chain
    var channels: [UInt64: ChannelTerms] = [:]
    var accruedOnChannel: [UInt64: TokenAmount] = [:]
    var nextChannel: UInt64 = 1
    /// Peer of each account (nil for system accounts), and who pays each pending fee.
    var owner: [Int?] = []
    var feePayers: [TransactionID: AccountID] = [:]
    /// Deposits submitted and not yet credited (or failed), by transaction.
    var deposits: [TransactionID: AccountID] = [:]
    var records: [PaymentRecord] = []
    /// Per peer: settled payments, and voucher value accepted as payee (earnings as they
    /// accrue, before settlement). Peers without an account have none.
    var spent: [TokenAmount] = []
    var earned: [TokenAmount] = []
    var accrued: [TokenAmount] = []
    /// Voucher value accepted by all providers so far.
    var transferred = TokenAmount.zero
    /// Everything paid to providers in settled channels.
    var volume = TokenAmount.zero

    /// Fees that `account` will pay for transactions already submitted.
    func pendingFees(of account: AccountID) -> TokenAmount {
        let count = feePayers.values.filter { $0 == account }.count
        return TokenAmount(baseUnits: chain.settings.fee.baseUnits * Int64(count))
    }

    /// One access to the state for both the chain and the ledger it moves tokens in.
    mutating func advanceChain(to now: SimTime) -> [ChainEvent] { chain.advance(to: now, ledger: &ledger) }
}

/// Where a market's state lives when more than one process trades on it. The market
/// reloads before every operation and saves after every change, holding the store's
/// lock from load to save, so each operation sees every other process's last change.
public protocol MarketStore: AnyObject {
    /// The state saved since this store last loaded or saved, or nil when there is none
    /// newer.
    func load() -> MarketState?
    func save(_ state: MarketState)
    /// Runs `body` holding a lock that every process sharing the store respects.
    func exclusively<T>(_ body: () -> T) -> T
}

/// What a market's state only ever appends to: the payment log and the chain's
/// settlement log. A store that saves after every change keeps it apart and appends to it
/// (`LedgerFile`), so a change costs what the live market holds (accounts, open channels,
/// pending transactions), not everything that ever happened.
public struct MarketHistory: Sendable, Codable {
    public internal(set) var records: [PaymentRecord] = []
    public internal(set) var settlements: [Chain.LoggedSettlement] = []

    public init() {}

    public var isEmpty: Bool { records.isEmpty && settlements.isEmpty }

    /// How many entries of each kind.
    public var count: Count { Count(records: records.count, settlements: settlements.count) }

    public struct Count: Sendable, Codable, Equatable {
        public var records: Int
        public var settlements: Int
        public static let zero = Count(records: 0, settlements: 0)
    }

    public mutating func append(_ later: MarketHistory) {
        records += later.records
        settlements += later.settlements
    }
}

extension MarketState {
    /// How much history the state holds.
    public var historyCount: MarketHistory.Count {
        MarketHistory.Count(records: records.count, settlements: chain.settlementLog.count)
    }

    /// The state without its history, and the history entries past `count`; nil when the
    /// state holds less history than `count` (it is not a later state of the same market).
    public func split(after count: MarketHistory.Count) -> (present: MarketState, appended: MarketHistory)? {
        var present = self
        let log = present.chain.takeSettlementLog()
        guard count.records <= records.count, count.settlements <= log.count else { return nil }
        var appended = MarketHistory()
        appended.records = Array(records[count.records...])
        appended.settlements = Array(log[count.settlements...])
        present.records = []
        return (present, appended)
    }

    /// Puts `history` back in front of what the state holds: the inverse of `split`.
    public mutating func restore(_ history: MarketHistory) {
        records = history.records + records
        chain.restoreSettlementLog(history.settlements)
    }
}
