import Incentives
import SimKernel

/// The money of a storage run: a sealed ledger holding BTT's genesis supply, a chain, and
/// one escrow account holding every contract's prepaid periods. Contracts move tokens on
/// the ledger at once (escrow at signing, a payout or refund per period, as Speed's
/// vouchers move on its in-app ledger) and settle on the chain once, when they end, with
/// a fee the escrow pays from what the renter prepaid: so a renter's cost is known at
/// signing and conservation is exact.
public final class StorageBank {
    public private(set) var ledger: TokenLedger
    public private(set) var chain: Chain
    public let escrow: AccountID
    let world: AccountID

    public init(chain settings: ChainSettings) {
        let genesis = Genesis(chain: settings)
        ledger = genesis.ledger
        chain = genesis.chain
        escrow = genesis.escrow
        world = genesis.world
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

    /// Releases `amount` from escrow to `to` on the ledger (a period's pay or refund).
    public func release(_ amount: TokenAmount, to: AccountID) {
        if amount > .zero { move(amount, from: escrow, to: to) }
    }

    /// Logs a finished contract on the chain (contract `id`, what the host was paid and
    /// the renter refunded); the fee comes from escrow, where the renter prepaid it.
    public func settle(
        contract id: Int, payer: AccountID, payee: AccountID, paid: TokenAmount, refunded: TokenAmount, now: SimTime
    ) {
        let settlement = Settlement(channel: UInt64(id), payer: payer, payee: payee, paid: paid, refunded: refunded)
        do { _ = try chain.submit(.settlement(settlement), feePayer: escrow, now: now) } catch {
            preconditionFailure("settlements have no minimum: \(error)")
        }
    }

    /// Includes the chain's transactions due by `now` (charging their fees).
    public func advance(to now: SimTime) {
        for event in chain.advance(to: now, ledger: &ledger) {
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
