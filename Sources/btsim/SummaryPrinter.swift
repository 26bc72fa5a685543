import Experiments
import Foundation
import Reports
import Swarm

/// The tables printed after runs: one line per run, means with confidence intervals, the
/// comparison with the base, and a regression check.
enum SummaryPrinter {
    static let columns = [
        ("run", 4), ("seed", 20), ("completed", 11), ("mean dl (s)", 12), ("p95 dl (s)", 11), ("last (s)", 10),
        ("lifetime (s)", 13), ("events", 11), ("wall (s)", 9),
    ]

    static func runs(_ completed: [CompletedRun]) {
        Swift.print(row(columns.map(\.0), widths: columns.map(\.1)))
        for c in completed {
            let r = c.output
            let s = RunSummary(r.result)
            Swift.print(
                row(
                    [
                        "\(r.run)", "\(r.result.seed)", "\(s.completed)/\(s.leechers)", cell(s.meanDownload),
                        cell(s.p95Download), cell(s.lastFinish), cell(s.lifetime, none: "alive"), "\(r.result.events)",
                        String(format: "%.2f", r.result.wallSeconds),
                    ], widths: columns.map(\.1)))
        }
    }

    /// The metric column fits the longest name (the storage metrics are long).
    static func metricWidth(_ table: CSVTable) -> Int {
        max(20, (table.rows.map { table.cell($0, "metric").count }.max() ?? 0) + 1)
    }

    /// aggregate.csv as a table: one line per metric (and variant).
    static func aggregate(_ table: CSVTable) {
        let widths = [metricWidth(table), 28, 4, 14, 28]
        Swift.print(row(["metric", "variant", "n", "mean", "95 % CI"], widths: widths))
        for r in table.rows where table.cell(r, "n") != "0" {
            let cells = ["metric", "variant", "n", "mean", "ci_low", "ci_high"].map { table.cell(r, $0) }
            Swift.print(
                row(
                    [cells[0], cells[1], cells[2], number(cells[3]), "\(number(cells[4])) … \(number(cells[5]))"],
                    widths: widths))
        }
    }

    /// compare.csv as a table: per metric, each variant's mean and CI, and its paired
    /// difference to the base with the p-value.
    static func comparison(_ table: CSVTable) {
        let widths = [metricWidth(table), 22, 4, 30, 34, 8]
        Swift.print(row(["metric", "variant", "n", "mean (95 % CI)", "vs base (95 % CI)", "p"], widths: widths))
        var lastMetric = ""
        for r in table.rows {
            let c = { table.cell(r, $0) }
            let metric = c("metric") == lastMetric ? "" : c("metric")
            lastMetric = c("metric")
            let mean =
                c("n") == "0"
                ? "-"
                : c("ci_low").isEmpty
                    ? "\(number(c("mean"))) (n = 1, no interval)"
                    : "\(number(c("mean"))) (\(number(c("ci_low"))) … \(number(c("ci_high"))))"
            let diff =
                c("diff").isEmpty
                ? "" : "\(signed(c("diff"))) (\(signed(c("diff_ci_low"))) … \(signed(c("diff_ci_high"))))"
            let p = c("p_value").isEmpty ? "" : String(format: "%.3g", Double(c("p_value")) ?? .nan)
            Swift.print(row([metric, c("variant"), c("n"), mean, diff, p], widths: widths))
        }
    }

    static func regression(_ changes: [Regression.Change]) {
        let widths = [20, 14, 14, 10, 10, 10]
        Swift.print(row(["metric", "baseline", "now", "change", "p", "verdict"], widths: widths))
        for c in changes {
            Swift.print(
                row(
                    [
                        c.metric, c.baseline.map { fmt($0.mean) } ?? "-", c.current.map { fmt($0.mean) } ?? "-",
                        c.relativeChange.map { String(format: "%+.1f%%", 100 * $0) } ?? "-",
                        c.pValue.map { String(format: "%.3g", $0) } ?? "-", c.verdict.rawValue,
                    ], widths: widths))
        }
    }

    private static func number(_ text: String) -> String { Double(text).map(fmt) ?? "-" }
    private static func signed(_ text: String) -> String {
        guard let v = Double(text) else { return "-" }
        return (v >= 0 ? "+" : "") + fmt(v)
    }

    /// Four significant digits at most, never in exponent form for ordinary values.
    static func fmt(_ v: Double) -> String {
        let a = abs(v)
        if a >= 1000 { return String(format: "%.0f", v) }
        if a >= 100 { return String(format: "%.1f", v) }
        if a >= 1 { return String(format: "%.2f", v) }
        return String(format: "%.4f", v)
    }

    /// Cells left-aligned in columns of at least `widths` characters.
    static func row(_ cells: [String], widths: [Int]) -> String {
        zip(cells, widths).map { cell, width in
            cell.padding(toLength: max(width, cell.count), withPad: " ", startingAt: 0)
        }
        .joined(separator: " ")
    }

    private static func cell(_ v: Double?, none: String = "-") -> String {
        v.map { String(format: "%.1f", $0) } ?? none
    }
}
