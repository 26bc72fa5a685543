/// An amount of BTT in base units: 1 BTT = 10^6 (TRC-10 precision 6). Integers, never
/// `Double`, so that conservation holds exactly.
public struct TokenAmount: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public static let baseUnitsPerBTT: Int64 = 1_000_000
    public var baseUnits: Int64

    public init(baseUnits: Int64) { self.baseUnits = baseUnits }

    public static let zero = TokenAmount(baseUnits: 0)

    /// Whole and fractional BTT, rounded to the nearest base unit.
    public static func btt(_ value: Double) -> TokenAmount {
        TokenAmount(baseUnits: Int64((value * Double(baseUnitsPerBTT)).rounded()))
    }

    public var btt: Double { Double(baseUnits) / Double(Self.baseUnitsPerBTT) }

    /// BTT with exactly 6 decimals, as the reports print it.
    public var description: String {
        let sign = baseUnits < 0 ? "-" : ""
        let magnitude = baseUnits.magnitude
        let whole = magnitude / UInt64(Self.baseUnitsPerBTT)
        let fraction = String(magnitude % UInt64(Self.baseUnitsPerBTT))
        return "\(sign)\(whole).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
    }

    public static func < (a: TokenAmount, b: TokenAmount) -> Bool { a.baseUnits < b.baseUnits }
    public static func + (a: TokenAmount, b: TokenAmount) -> TokenAmount {
        TokenAmount(baseUnits: a.baseUnits + b.baseUnits)
    }
    public static func - (a: TokenAmount, b: TokenAmount) -> TokenAmount {
        TokenAmount(baseUnits: a.baseUnits - b.baseUnits)
    }
    public static func += (a: inout TokenAmount, b: TokenAmount) { a.baseUnits += b.baseUnits }
    public static func -= (a: inout TokenAmount, b: TokenAmount) { a.baseUnits -= b.baseUnits }
}
