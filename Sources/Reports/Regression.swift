/// `btsim regress`: has a metric changed against a committed baseline?
///
/// Each metric's runs are compared with the baseline's by Welch's two-sided t-test
/// (unequal variances, no pairing: a baseline may come from other seeds or another
/// number of runs). A change counts when it is significant (p < α) *and* at least the
/// minimum relative effect, so a huge replication count cannot flag a negligible change.
/// Welch rather than Mann–Whitney: summary metrics are means over many peers, close to
/// normal, and with the few runs a regression check can afford (5–10) the t-test has more
/// power; Mann–Whitney with 5 against 5 cannot reach p < 0.01 at all.
public enum Regression {
    public enum Verdict: String, Sendable {
        case better, worse, changed, unchanged
        /// Too few runs with a value on one side for a test.
        case untested = "not tested"
    }

    public struct Change: Sendable {
        public var metric: String
        public var baseline: MeanEstimate?
        public var current: MeanEstimate?
        /// (current − baseline) / |baseline|; nil when the baseline mean is 0 or missing.
        public var relativeChange: Double?
        public var pValue: Double?
        public var verdict: Verdict
    }

    public static func compare(baseline: CSVTable, current: CSVTable, alpha: Double, minimumEffect: Double)
        -> [Change]
    {
        Aggregates.metrics(of: [baseline, current]).map { metric in
            let old = values(baseline, metric.name)
            let new = values(current, metric.name)
            let a = Inference.mean(old)
            let b = Inference.mean(new)
            var relative: Double?
            if let a, let b, a.mean != 0 { relative = (b.mean - a.mean) / abs(a.mean) }
            guard let test = Inference.welch(old, new), let a, let b else {
                return Change(
                    metric: metric.name, baseline: a, current: b, relativeChange: relative, pValue: nil,
                    verdict: .untested)
            }
            let effect = relative.map(abs) ?? (a.mean == b.mean ? 0 : .infinity)
            guard test.pValue < alpha, effect >= minimumEffect else {
                return Change(
                    metric: metric.name, baseline: a, current: b, relativeChange: relative, pValue: test.pValue,
                    verdict: .unchanged)
            }
            let verdict: Verdict =
                switch metric.better {
                case .neither: .changed
                case .lower: b.mean < a.mean ? .better : .worse
                case .higher: b.mean > a.mean ? .better : .worse
                }
            return Change(
                metric: metric.name, baseline: a, current: b, relativeChange: relative, pValue: test.pValue,
                verdict: verdict)
        }
    }

    /// The metrics `current` has that `baseline` has no column for: a comparison would
    /// pass them untested, so the caller refuses instead.
    public static func missing(from baseline: CSVTable, comparedWith current: CSVTable) -> [String] {
        Aggregates.metrics(of: [current]).map(\.name).filter { baseline.column($0) == nil }
    }

    /// The metric's values over the table's first variant.
    private static func values(_ summary: CSVTable, _ metric: String) -> [Double] {
        guard let variant = Aggregates.variants(summary).first else { return [] }
        return Aggregates.values(summary, metric, variant).map(\.value)
    }
}
