import Incentives
import SimKernel

/// The scenario's `incentives:` block (docs/model.md, "Strategies and BitTorrent Speed"): how BitTorrent Speed peers bid and
/// pay, and the chain they settle on. Only `speed` groups bid and sell slots; every group
/// gets ledger and wallet accounts so that balances are reported alike.
public struct IncentivesSpec: Sendable, Equatable {
    /// How a requester prices its bid.
    public var bid = BidRule.fixed
    /// The bid of `fixed` requesters, and the ceiling of `auto` ones.
    public var price = Price.bttPerGiB(1)
    /// `auto`: the share of the balance a requester spends on the rest of its download.
    public var spendingRate = 0.5
    /// Most a requester spends on one download (nil: its whole ledger balance); a group's
    /// `budget` overrides it.
    public var budget: TokenAmount?
    /// A provider sells no slot below this price.
    public var reserve = Price.zero
    /// Escrow locked when a channel opens; a new channel opens when it runs out.
    public var channelDeposit = TokenAmount.btt(5)
    /// Block time, fee, exchange (confirmation) delay and minimum amounts.
    public var chain = ChainSettings()
    /// Share of vouchers whose signature a provider checks in the simulator (the closing
    /// voucher is always checked).
    public var verifyFraction = 0.01
    /// A provider ignores the bids of a requester that closed one of its channels with
    /// more than a piece's worth unpaid, and gives it no free slot.
    public var refuseDefaulters = false
    /// A requester closes a fresh channel whose provider served nothing for the request
    /// timeout, and bids there no more.
    public var leaveWithholders = false

    public init() {}
}

public enum BidRule: String, Sendable, Equatable, CaseIterable {
    /// Every requester bids `price`.
    case fixed
    /// spending rate × balance ÷ remaining data, capped by `price`; re-bid on a change
    /// over 10 %.
    case auto
}

/// What a peer of a group holds at arrival.
public struct WalletSpec: Sendable, Equatable {
    /// Balance on the in-app ledger, which pays channels.
    public var ledger: TokenAmount
    /// Balance in the on-chain wallet: deposited to the ledger when the ledger runs short,
    /// and pays chain fees.
    public var chain: TokenAmount

    public init(ledger: TokenAmount = .zero, chain: TokenAmount = .zero) {
        self.ledger = ledger
        self.chain = chain
    }
}

/// Seeding driven by earnings: after the drawn seeding time (the floor), a peer stays
/// while its BTT earnings over the last `window` are at least its private cost.
public struct RationalSeeding: Sendable, Equatable {
    /// The private cost of seeding, drawn once per peer, in BTT per hour.
    public var costPerHour: Distribution
    /// How often the decision is re-evaluated.
    public var interval: SimTime
    /// The span over which the earnings rate is measured.
    public var window: SimTime

    public init(costPerHour: Distribution, interval: SimTime = .minutes(10), window: SimTime = .minutes(30)) {
        self.costPerHour = costPerHour
        self.interval = interval
        self.window = window
    }
}
