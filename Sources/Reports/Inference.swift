import CGSL

/// A mean with its Student-t confidence interval.
public struct MeanEstimate: Sendable, Equatable {
    public var n: Int
    public var mean: Double
    /// Sample standard deviation (n − 1 in the denominator); 0 when n < 2.
    public var sd: Double
    /// Lower bound of the two-sided interval at the requested level. One value has no spread to
    /// estimate, so when n < 2 no interval can be given and both bounds equal `mean`: a caller
    /// that prints `low…high` then shows a point, not an invented width.
    public var low: Double
    /// Upper bound; see `low`.
    public var high: Double
}

/// A paired comparison: the mean of `variant − base` over replications that share their random
/// numbers, with its t interval and the paired t-test's two-sided p-value.
public struct PairedDifference: Sendable, Equatable {
    public var n: Int
    public var meanDifference: Double
    public var low: Double
    public var high: Double
    /// Two-sided p-value for H0: the mean difference is 0.
    public var pValue: Double
}

/// Welch's two-sample t-test for two independent samples.
public struct WelchResult: Sendable, Equatable {
    /// (mean a − mean b) / √(var a / n a + var b / n b); the sign says which sample is larger.
    public var t: Double
    /// Welch–Satterthwaite degrees of freedom; not an integer in general.
    public var degreesOfFreedom: Double
    /// Two-sided p-value for H0: the two means are equal.
    public var pValue: Double
}

