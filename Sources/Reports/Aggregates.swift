/// `aggregate.csv` and `compare.csv` (per run), `group_aggregate.csv` and
/// `group_compare.csv` (per run and peer group): means with intervals per metric, and
/// paired differences to the base. All are computed from the tables' cells — the very
/// cells written to summary.csv and groups.csv — so merged shards give the same bytes as
/// one run.
public enum Aggregates {
    /// What one kind of aggregate table is over: the metrics of a table's columns, and
    /// the columns besides `variant` that tell its blocks apart.
    public struct Level: Sendable {
        public let metrics: [Metric]
        public let keys: [String]

        /// summary.csv: one block per variant.
        public static var runs: Level { Level(metrics: SummaryColumns.metrics, keys: []) }
        /// groups.csv: one block per variant and peer group.
        public static var groups: Level { Level(metrics: GroupColumns.metrics, keys: ["group"]) }
    }

    /// The metrics aggregated for these tables: every metric of the level, except those
    /// only aggregated where present that no row has.
    static func metrics(of tables: [CSVTable], _ level: Level = .runs) -> [Metric] {
        level.metrics.filter { metric in
            !metric.onlyWhenPresent
                || tables.contains { t in
                    t.column(metric.name).map { c in t.rows.contains { !$0[c].isEmpty } } ?? false
                }
        }
    }

    static let statistics = ["n", "mean", "ci_low", "ci_high", "sd"]
    static let differences = ["diff", "diff_ci_low", "diff_ci_high", "p_value"]
    public static let aggregateHeader = ["metric", "variant"] + statistics
    public static let compareHeader = aggregateHeader + differences

    /// One row per metric, variant (in the order variants first appear) and key; `n`
    /// counts runs where the metric has a value (a swarm still alive has no lifetime).
    /// A sweep's table ends with `point` and the swept keys; those columns are carried
    /// over so that a plot can use the swept values without parsing the variant label.
    public static func table(_ summary: CSVTable, _ level: Level = .runs) -> CSVTable {
        let pointColumns = summary.column("point").map { Array(summary.header[$0...]) } ?? []
        var t = CSVTable(header: ["metric", "variant"] + level.keys + statistics + pointColumns)
        for metric in metrics(of: [summary], level) {
            for block in blocks(summary, level) {
                let point = block.rows.first.map { row in pointColumns.map { summary.cell(row, $0) } } ?? []
                let own = values(summary, metric.name, block.rows).map(\.value)
                t.append([metric.name, block.variant] + block.key + describe(metric, own, in: [summary]) + point)
            }
        }
        return t
    }

    /// `tables[0]` is the base; every block of the others is compared with the base's
    /// block of the same key run by run (common random numbers make replication r of
    /// each a pair).
    public static func comparison(_ tables: [CSVTable], _ level: Level = .runs) -> CSVTable {
        var t = CSVTable(header: ["metric", "variant"] + level.keys + statistics + differences)
        guard let base = tables.first else { return t }
        let baseBlocks = blocks(base, level)
        for metric in metrics(of: tables, level) {
            for (k, table) in tables.enumerated() {
                for block in blocks(table, level) {
                    let own = values(table, metric.name, block.rows)
                    var row =
                        [metric.name, block.variant] + block.key + describe(metric, own.map(\.value), in: [table])
                    let baseBlock = baseBlocks.first { $0.key == block.key && $0.variant == baseBlocks.first?.variant }
                    guard k > 0, let baseBlock else {
                        t.append(row + ["", "", "", ""])
                        continue
                    }
                    let paired = Dictionary(
                        values(base, metric.name, baseBlock.rows).map { ($0.run, $0.value) }
                    ) { first, _ in first }
                    let pairs = own.compactMap { v in paired[v.run].map { (base: $0, variant: v.value) } }
                    if let d = Inference.paired(base: pairs.map(\.base), variant: pairs.map(\.variant)) {
                        row += [d.meanDifference, d.low, d.high, d.pValue].map { CSVFormat.fixed($0, 6) }
                    } else {
                        row += ["", "", "", ""]
                    }
                    t.append(row)
                }
            }
        }
        return t
    }

    /// The rows of one variant and key, in the order they first appear.
    struct Block {
        var variant: String
        var key: [String]
        var rows: [[String]]
    }

    static func blocks(_ table: CSVTable, _ level: Level) -> [Block] {
        var found: [Block] = []
        for row in table.rows {
            let variant = table.cell(row, "variant")
            let key = level.keys.map { table.cell(row, $0) }
            if let i = found.firstIndex(where: { $0.variant == variant && $0.key == key }) {
                found[i].rows.append(row)
            } else {
                found.append(Block(variant: variant, key: key, rows: [row]))
            }
        }
        return found
    }

    /// n, mean, ci_low, ci_high, sd as cells, as the metric's declaration says to
    /// aggregate it; `tables` give a bounding column's values.
    private static func describe(_ metric: Metric, _ values: [Double], in tables: [CSVTable]) -> [String] {
        guard let e = estimate(metric, values, in: tables) else { return ["0", "", "", "", ""] }
        // One run has no spread to estimate: a t interval and sd are left empty rather than
        // written as a zero width (a Wilson interval for a proportion exists at n = 1).
        if e.n < 2 && metric.aggregation == .mean { return ["\(e.n)", CSVFormat.fixed(e.mean, 6), "", "", ""] }
        return ["\(e.n)"] + [e.mean, e.low, e.high, e.sd].map { CSVFormat.fixed($0, 6) }
    }

    /// The estimate the metric's aggregation asks for, its interval within the metric's
    /// range.
    static func estimate(_ metric: Metric, _ values: [Double], in tables: [CSVTable]) -> MeanEstimate? {
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
                tables.flatMap { t in t.rows.compactMap { Double(t.cell($0, name)) } }.max() ?? .infinity
            }
        e.low = min(max(e.low, lower), upper)
        e.high = min(max(e.high, lower), upper)
        return e
    }

    static func variants(_ summary: CSVTable) -> [String] {
        blocks(summary, Level(metrics: [], keys: [])).map(\.variant)
    }

    /// A cell's value: a number, or 1 and 0 for `true` and `false`; nil when empty.
    static func number(_ cell: String) -> Double? {
        switch cell {
        case "true": 1
        case "false": 0
        default: Double(cell)
        }
    }

    /// The metric's values in `rows`, with their run numbers, skipping empty cells.
    static func values(_ table: CSVTable, _ metric: String, _ rows: [[String]]) -> [(run: Int, value: Double)] {
        rows.compactMap { row in
            guard let run = Int(table.cell(row, "run")), let value = number(table.cell(row, metric)) else { return nil }
            return (run, value)
        }
    }

    /// The metric's values of one variant.
    static func values(_ summary: CSVTable, _ metric: String, _ variant: String) -> [(run: Int, value: Double)] {
        values(summary, metric, summary.rows.filter { summary.cell($0, "variant") == variant })
    }
}
