/// A summary metric, declared once: its column name, its unit, which way is better and how
/// runs of it are aggregated. Aggregation (aggregate.csv, compare.csv), `regress`, the
/// report's units and docs/metrics.md's checked list all read these declarations; no
/// metric is named anywhere else (docs/architecture.md, "One declaration per metric").
public struct Metric: Sendable, Equatable {
    public enum Better: Sendable, Equatable {
        case higher
        case lower
        /// Reported, never a regression (more seeding or more BTT paid is not worse).
        case neither
    }

    public enum Aggregation: Sendable, Equatable {
        /// The mean over the runs with a value, with a Student-t interval.
        case mean
    }

    /// The column of summary.csv.
    public let name: String
    /// What the report prints beside it ("s", "fraction", "BTT", …; empty for counts).
    public let unit: String
    public let better: Better
    public let aggregation: Aggregation
    /// Aggregated only where some run has a value (the storage market's metrics, which a
    /// scenario without storage leaves empty).
    public let onlyWhenPresent: Bool

    public init(
        _ name: String, unit: String, better: Better, aggregation: Aggregation = .mean, onlyWhenPresent: Bool = false
    ) {
        self.name = name
        self.unit = unit
        self.better = better
        self.aggregation = aggregation
        self.onlyWhenPresent = onlyWhenPresent
    }
}

/// The metrics' declarations. Which table carries a metric, and in what order, is said by
/// that table's columns (`SummaryColumns`).
public enum Metrics {
    public static let completionRatio = Metric("completion_ratio", unit: "fraction", better: .higher)
    public static let meanDownload = Metric("mean_download_s", unit: "s", better: .lower)
    public static let medianDownload = Metric("median_download_s", unit: "s", better: .lower)
    public static let p95Download = Metric("p95_download_s", unit: "s", better: .lower)
    public static let lastFinish = Metric("last_finish_s", unit: "s", better: .lower)
    public static let swarmLifetime = Metric("swarm_lifetime_s", unit: "s", better: .higher)
    public static let meanSeeding = Metric("mean_seeding_s", unit: "s", better: .neither)
    public static let bttVolume = Metric("btt_volume", unit: "BTT", better: .neither)
    public static let durability = Metric("durability", unit: "fraction", better: .higher, onlyWhenPresent: true)
    public static let availability = Metric("availability", unit: "fraction", better: .higher, onlyWhenPresent: true)
    public static let storageCost = Metric(
        "storage_cost_btt_per_tib_month", unit: "BTT/TiB-month", better: .lower, onlyWhenPresent: true)
    public static let hostEarnings = Metric(
        "host_earnings_btt_per_tib_month", unit: "BTT/TiB-month", better: .neither, onlyWhenPresent: true)

    /// The declaration of the run metric named `name`, if it is one.
    public static func named(_ name: String) -> Metric? { SummaryColumns.metrics.first { $0.name == name } }
}
