import Incentives
import SimKernel

/// The money of a storage market run alone: a sealed ledger holding BTT's genesis supply,
/// a chain, and one escrow account holding every contract's prepaid periods. Contracts
/// move tokens on the ledger at once (escrow at signing, a payout or refund per period, as
/// Speed's vouchers move on its in-app ledger) and settle on the chain once, when they
/// end, with a fee the escrow pays from what the renter prepaid: so a renter's cost is
/// known at signing and conservation is exact.
public final class StorageBank: EscrowBank {
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

    public var fee: TokenAmount { chain.settings.fee }

    public var unallocated: TokenAmount { ledger.balance(world) }

    public func openAccount(_ kind: AccountKind, funds: TokenAmount) -> AccountID {
        let account = ledger.openAccount(kind)
        if funds > .zero { move(funds, from: world, to: account) }
        return account
    }

    public func balance(_ account: AccountID) -> TokenAmount { ledger.balance(account) }

    /// All of it: only contract settlements, prepaid in escrow, use this chain.
    public func spendable(_ account: AccountID) -> TokenAmount { ledger.balance(account) }

    public func lock(_ amount: TokenAmount, from: AccountID) -> Bool {
        guard amount > .zero else { return true }
        guard ledger.balance(from) >= amount else { return false }
        move(amount, from: from, to: escrow)
        return true
    }

    public func release(_ amount: TokenAmount, to: AccountID) {
        if amount > .zero { move(amount, from: escrow, to: to) }
    }

    public func settle(_ settlement: Settlement, now: SimTime) {
        do { _ = try chain.submit(.settlement(settlement), feePayer: escrow, now: now) } catch {
            preconditionFailure("settlements have no minimum: \(error)")
        }
    }

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
