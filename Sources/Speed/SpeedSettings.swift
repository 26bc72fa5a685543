import Incentives

/// How Speed peers of a run bid, sell and pay (the scenario's `incentives:` block, in
/// the Incentives module's units).
public struct SpeedSettings: Sendable {
    public var bidding: Bidding
    /// Most one requester promises for its download; nil: its whole ledger balance.
    public var budget: TokenAmount?
    /// A provider sells no slot below this.
    public var reserve: Price
    public var channelDeposit: TokenAmount
    /// Share of vouchers whose signature a provider checks (1 in Live; the closing
    /// voucher is always checked).
    public var verifyFraction: Double
    /// A provider's defence against requesters that take a channel's worth and pay
    /// nothing: once one of its channels closes with more than a piece's worth unpaid,
    /// the requester's bids are ignored and it gets no free slot from this provider
    /// (only the optimistic one, as any peer).
    public var refuseDefaulters: Bool
    /// A requester's defence against providers that sell a slot, take the escrow and
    /// serve nothing on it: once a fresh channel (nothing paid on it yet) has had our
    /// requests unanswered for the client's request timeout, the requester closes it
    /// (its escrow comes back), withdraws its bid and bids there no more.
    public var leaveWithholders: Bool

    public init(
        bidding: Bidding, budget: TokenAmount? = nil, reserve: Price = .zero, channelDeposit: TokenAmount = .btt(5),
        verifyFraction: Double = 0.01, refuseDefaulters: Bool = false, leaveWithholders: Bool = false
    ) {
        self.bidding = bidding
        self.budget = budget
        self.reserve = reserve
        self.channelDeposit = channelDeposit
        self.verifyFraction = verifyFraction
        self.refuseDefaulters = refuseDefaulters
        self.leaveWithholders = leaveWithholders
    }
}

public enum Bidding: Sendable, Equatable {
    case fixed(Price)
    /// BitTorrent Speed's rule: spending rate × balance ÷ remaining data, at most `ceiling`.
    case auto(spendingRate: Double, ceiling: Price)
}
