/// `aggregate.csv` and `compare.csv`: means with Student-t intervals per metric, and
/// paired differences to the base. Both are computed from summary tables — the very cells
/// written to summary.csv — so a merged set of shards gives the same bytes as one run.
public enum Aggregates {
    /// The metrics aggregated for these summaries: every run metric, except those only
    /// aggregated where present that no run has.
    static func metrics(of summaries: [CSVTable]) -> [Metric] {
        SummaryColumns.metrics.filter { metric in
            !metric.onlyWhenPresent
                || summaries.contains { t in
                    t.column(metric.name).map { c in t.rows.contains { !$0[c].isEmpty } } ?? false
                }
        }
    }

    public static let aggregateHeader = ["metric", "variant", "n", "mean", "ci_low", "ci_high", "sd"]
    public static let compareHeader = aggregateHeader + ["diff", "diff_ci_low", "diff_ci_high", "p_value"]

    /// One row per metric and variant (in the order variants first appear in `summary`);
    /// `n` counts runs where the metric has a value (a swarm still alive has no lifetime).
    /// A sweep's summary ends with `point` and the swept keys; those columns are carried
    /// over so that a plot can use the swept values without parsing the variant label.
    public static func table(_ summary: CSVTable) -> CSVTable {
        let pointColumns = summary.column("point").map { Array($0..<summary.header.count) } ?? []
        var t = CSVTable(header: aggregateHeader + pointColumns.map { summary.header[$0] })
        let v = summary.column("variant")
        for metric in metrics(of: [summary]) {
            for variant in variants(summary) {
                let first = summary.rows.first { row in v.map { row[$0] == variant } ?? false }
                let point = first.map { row in pointColumns.map { row[$0] } } ?? []
                let own = values(summary, metric.name, variant).map(\.value)
                t.append([metric.name, variant] + describe(metric, own, in: [summary]) + point)
            }
        }
        return t
    }

    /// `groups[0]` is the base; every other group is compared with it run by run (common
    /// random numbers make replication r of each group a pair).
    public static func comparison(_ groups: [CSVTable]) -> CSVTable {
        var t = CSVTable(header: compareHeader)
        guard let base = groups.first else { return t }
        for metric in metrics(of: groups) {
            let baseLabel = variants(base).first ?? "base"
            let baseValues = values(base, metric.name, baseLabel)
            for (k, group) in groups.enumerated() {
                for variant in variants(group) {
                    let own = values(group, metric.name, variant)
                    var row = [metric.name, variant] + describe(metric, own.map(\.value), in: [group])
                    if k == 0 {
                        row += ["", "", "", ""]
                    } else {
                        let paired = Dictionary(uniqueKeysWithValues: baseValues.map { ($0.run, $0.value) })
                        let pairs = own.compactMap { v in paired[v.run].map { (base: $0, variant: v.value) } }
                        if let d = Inference.paired(base: pairs.map(\.base), variant: pairs.map(\.variant)) {
                            row += [d.meanDifference, d.low, d.high, d.pValue].map { CSVFormat.fixed($0, 6) }
                        } else {
                            row += ["", "", "", ""]
                        }
                    }
                    t.append(row)
                }
            }
        }
        return t
    }

    /// n, mean, ci_low, ci_high, sd as cells, as the metric's declaration says to
    /// aggregate it; `summaries` give a bounding column's values.
    private static func describe(_ metric: Metric, _ values: [Double], in summaries: [CSVTable]) -> [String] {
        guard let e = estimate(metric, values, in: summaries) else { return ["0", "", "", "", ""] }
        return ["\(e.n)"] + [e.mean, e.low, e.high, e.sd].map { CSVFormat.fixed($0, 6) }
    }

    /// The estimate the metric's aggregation asks for, its interval within the metric's
    /// range.
    static func estimate(_ metric: Metric, _ values: [Double], in summaries: [CSVTable]) -> MeanEstimate? {
        let found: MeanEstimate? =
            switch metric.aggregation {
            case .mean: Inference.mean(values)
            case .proportion: Inference.proportion(values.map { $0 != 0 })
            }
        guard var e = found else { return nil }
        let lower = metric.lower ?? -.infinity
        let upper: Double =
            switch metric.upper {
            case nil: .infinity
            case .value(let v): v
            case .column(let name):
                summaries.flatMap { t in t.rows.compactMap { Double(t.cell($0, name)) } }.max() ?? .infinity
            }
        e.low = min(max(e.low, lower), upper)
        e.high = min(max(e.high, lower), upper)
        return e
    }

    static func variants(_ summary: CSVTable) -> [String] {
        guard let v = summary.column("variant") else { return [] }
        var seen: [String] = []
        for row in summary.rows where !seen.contains(row[v]) { seen.append(row[v]) }
        return seen
    }

    /// A cell's value: a number, or 1 and 0 for `true` and `false`; nil when empty.
    static func number(_ cell: String) -> Double? {
        switch cell {
        case "true": 1
        case "false": 0
        default: Double(cell)
        }
    }

    /// The metric's values of one variant, with their run numbers, skipping empty cells.
    static func values(_ summary: CSVTable, _ metric: String, _ variant: String) -> [(run: Int, value: Double)] {
        guard let m = summary.column(metric), let v = summary.column("variant"), let r = summary.column("run") else {
            return []
        }
        return summary.rows.compactMap { row in
            guard row[v] == variant, let run = Int(row[r]), let value = number(row[m]) else { return nil }
            return (run, value)
        }
    }
}
