import SimKernel

/// The chain's tunables (`incentives.chain` in a scenario).
public struct ChainSettings: Sendable, Equatable, Codable {
    /// TRON produces a block every 3 s.
    public var blockTime = SimTime.seconds(3)
    /// Fee per transaction, paid by the account the transaction draws on (a deposit's
    /// wallet, a withdrawal's or settlement's ledger account) to the fee sink. Small
    /// against channel amounts, as TRON's bandwidth-priced TRC-10 transfers are.
    public var fee = TokenAmount.btt(0.01)
    /// Time from inclusion until a deposit or withdrawal is credited.
    public var confirmationDelay = SimTime.seconds(60)
    public var minimumDeposit = TokenAmount.btt(1)
    public var minimumWithdrawal = TokenAmount.btt(1)

    public init() {}
}

/// What a transaction does once included in a block.
public enum ChainTransaction: Sendable, Equatable, Codable {
    /// Wallet → in-app ledger, credited after the confirmation delay.
    case deposit(wallet: AccountID, ledger: AccountID, amount: TokenAmount)
    /// In-app ledger → wallet, credited after the confirmation delay.
    case withdrawal(ledger: AccountID, wallet: AccountID, amount: TokenAmount)
    /// A closed payment channel, logged on chain (the tokens moved on the in-app ledger).
    case settlement(Settlement)
}

public struct TransactionID: Hashable, Sendable, Comparable, Codable {
    public let value: Int
    public static func < (a: TransactionID, b: TransactionID) -> Bool { a.value < b.value }
}

/// What happened on the chain, in order, for the reports.
public enum ChainEvent: Sendable, Equatable {
    case included(TransactionID, ChainTransaction, block: Int, fee: TokenAmount, at: SimTime)
    case failed(TransactionID, ChainTransaction, reason: LedgerError, at: SimTime)
    case credited(TransactionID, ChainTransaction, at: SimTime)
}

/// A TRON-like chain, sans-IO: transactions submitted at time t are included in the
/// first block after t (blocks every `blockTime`), each paying a fee; deposits and
/// withdrawals are credited `confirmationDelay` after inclusion; channel settlements are
/// kept as the on-chain log. The driver calls `advance(to:ledger:)` at `nextDeadline`.
public struct Chain: Sendable, Codable {
    public let settings: ChainSettings
    private let feeSink: AccountID
    private let exchange: AccountID
    private var pending: [Pending] = []
    private var credits: [Credit] = []
    private var nextID = 0
    public private(set) var settlementLog: [LoggedSettlement] = []

    private struct Pending: Sendable, Codable {
        var id: TransactionID
        var tx: ChainTransaction
        var payer: AccountID
        var inclusion: SimTime
    }

    private struct Credit: Sendable, Codable {
        var id: TransactionID
        var tx: ChainTransaction
        var at: SimTime
    }

    /// Hands over the settlement log, leaving it empty: a store that persists the log
    /// apart from the rest of the state (an append-only file) takes it this way.
    public mutating func takeSettlementLog() -> [LoggedSettlement] {
        defer { settlementLog = [] }
        return settlementLog
    }

    /// Puts earlier settlements back in front of those logged since `takeSettlementLog`.
    public mutating func restoreSettlementLog(_ earlier: [LoggedSettlement]) {
        settlementLog = earlier + settlementLog
    }

    /// A channel settlement as the chain keeps it, with its block number.
    public struct LoggedSettlement: Sendable, Codable {
        public var block: Int
        public var settlement: Settlement
    }

    /// `feeSink` and `exchange` are accounts of the ledger this chain will move tokens in.
    public init(settings: ChainSettings, feeSink: AccountID, exchange: AccountID) {
        self.settings = settings
        self.feeSink = feeSink
        self.exchange = exchange
    }

    /// The first block strictly after `time`.
    public func nextBlock(after time: SimTime) -> SimTime {
        let b = settings.blockTime.nanoseconds
        return SimTime(nanoseconds: (time.nanoseconds / b + 1) * b)
    }

