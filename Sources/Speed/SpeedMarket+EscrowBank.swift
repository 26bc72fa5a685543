import Incentives
import SimKernel

/// BTFS contracts on Speed's ledger and chain: a peer rents storage from the same in-app
/// balance it pays and earns vouchers with, as the BitTorrent app's single BTT wallet
/// does. Contract escrow shares the escrow account with payment channels (each side
/// knows its own amounts); contract settlements are chain transactions like channel
/// settlements, but log no Speed payment records.
extension SpeedMarket: EscrowBank {
    public var fee: TokenAmount { chain.settings.fee }

    public func openAccount(_ kind: AccountKind, funds: TokenAmount) -> AccountID {
        change {
            let account = state.ledger.openAccount(kind)
            state.owner.append(nil)
            if funds > .zero { move(funds, from: world, to: account) }
            return account
        }
    }

    /// A peer's balance less the fees it owes for transactions waiting for a block, so
    /// storage never leaves a Speed settlement or withdrawal without its fee.
    public func spendable(_ account: AccountID) -> TokenAmount {
        let free = balance(account) - pendingFees(of: account)
        return free > .zero ? free : .zero
    }

    public func lock(_ amount: TokenAmount, from: AccountID) -> Bool {
        guard amount > .zero else { return true }
        return change {
            guard state.ledger.balance(from) - state.pendingFees(of: from) >= amount else { return false }
            move(amount, from: from, to: escrow)
            return true
        }
    }

    public func release(_ amount: TokenAmount, to: AccountID) {
        guard amount > .zero else { return }
        change { move(amount, from: escrow, to: to) }
    }

    public func settle(_ settlement: Settlement, now: SimTime) {
        change {
            do { _ = try state.chain.submit(.settlement(settlement), feePayer: escrow, now: now) } catch {
                preconditionFailure("settlements have no minimum: \(error)")
            }
        }
    }

    public func advance(to now: SimTime) { advanceChain(to: now) }

    /// Part of a change: a transfer whose balance was checked.
    private func move(_ amount: TokenAmount, from: AccountID, to: AccountID) {
        do { try state.ledger.transfer(amount, from: from, to: to) } catch {
            preconditionFailure("balance was checked: \(error)")
        }
    }
}