/// Confidence intervals and t-tests over replication results, computed through GSL so the
/// t distribution is GSL's (the same library already behind `Statistics`), not a hand-rolled one.
///
/// Replications are few (often 5–30) and their variance unknown, hence Student-t rather than
/// normal intervals. `level` must lie strictly between 0 and 1; anything else is a caller's bug
/// and traps. NaN values are not filtered: they propagate into the result.
public enum Inference {
    /// Mean and two-sided `level` (default 0.95) Student-t interval: mean ± t_{1−(1−level)/2, n−1} · sd/√n.
    /// nil for no values.
    public static func mean(_ values: [Double], level: Double = 0.95) -> MeanEstimate? {
        precondition(level > 0 && level < 1, "confidence level \(level) outside (0, 1)")
        guard !values.isEmpty else { return nil }
        let n = values.count
        let mean = values.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, $0.count) }
        guard n >= 2 else { return MeanEstimate(n: n, mean: mean, sd: 0, low: mean, high: mean) }
        let sd = values.withUnsafeBufferPointer { gsl_stats_sd_m($0.baseAddress, 1, $0.count, mean) }
        let halfWidth = criticalT(level: level, degreesOfFreedom: Double(n - 1)) * sd / Double(n).squareRoot()
        return MeanEstimate(n: n, mean: mean, sd: sd, low: mean - halfWidth, high: mean + halfWidth)
    }

    /// The fraction of `true` with its Wilson score interval at `level` (Wilson 1927),
    /// which stays within [0, 1] and keeps its width at 0 or n of n, where the normal
    /// interval collapses to a point. `sd` is the 0/1 values' sample standard deviation.
    public static func proportion(_ values: [Bool], level: Double = 0.95) -> MeanEstimate? {
        precondition(level > 0 && level < 1, "confidence level \(level) outside (0, 1)")
        guard let plain = mean(values.map { $0 ? 1 : 0 }, level: level) else { return nil }
        let n = Double(values.count)
        let p = plain.mean
        let z = gsl_cdf_ugaussian_Pinv(1 - (1 - level) / 2)
        let scale = 1 + z * z / n
        let center = (p + z * z / (2 * n)) / scale
        let halfWidth = z / scale * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()
        return MeanEstimate(
            n: plain.n, mean: p, sd: plain.sd, low: max(0, center - halfWidth), high: min(1, center + halfWidth))
    }

    /// Paired comparison of `variant` against `base` (same length, paired by index: common random numbers):
    /// the mean difference variant − base with its t interval, and the two-sided p-value of the paired
    /// t-test (H0: mean difference 0). Pairing removes the variance the two runs share, so it detects
    /// smaller effects than comparing the two samples independently.
    ///
    /// When every difference is identical (sd 0) the t statistic is 0/0 or ±∞, so the limit is given:
    /// p = 1 if the difference is 0, else 0, and the interval collapses to the difference.
    /// A single pair (n = 1) has no degrees of freedom: the interval is the difference and p = 1,
    /// since one pair is no evidence against H0. nil when the lengths differ or are 0.
    public static func paired(base: [Double], variant: [Double], level: Double = 0.95) -> PairedDifference? {
        guard base.count == variant.count else { return nil }
        let differences = zip(variant, base).map { $0 - $1 }
        guard let d = mean(differences, level: level) else { return nil }
        let pValue: Double
        if d.n < 2 {
            pValue = 1
        } else if d.sd == 0 {
            pValue = d.mean == 0 ? 1 : 0
        } else {
            let t = d.mean / (d.sd / Double(d.n).squareRoot())
            pValue = twoSidedP(t: t, degreesOfFreedom: Double(d.n - 1))
        }
        return PairedDifference(n: d.n, meanDifference: d.mean, low: d.low, high: d.high, pValue: pValue)
    }

    /// Welch's two-sample t-test (unequal variances, Welch–Satterthwaite degrees of freedom), two-sided:
    /// for samples that are not paired, such as runs of two variants with independent seeds, whose
    /// spreads need not match. t is for a − b.
    ///
    /// When both variances are 0 the standard error is 0: p = 1 if the means are equal (t = 0), else
    /// p = 0 (t = ±infinity). The Welch–Satterthwaite formula is then 0/0, so the degrees of freedom
    /// reported are the pooled n a + n b − 2. nil when either sample has fewer than 2 values.
    public static func welch(_ a: [Double], _ b: [Double]) -> WelchResult? {
        guard a.count >= 2, b.count >= 2 else { return nil }
        let (meanA, varianceA) = meanAndVariance(a)
        let (meanB, varianceB) = meanAndVariance(b)
        let squaredErrorA = varianceA / Double(a.count)
        let squaredErrorB = varianceB / Double(b.count)
        let squaredError = squaredErrorA + squaredErrorB
        let difference = meanA - meanB
        guard squaredError > 0 else {
            let pooledDegreesOfFreedom = Double(a.count + b.count - 2)
            if difference == 0 { return WelchResult(t: 0, degreesOfFreedom: pooledDegreesOfFreedom, pValue: 1) }
            let t: Double = difference > 0 ? .infinity : -.infinity
            return WelchResult(t: t, degreesOfFreedom: pooledDegreesOfFreedom, pValue: 0)
        }
        let t = difference / squaredError.squareRoot()
        let denominator =
            squaredErrorA * squaredErrorA / Double(a.count - 1) + squaredErrorB * squaredErrorB / Double(b.count - 1)
        let degreesOfFreedom = squaredError * squaredError / denominator
        return WelchResult(
            t: t, degreesOfFreedom: degreesOfFreedom, pValue: twoSidedP(t: t, degreesOfFreedom: degreesOfFreedom))
    }

    /// t_{1−(1−level)/2, df}: the half-width of a two-sided interval in standard errors.
    private static func criticalT(level: Double, degreesOfFreedom: Double) -> Double {
        gsl_cdf_tdist_Pinv(1 - (1 - level) / 2, degreesOfFreedom)
    }

    /// 2 · P(T > |t|), from the upper tail directly: 1 − P(T ≤ |t|) would round tiny p-values to 0.
    private static func twoSidedP(t: Double, degreesOfFreedom: Double) -> Double {
        min(1, 2 * gsl_cdf_tdist_Q(abs(t), degreesOfFreedom))
    }

    /// Mean and sample variance (n − 1 in the denominator); needs at least 2 values.
    private static func meanAndVariance(_ values: [Double]) -> (mean: Double, variance: Double) {
        precondition(values.count >= 2, "sample variance needs 2 values, got \(values.count)")
        return values.withUnsafeBufferPointer {
            let mean = gsl_stats_mean($0.baseAddress, 1, $0.count)
            return (mean, gsl_stats_variance_m($0.baseAddress, 1, $0.count, mean))
        }
    }
}
