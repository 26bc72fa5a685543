/// A point or span of virtual time, as an integer count of nanoseconds.
///
/// Integers, not `Double`, so that event order never depends on rounding and a run is
/// reproducible bit for bit. Int64 nanoseconds cover ±292 years of simulated time.
public struct SimTime: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var nanoseconds: Int64

    @inlinable
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static let zero = SimTime(nanoseconds: 0)
    /// Later than any event a run can schedule; used as "never".
    public static let never = SimTime(nanoseconds: .max)

    /// Converts seconds to the nearest nanosecond; values beyond the range saturate.
    @inlinable
    public static func seconds(_ seconds: Double) -> SimTime {
        let ns = (seconds * 1e9).rounded()
        if ns >= 9.2e18 { return .never }
        if ns <= -9.2e18 { return SimTime(nanoseconds: .min) }
        return SimTime(nanoseconds: Int64(ns))
    }

    @inlinable public static func milliseconds(_ ms: Int64) -> SimTime { SimTime(nanoseconds: ms * 1_000_000) }
    @inlinable public static func minutes(_ m: Double) -> SimTime { .seconds(m * 60) }
    @inlinable public static func hours(_ h: Double) -> SimTime { .seconds(h * 3600) }

    @inlinable public var seconds: Double { Double(nanoseconds) / 1e9 }

    @inlinable public static func < (a: SimTime, b: SimTime) -> Bool { a.nanoseconds < b.nanoseconds }
    @inlinable public static func + (a: SimTime, b: SimTime) -> SimTime {
        SimTime(nanoseconds: a.nanoseconds &+ b.nanoseconds)
    }
    @inlinable public static func - (a: SimTime, b: SimTime) -> SimTime {
        SimTime(nanoseconds: a.nanoseconds &- b.nanoseconds)
    }
    @inlinable public static func += (a: inout SimTime, b: SimTime) { a = a + b }

    /// `self + gap`, or nil when `gap` is negative or the sum is past the end of time: for
    /// gaps drawn from a long tail, which must mean "never", not a wrapped-round time.
    public func adding(_ gap: SimTime) -> SimTime? {
        gap >= .zero && gap < .never && nanoseconds <= Int64.max - gap.nanoseconds ? self + gap : nil
    }

    /// Time to move `bytes` at `bitsPerSecond`, rounded up so a link is never faster than
    /// its capacity.
    @inlinable
    public static func transmission(bytes: Int, bitsPerSecond: Double) -> SimTime {
        let ns = (Double(bytes) * 8e9 / bitsPerSecond).rounded(.up)
        return SimTime(nanoseconds: Int64(ns))
    }

    public var description: String { "\(seconds) s" }
}
