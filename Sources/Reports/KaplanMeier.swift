import CGSL
import Foundation

/// The Kaplan–Meier estimate of a survival function from right-censored observations:
/// each run's swarm either died at its time or was still alive there (censored at its
/// horizon). Censored runs are never dropped: they count as at risk up to their time.
///
/// Intervals are the log-log ("exponential Greenwood") ones of Kalbfleisch and Prentice:
/// Greenwood's variance on the scale log(−log S), so the limits stay within [0, 1] at
/// every step, which the plain Greenwood interval S ± z·se does not.
public enum KaplanMeier {
    /// One observation: the time, and whether it was a death (false: censored there).
    public struct Observation: Sendable, Equatable {
        public var time: Double
        public var died: Bool

        public init(time: Double, died: Bool) {
            self.time = time
            self.died = died
        }
    }

    /// The estimate just after `time`.
    public struct Step: Sendable, Equatable {
        public var time: Double
        /// Observations whose time is at least `time` (a death and a censoring at the same
        /// time: the censored one still counts as at risk, the usual convention).
        public var atRisk: Int
        public var deaths: Int
        public var survival: Double
        public var low: Double
        public var high: Double
    }

    /// The steps at 0, at every death time, and at `horizon` (when it is later than the
    /// last of them), with two-sided `level` intervals.
    public static func estimate(_ observations: [Observation], horizon: Double, level: Double = 0.95) -> [Step] {
        precondition(level > 0 && level < 1, "confidence level \(level) outside (0, 1)")
        let z = gsl_cdf_ugaussian_Pinv(1 - (1 - level) / 2)
        let sorted = observations.sorted { $0.time < $1.time }
        let deathTimes = Set(sorted.filter(\.died).map(\.time).filter { $0 > 0 })
        var times = [0.0] + deathTimes.sorted()
        if let last = times.last, horizon > last { times.append(horizon) }
        var survival = 1.0
        var greenwood = 0.0  // Σ d / (n (n − d)) so far
        return times.map { t in
            let atRisk = sorted.filter { $0.time >= t }.count
            let deaths = sorted.filter { $0.died && $0.time == t }.count
            if deaths > 0 && atRisk > 0 {
                survival *= 1 - Double(deaths) / Double(atRisk)
                greenwood += atRisk > deaths ? Double(deaths) / Double(atRisk * (atRisk - deaths)) : .infinity
            }
            let (low, high) = interval(survival, greenwood: greenwood, z: z)
            return Step(time: t, atRisk: atRisk, deaths: deaths, survival: survival, low: low, high: high)
        }
    }

    /// exp(−exp(log(−log S) ± z·se)) with se = √greenwood / |log S|; a point at S = 1
    /// (no death yet) and at S = 0 (everyone dead).
    static func interval(_ s: Double, greenwood: Double, z: Double) -> (Double, Double) {
        guard s > 0, s < 1, greenwood.isFinite else { return (s, s) }
        let logS = log(s)
        let se = greenwood.squareRoot() / abs(logS)
        let c = log(-logS)
        return (exp(-exp(c + z * se)), exp(-exp(c - z * se)))
    }

    /// The area under the estimate up to `horizon`: the restricted mean survival time.
    public static func restrictedMean(_ steps: [Step], horizon: Double) -> Double {
        var area = 0.0
        for (a, b) in zip(steps, steps.dropFirst()) where a.time < horizon {
            area += a.survival * (min(b.time, horizon) - a.time)
        }
        if let last = steps.last, last.time < horizon { area += last.survival * (horizon - last.time) }
        return area
    }
}
