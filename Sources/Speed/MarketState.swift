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
