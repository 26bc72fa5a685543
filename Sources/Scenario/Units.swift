import SimKernel

/// Quantities with units (docs/scenarios.md): sizes, bit rates, durations and event rates.
///
/// A number without a unit is always an error where a unit is expected: `100` could be
/// bytes or KiB, seconds or minutes, and a silent guess would skew a study without anyone
/// noticing. Space between number and unit is optional so `--set torrent.size=1GiB` works.
enum Units {
    /// What is wrong with a quantity; the caller adds the file, line and key.
    struct Problem: Error, Equatable {
        let message: String
        init(_ message: String) { self.message = message }
    }

    /// Bytes per unit: decimal (10^3) and binary (2^10) prefixes.
    static let sizeUnits: [(name: String, bytes: Double)] = [
        ("B", 1), ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12),
        ("KiB", 1024), ("MiB", 1_048_576), ("GiB", 1_073_741_824), ("TiB", 1_099_511_627_776),
    ]

    /// Bits per second per unit; `bps`-style names are common aliases of `bit/s`.
    static let rateUnits: [(name: String, bitsPerSecond: Double)] = [
        ("bit/s", 1), ("kbit/s", 1e3), ("Mbit/s", 1e6), ("Gbit/s", 1e9),
        ("bps", 1), ("kbps", 1e3), ("Mbps", 1e6), ("Gbps", 1e9),
        ("B/s", 8), ("KB/s", 8e3), ("MB/s", 8e6), ("GB/s", 8e9),
        ("KiB/s", 8 * 1024), ("MiB/s", 8 * 1_048_576), ("GiB/s", 8 * 1_073_741_824),
    ]

    /// Nanoseconds per unit, so whole-unit durations convert to `SimTime` exactly.
    static let timeUnits: [(name: String, nanoseconds: Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9),
        ("min", 60e9), ("h", 3600e9), ("d", 86_400e9),
    ]

    static let sizeExample = "expected a size such as \"256 KiB\""
    static let rateExample = "expected a rate such as \"1 Mbit/s\""
    static let durationExample = "expected a duration such as \"10 min\""
    static let eventRateExample = "expected an event rate such as \"2/s\" or \"100/h\""

    /// A positive size in whole bytes.
    static func size(_ text: String) throws(Problem) -> Int64 {
        let (value, unit) = try split(text, expected: sizeExample)
        guard let factor = sizeUnits.first(where: { $0.name == unit })?.bytes else {
            throw unknownUnit(unit, in: text, kind: "size", names: sizeUnits.map(\.name))
        }
        guard value > 0 else { throw Problem("must be positive, got \(quoted(text))") }
        let bytes = value * factor
        guard bytes < 9.2e18 else { throw Problem("is too large, got \(quoted(text))") }
        let whole = bytes.rounded()
        guard abs(bytes - whole) <= 1e-9 * max(1, whole), whole >= 1 else {
            throw Problem("must be a whole number of bytes, got \(quoted(text))")
        }
        return Int64(whole)
    }

    /// A positive rate in bits per second.
    static func rate(_ text: String) throws(Problem) -> Double {
        let (value, unit) = try split(text, expected: rateExample)
        guard let factor = rateUnits.first(where: { $0.name == unit })?.bitsPerSecond else {
            throw unknownUnit(unit, in: text, kind: "rate", names: rateUnits.map(\.name))
        }
        guard value > 0 else { throw Problem("must be positive, got \(quoted(text))") }
        return value * factor
    }

    /// A duration; zero only when `allowZero` (seeding for 0 s is meaningful, a rechoke
    /// interval of 0 s is not).
    static func duration(_ text: String, allowZero: Bool) throws(Problem) -> SimTime {
        let (value, unit) = try split(text, expected: durationExample)
        guard let factor = timeUnits.first(where: { $0.name == unit })?.nanoseconds else {
            throw unknownUnit(unit, in: text, kind: "time", names: timeUnits.map(\.name))
        }
        guard value >= 0 else { throw Problem("must not be negative, got \(quoted(text))") }
        guard allowZero || value > 0 else { throw Problem("must be positive, got \(quoted(text))") }
        let nanoseconds = (value * factor).rounded()
        guard nanoseconds < 9.2e18 else { throw Problem("is too long, got \(quoted(text))") }
        return SimTime(nanoseconds: Int64(nanoseconds))
    }

    /// A duration in seconds, for distributions (which work in `Double` seconds).
    static func durationSeconds(_ text: String, allowZero: Bool) throws(Problem) -> Double {
        try duration(text, allowZero: allowZero).seconds
    }

    /// Events per second from `2/s`, `100/h`, `5/min` or `1/d`; positive.
    static func eventRate(_ text: String) throws(Problem) -> Double {
        guard let (value, rest) = scanNumber(text) else {
            throw Problem("\(eventRateExample), got \(quoted(text))")
        }
        let afterNumber = rest.drop(while: { $0 == " " })
        guard afterNumber.first == "/" else {
            let missing = afterNumber.isEmpty ? " (the time unit is missing)" : ""
            throw Problem("\(eventRateExample), got \(quoted(text))\(missing)")
        }
        let unit = String(afterNumber.dropFirst().drop(while: { $0 == " " }))
        guard let nanoseconds = timeUnits.first(where: { $0.name == unit })?.nanoseconds else {
            throw unknownUnit(unit, in: text, kind: "time", names: timeUnits.map(\.name))
        }
        guard value > 0 else { throw Problem("must be positive, got \(quoted(text))") }
        return value / (nanoseconds / 1e9)
    }

    /// A duration in the largest unit that expresses it exactly (`2 h`, `90 s`), for
    /// messages that quote a default the user never wrote.
    static func describe(_ time: SimTime) -> String {
        if time == .zero { return "0 s" }
        for (name, nanoseconds) in timeUnits.reversed() where name != "µs" {
            let factor = Int64(nanoseconds)
            if time.nanoseconds % factor == 0 { return "\(time.nanoseconds / factor) \(name)" }
        }
        return "\(time.nanoseconds) ns"
    }

    /// A size in the largest binary unit that expresses it exactly (`256 KiB`), for
    /// messages that quote a size the user may not have written.
    static func describeSize(_ bytes: Int64) -> String {
        for (name, factor) in [("TiB", Int64(1) << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        where bytes >= factor && bytes % factor == 0 {
            return "\(bytes / factor) \(name)"
        }
        return "\(bytes) B"
    }

    /// Seconds per time unit name (`h` → 3600), for `lognormal`'s `unit:`.
    static func secondsPerTimeUnit(_ name: String) -> Double? {
        timeUnits.first(where: { $0.name == name }).map { $0.nanoseconds / 1e9 }
    }

    /// A plain decimal number (`-2.41`, `0.63`, `1e-3`); nil for anything else,
    /// including `inf` and `nan` that `Double.init` would accept.
    static func number(_ text: String) -> Double? {
        guard let (value, rest) = scanNumber(text), rest.isEmpty else { return nil }
        return value
    }

    /// Splits `"1.5 GiB"` into 1.5 and `"GiB"`, with the error messages shared by all
    /// unit kinds for a missing number or a missing unit.
    private static func split(_ text: String, expected: String) throws(Problem) -> (Double, String) {
        guard let (value, rest) = scanNumber(text) else {
            throw Problem("\(expected), got \(quoted(text))")
        }
        let unit = String(rest.drop(while: { $0 == " " }))
        guard !unit.isEmpty else {
            throw Problem("\(expected), got \(quoted(text)) (the unit is missing)")
        }
        return (value, unit)
    }

    static func unknownUnit(_ unit: String, in text: String, kind: String, names: [String]) -> Problem {
        let hint = Suggestions.hint(for: unit, among: names, listIntro: "use")
        return Problem("unknown \(kind) unit \(quoted(unit)) in \(quoted(text))\(hint)")
    }

    /// Reads a leading decimal number: optional sign, digits with an optional fraction,
    /// optional exponent. Returns the value and the text after it, or nil if there is none.
    static func scanNumber(_ text: String) -> (Double, Substring)? {
        let trimmed = Substring(text.trimmingSpaces())
        let scalars = trimmed.unicodeScalars
        var end = scalars.startIndex
        func skip(_ accept: (Unicode.Scalar) -> Bool) -> Int {
            var count = 0
            while end < scalars.endIndex, accept(scalars[end]) {
                end = scalars.index(after: end)
                count += 1
            }
            return count
        }
        let isDigit: (Unicode.Scalar) -> Bool = { ("0"..."9").contains($0) }
        if end < scalars.endIndex, scalars[end] == "+" || scalars[end] == "-" { end = scalars.index(after: end) }
        var mantissaDigits = skip(isDigit)
        if end < scalars.endIndex, scalars[end] == "." {
            end = scalars.index(after: end)
            mantissaDigits += skip(isDigit)
        }
        guard mantissaDigits > 0 else { return nil }
        if end < scalars.endIndex, scalars[end] == "e" || scalars[end] == "E" {
            let mark = end
            end = scalars.index(after: end)
            if end < scalars.endIndex, scalars[end] == "+" || scalars[end] == "-" { end = scalars.index(after: end) }
            if skip(isDigit) == 0 { end = mark }
        }
        guard let value = Double(String(trimmed[..<end])), value.isFinite else { return nil }
        return (value, trimmed[end...])
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}

/// Sizes written with units outside a scenario (command-line options such as
/// `--piece-size 256KiB`), with the scenario's rules and messages.
public enum SizeText {
    public static func bytes(_ text: String) throws -> Int64 {
        do { return try Units.size(text) } catch { throw QuantityTextError(description: error.message) }
    }
}

public struct QuantityTextError: Error, CustomStringConvertible {
    public let description: String
}
