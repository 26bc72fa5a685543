import CGSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A random quantity as the scenario format describes it (docs/scenarios.md), in a base unit
/// chosen by the caller (seconds for durations).
///
/// Draws go through GSL so that the distributions are the well-tested ones.
public enum Distribution: Sendable, Equatable {
    case constant(Double)
    case exponential(mean: Double)
    /// `scale × exp(N(mu, sigma))`: mu and sigma are in the unit the scenario gave, and
    /// `scale` converts that unit to the base unit (3600 for hours to seconds).
    case lognormal(mu: Double, sigma: Double, scale: Double)
    case uniform(min: Double, max: Double)
    case weibull(scale: Double, shape: Double)
    /// Draws one of the listed values with equal probability.
    case empirical([Double])

    public func sample(_ stream: RandomStream) -> Double {
        switch self {
        case .constant(let v): return v
        case .exponential(let mean): return gsl_ran_exponential(stream.gsl, mean)
        case .lognormal(let mu, let sigma, let scale): return scale * gsl_ran_lognormal(stream.gsl, mu, sigma)
        case .uniform(let lo, let hi): return gsl_ran_flat(stream.gsl, lo, hi)
        case .weibull(let scale, let shape): return gsl_ran_weibull(stream.gsl, scale, shape)
        case .empirical(let values): return values[stream.integer(below: values.count)]
        }
    }

    /// The distribution's mean, used in reports and tests.
    public var mean: Double {
        switch self {
        case .constant(let v): return v
        case .exponential(let mean): return mean
        case .lognormal(let mu, let sigma, let scale): return scale * exp(mu + sigma * sigma / 2)
        case .uniform(let lo, let hi): return (lo + hi) / 2
        case .weibull(let scale, let shape): return scale * tgamma(1 + 1 / shape)
        case .empirical(let values): return values.reduce(0, +) / Double(values.count)
        }
    }

    /// Samples a duration, treating the base unit as seconds; negative draws clamp to 0.
    public func sampleDuration(_ stream: RandomStream) -> SimTime {
        .seconds(max(0, sample(stream)))
    }

    /// Samples a whole number within `range`, rounded: a draw outside it (or not a number,
    /// from a distribution's far tail) takes the nearer end (the lower one for NaN), so no
    /// draw can overflow the integer it becomes.
    public func sampleWhole(_ stream: RandomStream, within range: ClosedRange<Int64>) -> Int64 {
        Self.whole(sample(stream), within: range)
    }

    /// `value` rounded into `range`, as `sampleWhole` does.
    public static func whole(_ value: Double, within range: ClosedRange<Int64>) -> Int64 {
        guard value > Double(range.lowerBound) else { return range.lowerBound }
        return value < Double(range.upperBound) ? min(Int64(value.rounded()), range.upperBound) : range.upperBound
    }
}
