/// BitTorrent Speed's automatic bid: spend a fixed share of the balance on the data still
/// needed — price = spending rate × balance ÷ remaining data — and only re-bid when that
/// moves by more than 10 %, so providers are not flooded with bid updates.
public struct AutoBidder: Sendable {
    /// The share of the current balance the requester will spend on this download.
    public let spendingRate: Double
    /// A new bid goes out when the computed price differs from the standing one by more
    /// than this fraction.
    public let rebidThreshold: Double
    /// No bid above this, whatever the balance (the group's budget per GiB).
    public let ceiling: Price?
    public private(set) var standing: Price?

    public init(spendingRate: Double, rebidThreshold: Double = 0.10, ceiling: Price? = nil) {
        precondition(spendingRate >= 0 && rebidThreshold >= 0, "rates are not negative")
        self.spendingRate = spendingRate
        self.rebidThreshold = rebidThreshold
        self.ceiling = ceiling
    }

    /// The price the rule gives now.
    public func price(balance: TokenAmount, remainingBytes: Int64) -> Price {
        guard remainingBytes > 0 else { return .zero }
        let perGiB = spendingRate * Double(balance.baseUnits) * Double(Price.bytesPerGiB) / Double(remainingBytes)
        let p = Price(baseUnitsPerGiB: Int64(min(perGiB.rounded(), Double(Int64.max / 2))))
        return ceiling.map { min($0, p) } ?? p
    }

    /// The new bid to send, or nil when the standing bid is still within the threshold.
    public mutating func update(balance: TokenAmount, remainingBytes: Int64) -> Price? {
        let p = price(balance: balance, remainingBytes: remainingBytes)
        if let s = standing {
            let base = max(Double(s.baseUnitsPerGiB), 1)
            guard abs(Double(p.baseUnitsPerGiB - s.baseUnitsPerGiB)) / base > rebidThreshold else { return nil }
        }
        standing = p
        return p
    }
}
