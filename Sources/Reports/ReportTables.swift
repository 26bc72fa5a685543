import Foundation

/// The tables of `btsim report`, as cells ready to show: aggregate.csv, compare.csv and
/// summary.csv with readable numbers (four significant digits, whole numbers from 10,000),
/// intervals as "low … high" and each metric's unit. The CSVs stay the exact record.
public enum ReportTables {
    /// The unit of a summary metric, for the tables' unit column.
    static func unit(_ metric: String) -> String { Metrics.named(metric)?.unit ?? "" }

    /// aggregate.csv (or group_aggregate.csv): metric, then the sweep's swept values (or the
    /// variant) and the group, n, mean, CI.
    public static func aggregate(_ t: CSVTable) -> CSVTable {
        let point = t.column("point")
        let labels =
            (point.map { Array(t.header[($0 + 1)...]) } ?? ["variant"]) + (t.column("group") != nil ? ["group"] : [])
        var out = CSVTable(header: ["metric", "unit"] + labels + ["n", "mean", "95 % CI"])
        for row in t.rows {
            let metric = t.cell(row, "metric")
            out.append(
                [metric, unit(metric)] + labels.map { t.cell(row, $0) }
                    + [
                        t.cell(row, "n"), number(t.cell(row, "mean")),
                        interval(t.cell(row, "ci_low"), t.cell(row, "ci_high")),
                    ])
        }
        return out
    }

    /// compare.csv: each variant's mean and interval, its paired difference to the base
    /// with that difference's interval, and the p-value.
    public static func comparison(_ t: CSVTable) -> CSVTable {
        var out = CSVTable(header: [
            "metric", "unit", "variant", "n", "mean", "95 % CI", "vs base", "95 % CI of the difference", "p",
        ])
        for row in t.rows {
            let metric = t.cell(row, "metric")
            let p = Double(t.cell(row, "p_value")).map { String(format: "%.3g", $0) } ?? ""
            out.append([
                metric, unit(metric), t.cell(row, "variant"), t.cell(row, "n"), number(t.cell(row, "mean")),
                interval(t.cell(row, "ci_low"), t.cell(row, "ci_high")), number(t.cell(row, "diff"), signed: true),
                interval(t.cell(row, "diff_ci_low"), t.cell(row, "diff_ci_high"), signed: true), p,
            ])
        }
        return out
    }

    /// The columns of summary.csv a reader scans first, in summary.csv's order.
    static let runColumns = [
        "variant", "run", "seed", "peers", "completed", "completion_ratio", "mean_download_s", "p95_download_s",
        "swarm_lifetime_s", "mean_seeding_s", "btt_volume", "events", "wall_s",
    ]

    /// summary.csv, one row per run, with the columns of `runColumns` that are present.
    public static func runs(_ t: CSVTable) -> CSVTable {
        let columns = runColumns.compactMap { name in t.column(name).map { (name, $0) } }
        var out = CSVTable(header: columns.map(\.0))
        for row in t.rows {
            out.append(columns.map { name, k in ["variant", "run", "seed"].contains(name) ? row[k] : number(row[k]) })
        }
        return out
    }

    /// A cell as a readable number: empty stays empty, text stays text.
    public static func number(_ cell: String, signed: Bool = false) -> String {
        guard let x = Double(cell) else { return cell }
        let sign = signed && x > 0 ? "+" : ""
        if x == x.rounded() && abs(x) < 1e15 || abs(x) >= 1e4 { return sign + String(format: "%.0f", x) }
        return sign + String(format: "%.4g", x)
    }

    private static func interval(_ low: String, _ high: String, signed: Bool = false) -> String {
        low.isEmpty || high.isEmpty ? "" : "\(number(low, signed: signed)) … \(number(high, signed: signed))"
    }
}
