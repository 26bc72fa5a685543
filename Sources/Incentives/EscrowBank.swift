import SimKernel

/// What a market of prepaid contracts (BTFS storage) needs from the money of a run: open
/// accounts, lock a contract's prepayment in escrow, release it period by period, and log
/// the finished contract on the chain with a fee prepaid in escrow.
///
/// Two implementations: a market alone keeps its own sealed ledger (`StorageBank`), and a
/// run where peers also trade on BitTorrent Speed puts both markets on Speed's ledger and
/// chain, so BTT a peer earns seeding is BTT it can spend on storage, and conservation is
/// checked over both at once.
public protocol EscrowBank: AnyObject {
    /// The fee of one chain transaction.
    var fee: TokenAmount { get }
    /// What is left of the genesis supply to open accounts with.
    var unallocated: TokenAmount { get }
    /// Opens an account holding `funds` from the world; the caller checks `unallocated`.
    func openAccount(_ kind: AccountKind, funds: TokenAmount) -> AccountID
    /// What `account` can lock now: its balance less the fees of its transactions still
    /// waiting for a block.
    func spendable(_ account: AccountID) -> TokenAmount
    /// Moves `amount` into escrow; false (and nothing moved) when `from` cannot spend it.
    func lock(_ amount: TokenAmount, from: AccountID) -> Bool
    /// Releases `amount` from escrow to `to` (a period's pay or a refund).
    func release(_ amount: TokenAmount, to: AccountID)
    /// Logs a finished contract on the chain; its fee comes from escrow, where the renter
    /// prepaid it with the contract.
    func settle(_ settlement: Settlement, now: SimTime)
    /// Includes the chain's transactions due by `now`.
    func advance(to now: SimTime)
    /// Total supply unchanged and no balance negative.
    var isConserved: Bool { get }
}
