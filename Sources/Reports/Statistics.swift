import CGSL

/// Descriptive statistics through GSL, so quantiles follow one documented definition
/// (GSL's linear interpolation between order statistics, as R's type 7).
public enum Statistics {
    public static func mean(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        return values.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, $0.count) }
    }

    /// The `q` quantile (0...1) of `values`.
    public static func quantile(_ values: [Double], _ q: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted.withUnsafeBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, $0.count, q) }
    }

    public static func median(_ values: [Double]) -> Double? { quantile(values, 0.5) }
}
