/// One column of an output table: its name, how a cell is made from a `Source` (a run, or
/// one group of a run), and for a metric, the metric's declaration. Tables list their
/// columns once (`SummaryColumns`, `GroupColumns`); headers, cells and the aggregated
/// metrics all come from that list.
public struct Column<Source>: Sendable {
    public let name: String
    /// Set for the columns that are metrics (aggregated, compared, regression-tested).
    public let metric: Metric?
    let cell: @Sendable (Source) -> String

    init(_ name: String, _ cell: @escaping @Sendable (Source) -> String) {
        self.name = name
        metric = nil
        self.cell = cell
    }

    init(_ metric: Metric, _ cell: @escaping @Sendable (Source) -> String) {
        name = metric.name
        self.metric = metric
        self.cell = cell
    }
}

extension Array {
    /// The cells of one row.
    func cells<Source>(_ source: Source) -> [String] where Element == Column<Source> { map { $0.cell(source) } }
}
