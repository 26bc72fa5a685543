import Incentives
import SimKernel

/// The money of a storage run: a sealed ledger holding BTT's genesis supply, a chain, and
/// one escrow account holding every contract's prepaid periods. Contracts move tokens on
/// the ledger at once (escrow at signing, a payout or refund per period) and log each
/// release on the chain as a settlement, whose fee the escrow pays from what the renter
/// prepaid: so a renter's cost is known at signing and conservation is exact.
public final class StorageBank {
    public static let genesisSupply = TokenAmount.btt(990_000_000_000)

    public private(set) var ledger = TokenLedger()
    public private(set) var chain: Chain
    public let escrow: AccountID
    let world: AccountID
    /// Fees charged so far (each release's settlement).
    public private(set) var feesCharged = TokenAmount.zero

    public init(chain settings: ChainSettings) {
        world = ledger.openAccount(.world)
        escrow = ledger.openAccount(.escrow)
        let fees = ledger.openAccount(.fees)
        let exchange = ledger.openAccount(.exchange)
        do { try ledger.mint(Self.genesisSupply, to: world) } catch { preconditionFailure("genesis: \(error)") }
        ledger.seal()
        chain = Chain(settings: settings, feeSink: fees, exchange: exchange)
    }

    /// The fee of one chain transaction.
    public var fee: TokenAmount { chain.settings.fee }

    /// Opens an account holding `funds` from the world.
    public func openAccount(_ kind: AccountKind, funds: TokenAmount) -> AccountID {
        let account = ledger.openAccount(kind)
        if funds > .zero { move(funds, from: world, to: account) }
        return account
    }

    public func balance(_ account: AccountID) -> TokenAmount { ledger.balance(account) }

    /// Moves `amount` into escrow; false (and nothing moved) when `from` lacks it.
    public func lock(_ amount: TokenAmount, from: AccountID) -> Bool {
        guard amount > .zero else { return true }
        guard ledger.balance(from) >= amount else { return false }
        move(amount, from: from, to: escrow)
        return true
    }

    /// Releases `amount` from escrow to `to` and logs it on the chain (contract `id`,
    /// `payer` → `payee`); the fee comes from escrow, where the renter prepaid it.
    public func release(
        _ amount: TokenAmount, to: AccountID, contract id: Int, payer: AccountID, payee: AccountID, paid: Bool,
        now: SimTime
    ) {
        if amount > .zero { move(amount, from: escrow, to: to) }
        let settlement = Settlement(
            channel: UInt64(id), payer: payer, payee: payee, paid: paid ? amount : .zero,
            refunded: paid ? .zero : amount)
        do { _ = try chain.submit(.settlement(settlement), feePayer: escrow, now: now) } catch {
            preconditionFailure("settlements have no minimum: \(error)")
        }
    }

    /// Includes the chain's transactions due by `now` (charging their fees).
    public func advance(to now: SimTime) {
        for event in chain.advance(to: now, ledger: &ledger) {
            if case .included(_, _, _, let fee, _) = event { feesCharged += fee }
            if case .failed(_, _, let reason, _) = event {
                preconditionFailure("escrow short of a prepaid fee: \(reason)")
            }
        }
    }

    public var isConserved: Bool { ledger.isConserved }

    private func move(_ amount: TokenAmount, from: AccountID, to: AccountID) {
        do { try ledger.transfer(amount, from: from, to: to) } catch {
            preconditionFailure("balance was checked: \(error)")
        }
    }
}
