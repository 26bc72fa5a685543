/// A price for data, in base units per GiB (`incentives.price: 0.5 BTT/GiB` is 500,000).
public struct Price: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let bytesPerGiB: Int64 = 1 << 30
    public var baseUnitsPerGiB: Int64

    public init(baseUnitsPerGiB: Int64) { self.baseUnitsPerGiB = baseUnitsPerGiB }
    public static func bttPerGiB(_ value: Double) -> Price {
        Price(baseUnitsPerGiB: TokenAmount.btt(value).baseUnits)
    }
    public static let zero = Price(baseUnitsPerGiB: 0)

    /// What `bytes` cost at this price, rounded to the nearest base unit (exact 128-bit
    /// arithmetic: no overflow for any price and size that fit in Int64).
    public func cost(bytes: Int64) -> TokenAmount {
        precondition(baseUnitsPerGiB >= 0 && bytes >= 0, "prices and sizes are not negative")
        let product = baseUnitsPerGiB.multipliedFullWidth(by: bytes)
        let half = Self.bytesPerGiB / 2
        let (low, carry) = product.low.addingReportingOverflow(UInt64(half))
        let high = product.high + (carry ? 1 : 0)
        let (quotient, _) = Self.bytesPerGiB.dividingFullWidth((high: high, low: low))
        return TokenAmount(baseUnits: quotient)
    }

    public var description: String { "\(TokenAmount(baseUnits: baseUnitsPerGiB)) BTT/GiB" }
    public static func < (a: Price, b: Price) -> Bool { a.baseUnitsPerGiB < b.baseUnitsPerGiB }
}
