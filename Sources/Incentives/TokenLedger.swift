/// What an account is for; reports and checks use it, transfers do not.
public enum AccountKind: Sendable, Equatable, Codable {
    /// A peer's balance on BitTorrent Speed's in-app ledger (pays and receives vouchers).
    case ledger(peer: Int)
    /// A peer's on-chain (TRON) wallet.
    case wallet(peer: Int)
    /// Funds locked in open payment channels (one account for all; each channel knows
    /// its own deposit).
    case escrow
    /// Transaction fees collected by the chain.
    case fees
    /// Funds in transit between wallet and ledger during a deposit or withdrawal.
    case exchange
    /// Tokens held outside the simulated swarm: the genesis supply, from which peers'
    /// starting balances are transferred as they arrive.
    case world
    /// A BTFS storage host's account (earns contract payouts).
    case storageHost(Int)
    /// A BTFS renter's account (pays for storage contracts).
    case storageRenter(Int)
    /// An account of `peer` with no balance of its own: it holds and moves the balance of
    /// account `holder`. A catalogue user's peers, one per torrent, each have one on the
    /// user's ledger account and wallet, so that the user has one balance while payments
    /// are still told apart by peer (docs/architecture.md, "One run, several torrents").
    case alias(peer: Int, holder: Int)
}

/// An account's position in its ledger; peers exchange it in Speed's BEP 10 handshake.
public struct AccountID: Hashable, Sendable, Codable {
    public let index: Int
    public init(index: Int) { self.index = index }
}

/// Balances of every account, in base units; the only place tokens move.
///
/// Tokens are created once, at genesis, and never again: every later operation is a
/// transfer, so the total supply is constant. `isConserved` checks that, and runs after
/// every simulation and in tests.
public struct TokenLedger: Sendable, Codable {
    public private(set) var kinds: [AccountKind] = []
    private var balances: [Int64] = []
    public private(set) var totalSupply = TokenAmount.zero
    private var sealed = false

    public init() {}

    public mutating func openAccount(_ kind: AccountKind) -> AccountID {
        kinds.append(kind)
        balances.append(0)
        return AccountID(index: balances.count - 1)
    }

    /// A new account of `peer` that shares `account`'s balance (`AccountKind.alias`).
    public mutating func openAlias(of account: AccountID, for peer: Int) -> AccountID {
        openAccount(.alias(peer: peer, holder: holder(account)))
    }

    /// The account whose balance `account` moves: itself, or what it is an alias of.
    public func holder(_ account: AccountID) -> Int {
        if case .alias(_, let holder) = kinds[account.index] { return holder }
        return account.index
    }

    /// Creates tokens in `account`; only before `seal()` (genesis allocations).
    public mutating func mint(_ amount: TokenAmount, to account: AccountID) throws(LedgerError) {
        guard !sealed else { throw .supplyIsFixed }
        guard amount.baseUnits >= 0 else { throw .nonPositiveAmount(amount) }
        balances[holder(account)] += amount.baseUnits
        totalSupply += amount
    }

    /// Ends genesis: from now on tokens only move.
    public mutating func seal() { sealed = true }

    public func balance(_ account: AccountID) -> TokenAmount { TokenAmount(baseUnits: balances[holder(account)]) }

    /// Moves `amount`; fails without any change when the sender lacks it.
    public mutating func transfer(_ amount: TokenAmount, from: AccountID, to: AccountID) throws(LedgerError) {
        guard amount.baseUnits > 0 else { throw .nonPositiveAmount(amount) }
        let (source, target) = (holder(from), holder(to))
        guard balances[source] >= amount.baseUnits else {
            throw .insufficientFunds(needed: amount, available: balance(from))
        }
        balances[source] -= amount.baseUnits
        balances[target] += amount.baseUnits
    }

    /// The sum of all balances equals the supply created at genesis, and none is negative.
    public var isConserved: Bool {
        balances.reduce(0, +) == totalSupply.baseUnits && balances.allSatisfy { $0 >= 0 }
    }
}

public enum LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    case insufficientFunds(needed: TokenAmount, available: TokenAmount)
    case nonPositiveAmount(TokenAmount)
    case supplyIsFixed

    public var description: String {
        switch self {
        case .insufficientFunds(let needed, let available): "insufficient funds: need \(needed) BTT, have \(available)"
        case .nonPositiveAmount(let a): "amount must be positive, got \(a) BTT"
        case .supplyIsFixed: "tokens can only be created at genesis"
        }
    }
}
