import Incentives

/// BTT quantities (docs/model.md, "Strategies and BitTorrent Speed"): amounts (`5 BTT`), prices (`0.5 BTT/GiB`) and costs
/// over time (`2 BTT/h`).
///
/// Amounts and prices are money, so they are read exactly from their decimal text into
/// integer base units (1 BTT = 10^6), never through a `Double`: `0.000001 BTT` is exactly
/// one base unit, and a price converts to base units per GiB with one rounding at the end.
/// Costs of seeding are a private taste drawn from a distribution, so they are `Double`s.
extension Units {
    static let tokenName = "BTT"
    static let amountExample = "expected an amount such as \"5 BTT\""
    static let priceExample = "expected a price such as \"0.5 BTT/GiB\""
    static let costRateExample = "expected a cost such as \"2 BTT/h\""
    /// BTT's total supply in whole BTT, as messages print it.
    static let supplyBTT = Genesis.supply.baseUnits / TokenAmount.baseUnitsPerBTT

    /// Cost units, with how many of each make one BTT per hour.
    static let costRateUnits: [(name: String, perHour: Double)] = [
        ("BTT/s", 3600), ("BTT/min", 60), ("BTT/h", 1), ("BTT/d", 1.0 / 24),
    ]

    /// An exact amount such as `5 BTT` or `0.000001 BTT`; positive unless `allowZero`.
    static func tokenAmount(_ text: String, allowZero: Bool) throws(Problem) -> TokenAmount {
        let (number, per) = try tokenQuantity(text, expected: amountExample)
        guard per == nil else { throw Problem("\(amountExample), got \(quoted(text))") }
        try checkSign(number, allowZero: allowZero, in: text)
        guard number.scale <= 6 else {
            throw Problem("has more than 6 decimal places (1 BTT is 1000000 base units), got \(quoted(text))")
        }
        guard let factor = powerOf10(6 - number.scale),
            let baseUnits = number.significand.multiplied(by: factor, adding: 0),
            // No balance can exceed what exists; bounding every amount by the supply also
            // keeps sums of a few amounts (a wallet's ledger and chain parts) inside Int64.
            baseUnits <= UInt64(Genesis.supply.baseUnits)
        else { throw Problem("is more than BTT's total supply of \(supplyBTT) BTT, got \(quoted(text))") }
        return TokenAmount(baseUnits: Int64(baseUnits))
    }

    /// A price such as `0.5 BTT/GiB` or `1 BTT/MiB`, at least zero, in base units per GiB
    /// rounded to the nearest.
    static func price(_ text: String) throws(Problem) -> Price {
        let (number, per) = try tokenQuantity(text, expected: priceExample)
        guard let per else { throw Problem("\(priceExample), got \(quoted(text))") }
        guard let bytes = sizeUnits.first(where: { $0.name == per })?.bytes else {
            throw unknownUnit(per, in: text, kind: "size", names: sizeUnits.map(\.name))
        }
        try checkSign(number, allowZero: true, in: text)
        // Base units per GiB = significand × 10^(6 − scale) × 2^30 ÷ bytes per unit; with
        // more than 6 decimals the power of ten moves to the divisor.
        let shift = 6 - number.scale
        guard let multiplierPower = powerOf10(max(0, shift)), let divisorPower = powerOf10(max(0, -shift)),
            let denominator = UInt64(bytes).multiplied(by: divisorPower, adding: 0)
        else { throw Problem("has too many decimal places, got \(quoted(text))") }
        let multiplier = multiplierPower * UInt64(Price.bytesPerGiB)
        guard let perGiB = roundedRatio(number.significand, times: multiplier, over: denominator),
            perGiB <= UInt64(Int64.max)
        else { throw Problem("is too large, got \(quoted(text))") }
        return Price(baseUnitsPerGiB: Int64(perGiB))
    }

    /// A cost over time such as `2 BTT/h` or `0.05 BTT/min`, in BTT per hour.
    static func costPerHour(_ text: String, allowZero: Bool) throws(Problem) -> Double {
        let (number, per) = try tokenQuantity(text, expected: costRateExample)
        guard let per else { throw Problem("\(costRateExample), got \(quoted(text))") }
        guard let factor = costRateUnits.first(where: { $0.name == "\(tokenName)/\(per)" })?.perHour else {
            let names = costRateUnits.map { String($0.name.dropFirst(tokenName.count + 1)) }
            throw unknownUnit(per, in: text, kind: "time", names: names)
        }
        try checkSign(number, allowZero: allowZero, in: text)
        return number.value * factor
    }

    // MARK: Reading

    /// A decimal number exactly as written: `significand × 10^−scale`, with `scale ≥ 0`
    /// and no trailing zeros in the fraction. `value` is the same number as a `Double`.
    struct ExactDecimal {
        var significand: UInt64
        var scale: Int
        var isNegative: Bool
        var value: Double
    }

