/// A summary metric, declared once: its column name, its unit, which way is better, the
/// range its values lie in and how runs of it are aggregated. Aggregation (aggregate.csv,
/// compare.csv), `regress`, the report's units and docs/metrics.md's checked list all read
/// these declarations; no metric is named anywhere else (docs/architecture.md, "One
/// declaration per metric").
public struct Metric: Sendable, Equatable {
    public enum Better: Sendable, Equatable {
        case higher
        case lower
        /// Reported, never a regression (more seeding or more BTT paid is not worse).
        case neither
    }

    /// An end of a metric's range: a constant, or another column of the same runs (the
    /// horizon of a capped lifetime; the largest of its values).
    public enum Bound: Sendable, Equatable {
        case value(Double)
        case column(String)
    }

    public enum Aggregation: Sendable, Equatable {
        /// The mean over the runs with a value, with a Student-t interval cut to the range.
        case mean
        /// A yes/no per run (`true`/`false` cells): the fraction of yes, with a Wilson
        /// score interval.
        case proportion
    }

    /// The column of summary.csv.
    public let name: String
    /// What the report prints beside it ("s", "fraction", "BTT", …; empty for counts).
    public let unit: String
    public let better: Better
    public let aggregation: Aggregation
    /// Where values can lie: no interval reaches outside. nil: unbounded on that side.
    public let lower: Double?
    public let upper: Bound?
    /// Aggregated only where some run has a value (the storage market's metrics, which a
    /// scenario without storage leaves empty).
    public let onlyWhenPresent: Bool

    /// Most metrics are times, counts or amounts: at least 0, no upper bound.
    public init(
        _ name: String, unit: String, better: Better, aggregation: Aggregation = .mean, lower: Double? = 0,
        upper: Bound? = nil, onlyWhenPresent: Bool = false
    ) {
        self.name = name
        self.unit = unit
        self.better = better
        self.aggregation = aggregation
        self.lower = lower
        self.upper = upper
        self.onlyWhenPresent = onlyWhenPresent
    }

    /// A share of something, in [0, 1].
    static func fraction(_ name: String, better: Better, onlyWhenPresent: Bool = false) -> Metric {
        Metric(name, unit: "fraction", better: better, upper: .value(1), onlyWhenPresent: onlyWhenPresent)
    }
}

/// The metrics' declarations. Which table carries a metric, and in what order, is said by
/// that table's columns (`SummaryColumns`).
public enum Metrics {
    public static let completionRatio = Metric.fraction("completion_ratio", better: .higher)
    public static let meanDownload = Metric("mean_download_s", unit: "s", better: .lower)
    public static let medianDownload = Metric("median_download_s", unit: "s", better: .lower)
    public static let p95Download = Metric("p95_download_s", unit: "s", better: .lower)
    public static let lastFinish = Metric("last_finish_s", unit: "s", better: .lower)
    public static let swarmLifetime = Metric(
        "swarm_lifetime_s", unit: "s", better: .higher, upper: .column("horizon_s"))
    public static let meanSeeding = Metric("mean_seeding_s", unit: "s", better: .neither)
    public static let bttVolume = Metric("btt_volume", unit: "BTT", better: .neither)
    public static let durability = Metric.fraction("durability", better: .higher, onlyWhenPresent: true)
    public static let availability = Metric.fraction("availability", better: .higher, onlyWhenPresent: true)
    public static let storageCost = Metric(
        "storage_cost_btt_per_tib_month", unit: "BTT/TiB-month", better: .lower, onlyWhenPresent: true)
    public static let hostEarnings = Metric(
        "host_earnings_btt_per_tib_month", unit: "BTT/TiB-month", better: .neither, onlyWhenPresent: true)
    public static let swarmSurvived = Metric(
        "swarm_survived", unit: "fraction", better: .higher, aggregation: .proportion, upper: .value(1),
        onlyWhenPresent: true)
    public static let swarmLifetimeCapped = Metric(
        "swarm_lifetime_capped_s", unit: "s", better: .higher, upper: .column("horizon_s"), onlyWhenPresent: true)
    public static let availableFraction = Metric.fraction("available_fraction", better: .higher, onlyWhenPresent: true)
    public static let bttFees = Metric("btt_fees", unit: "BTT", better: .lower)
    /// Earned less spent less fees: negative for a net payer.
    public static let bttNet = Metric("btt_net", unit: "BTT", better: .neither, lower: nil)

    /// The declaration of the run metric named `name`, if it is one.
    public static func named(_ name: String) -> Metric? { SummaryColumns.metrics.first { $0.name == name } }
}
