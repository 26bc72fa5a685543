import Reports

/// One line of the validation table: a quantity a model predicts, what btsim produced over
/// its replications, and the verdict.
public struct ValidationCheck: Sendable, Equatable {
    /// How a check passes.
    public enum Rule: Sendable, Equatable {
        /// A hard bound: every replication's value is at least this.
        case atLeast(Double)
        /// A hard bound: every replication's value is at most this.
        case atMost(Double)
        /// The replications' 95 % interval meets `expected` widened by this relative
        /// tolerance (the model's own approximation error, fixed before running).
        case within(relative: Double)
        /// Equivalence: the replications' 95 % interval lies inside ±`band` (for paired
        /// differences between two models that should agree).
        case equivalent(band: Double)
        /// A direction: the replications' 95 % interval lies above this (for a published
        /// effect whose sign, not size, a simulation must reproduce).
        case above(Double)
        /// A value reported for the reader; no verdict.
        case reported
    }

    /// The model or measurement the check comes from, e.g. `kumar-ross`.
    public var model: String
    /// The parameter set, e.g. `server-bound`.
    public var setting: String
    /// What is compared, e.g. `last_finish/T_min`.
    public var quantity: String
    public var expected: Double?
    public var simulated: MeanEstimate
    /// The smallest and largest replication values (a hard bound is about every run).
    public var minimum: Double
    public var maximum: Double
    public var rule: Rule

    /// Builds a check from one value per replication; nil when there are none.
    public init?(
        model: String, setting: String, quantity: String, expected: Double?, values: [Double], rule: Rule
    ) {
        guard let estimate = Inference.mean(values), let low = values.min(), let high = values.max() else {
            return nil
        }
        self.model = model
        self.setting = setting
        self.quantity = quantity
        self.expected = expected
        simulated = estimate
        minimum = low
        maximum = high
        self.rule = rule
    }

    /// nil for a reported value.
    public var passed: Bool? {
        switch rule {
        case .reported:
            return nil
        case .atLeast(let bound):
            return minimum >= bound
        case .atMost(let bound):
            return maximum <= bound
        case .within(let tolerance):
            guard let expected else { return false }
            let band = abs(expected) * tolerance
            return simulated.high >= expected - band && simulated.low <= expected + band
        case .equivalent(let band):
            return simulated.n >= 2 && simulated.low >= -band && simulated.high <= band
        case .above(let bound):
            return simulated.n >= 2 && simulated.low > bound
        }
    }

    public var verdict: String {
        switch passed {
        case nil: "report"
        case true?: "pass"
        case false?: "FAIL"
        }
    }

    /// The rule as the table shows it.
    public var ruleText: String {
        switch rule {
        case .atLeast(let bound): "every run ≥ \(bound)"
        case .atMost(let bound): "every run ≤ \(bound)"
        case .within(let tolerance): "CI meets expected ± \(Int((tolerance * 100).rounded())) %"
        case .equivalent(let band): "CI inside ± \(band)"
        case .above(let bound): "CI above \(bound)"
        case .reported: "-"
        }
    }
}