    /// Splits `"0.5 BTT/GiB"` into the number and the unit after `BTT/` (nil when the
    /// text is a plain amount such as `"5 BTT"`), with the messages for a missing number,
    /// a missing unit or another token.
    private static func tokenQuantity(_ text: String, expected: String) throws(Problem) -> (ExactDecimal, String?) {
        guard let (value, rest) = scanNumber(text) else { throw Problem("\(expected), got \(quoted(text))") }
        let numberText = text.trimmingSpaces().unicodeScalars.dropLast(rest.unicodeScalars.count)
        guard var number = exactDecimal(String(numberText)) else {
            throw Problem("has more than 19 significant digits, got \(quoted(text))")
        }
        number.value = value
        let unit = rest.drop(while: { $0 == " " })
        guard !unit.isEmpty else { throw Problem("\(expected), got \(quoted(text)) (the unit is missing)") }
        let parts = unit.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let token = String(parts[0]).trimmingSpaces()
        guard token == tokenName else {
            let hint = Suggestions.hint(for: token, among: [tokenName], listIntro: "use")
            throw Problem("unknown token \(quoted(token)) in \(quoted(text))\(hint)")
        }
        return (number, parts.count > 1 ? String(parts[1]).trimmingSpaces() : nil)
    }

    private static func checkSign(_ number: ExactDecimal, allowZero: Bool, in text: String) throws(Problem) {
        let isZero = number.significand == 0
        guard !number.isNegative || isZero else { throw Problem("must not be negative, got \(quoted(text))") }
        guard allowZero || !isZero else { throw Problem("must be positive, got \(quoted(text))") }
    }

    /// Reads the text `scanNumber` accepted (sign, digits, fraction, exponent) exactly;
    /// nil when the significand does not fit in 64 bits.
    static func exactDecimal(_ text: String) -> ExactDecimal? {
        var number = ExactDecimal(significand: 0, scale: 0, isNegative: false, value: 0)
        var scalars = Substring(text).unicodeScalars[...]
        if let sign = scalars.first, sign == "+" || sign == "-" {
            number.isNegative = sign == "-"
            scalars = scalars.dropFirst()
        }
        var inFraction = false
        while let scalar = scalars.first, scalar != "e", scalar != "E" {
            scalars = scalars.dropFirst()
            if scalar == "." {
                inFraction = true
                continue
            }
            guard ("0"..."9").contains(scalar),
                let shifted = number.significand.multiplied(by: 10, adding: UInt64(scalar.value - 48))
            else { return nil }
            number.significand = shifted
            if inFraction { number.scale += 1 }
        }
        if !scalars.isEmpty {
            guard let exponent = Int(String(scalars.dropFirst())), abs(exponent) < 40 else { return nil }
            number.scale -= exponent
        }
        while number.scale > 0, number.significand % 10 == 0 {
            number.significand /= 10
            number.scale -= 1
        }
        while number.scale < 0 {
            guard let shifted = number.significand.multiplied(by: 10, adding: 0) else { return nil }
            number.significand = shifted
            number.scale += 1
        }
        return number
    }

    // MARK: Exact arithmetic

    /// 10^exponent for an exponent of at least 0; nil above 19, where it overflows.
    private static func powerOf10(_ exponent: Int) -> UInt64? {
        precondition(exponent >= 0, "callers pass the positive part of a shift")
        var result: UInt64 = 1
        for _ in 0..<exponent {
            guard let next = result.multiplied(by: 10, adding: 0) else { return nil }
            result = next
        }
        return result
    }

    /// `a × b ÷ d` rounded to the nearest whole number (halves up) in 128-bit arithmetic;
    /// nil when the result does not fit in 64 bits.
    private static func roundedRatio(_ a: UInt64, times b: UInt64, over d: UInt64) -> UInt64? {
        let product = a.multipliedFullWidth(by: b)
        let (low, carry) = product.low.addingReportingOverflow(d / 2)
        let (high, highOverflow) = product.high.addingReportingOverflow(carry ? 1 : 0)
        guard !highOverflow, high < d else { return nil }
        return d.dividingFullWidth((high: high, low: low)).quotient
    }
}

extension UInt64 {
    /// `self × factor + addend`, or nil on overflow.
    fileprivate func multiplied(by factor: UInt64, adding addend: UInt64) -> UInt64? {
        let (product, overflow) = multipliedReportingOverflow(by: factor)
        let (sum, carry) = product.addingReportingOverflow(addend)
        return overflow || carry ? nil : sum
    }
}

/// Token amounts and prices written outside a scenario (Live's `--price` and `--deposit`),
/// read exactly as the scenario reads them; a bare number is in BTT (per GiB for a price).
public enum TokenText {
    public static func amount(_ text: String, allowZero: Bool) throws -> TokenAmount {
        do { return try Units.tokenAmount(withUnit(text, " \(Units.tokenName)"), allowZero: allowZero) } catch {
            throw QuantityTextError(description: error.message)
        }
    }

    public static func price(_ text: String) throws -> Price {
        do { return try Units.price(withUnit(text, " \(Units.tokenName)/GiB")) } catch {
            throw QuantityTextError(description: error.message)
        }
    }

    private static func withUnit(_ text: String, _ unit: String) -> String {
        guard let (_, rest) = Units.scanNumber(text), String(rest).trimmingSpaces().isEmpty else { return text }
        return text.trimmingSpaces() + unit
    }
}