    /// Queues a transaction; its fee is charged to `payer` (a wallet) at inclusion.
    public mutating func submit(_ tx: ChainTransaction, feePayer payer: AccountID, now: SimTime) throws(ChainError)
        -> TransactionID
    {
        switch tx {
        case .deposit(_, _, let amount) where amount < settings.minimumDeposit:
            throw .belowMinimum(amount, minimum: settings.minimumDeposit)
        case .withdrawal(_, _, let amount) where amount < settings.minimumWithdrawal:
            throw .belowMinimum(amount, minimum: settings.minimumWithdrawal)
        default: break
        }
        let id = TransactionID(value: nextID)
        nextID += 1
        pending.append(Pending(id: id, tx: tx, payer: payer, inclusion: nextBlock(after: now)))
        return id
    }

    /// When `advance` next has something to do, if anything.
    public var nextDeadline: SimTime? {
        let a = pending.first?.inclusion
        let b = credits.map(\.at).min()
        switch (a, b) {
        case (let a?, let b?): return min(a, b)
        case (let a?, nil): return a
        case (nil, let b?): return b
        case (nil, nil): return nil
        }
    }

    /// Includes every transaction due by `now` and pays every credit due, in time order.
    public mutating func advance(to now: SimTime, ledger: inout TokenLedger) -> [ChainEvent] {
        var events: [ChainEvent] = []
        while let next = nextDeadline, next <= now {
            if let first = pending.first, first.inclusion == next {
                pending.removeFirst()
                events.append(include(first.id, first.tx, payer: first.payer, at: next, ledger: &ledger))
            } else if let k = credits.firstIndex(where: { $0.at == next }) {
                let c = credits.remove(at: k)
                events.append(credit(c.id, c.tx, at: next, ledger: &ledger))
            }
        }
        return events
    }

    /// Charges the fee and moves the amount, or fails with no change at all: a
    /// transaction that cannot pay both is rejected whole, so no fee is ever taken for
    /// nothing.
    private mutating func include(
        _ id: TransactionID, _ tx: ChainTransaction, payer: AccountID, at time: SimTime, ledger: inout TokenLedger
    ) -> ChainEvent {
        let fee = settings.fee
        var movement: (source: AccountID, amount: TokenAmount)?
        switch tx {
        case .deposit(let source, _, let amount), .withdrawal(let source, _, let amount): movement = (source, amount)
        case .settlement: movement = nil
        }
        let payerNeeds = fee + (movement?.source == payer ? movement!.amount : .zero)
        if ledger.balance(payer) < payerNeeds {
            return .failed(
                id, tx, reason: .insufficientFunds(needed: payerNeeds, available: ledger.balance(payer)), at: time)
        }
        if let m = movement, ledger.balance(m.source) < m.amount {
            return .failed(
                id, tx, reason: .insufficientFunds(needed: m.amount, available: ledger.balance(m.source)), at: time)
        }
        do {
            if fee > .zero { try ledger.transfer(fee, from: payer, to: feeSink) }
            if let m = movement { try ledger.transfer(m.amount, from: m.source, to: exchange) }
        } catch {
            preconditionFailure("balances were checked: \(error)")
        }
        let block = Int(time.nanoseconds / settings.blockTime.nanoseconds)
        switch tx {
        case .deposit, .withdrawal: credits.append(Credit(id: id, tx: tx, at: time + settings.confirmationDelay))
        case .settlement(let s): settlementLog.append(LoggedSettlement(block: block, settlement: s))
        }
        return .included(id, tx, block: block, fee: fee, at: time)
    }

    private func credit(_ id: TransactionID, _ tx: ChainTransaction, at time: SimTime, ledger: inout TokenLedger)
        -> ChainEvent
    {
        switch tx {
        case .deposit(_, let to, let amount), .withdrawal(_, let to, let amount):
            // The exchange holds exactly what it was given at inclusion.
            do { try ledger.transfer(amount, from: exchange, to: to) } catch {
                preconditionFailure("exchange account short of a confirmed amount: \(error)")
            }
        case .settlement:
            break
        }
        return .credited(id, tx, at: time)
    }
}

public enum ChainError: Error, Sendable, Equatable, CustomStringConvertible {
    case belowMinimum(TokenAmount, minimum: TokenAmount)

    public var description: String {
        switch self {
        case .belowMinimum(let a, let m): "\(a) BTT is below the minimum of \(m) BTT"
        }
    }
}
