import Foundation
import Testing

@testable import Reports

/// The metric declarations drive the summary columns, the aggregates, regress and the
/// report: these tests hold the declarations to what the rest of the repository says.
@Suite struct MetricRegistryTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test func columnNamesAreUniqueAndMetricsAreColumns() {
        let names = SummaryColumns.header
        #expect(Set(names).count == names.count)
        #expect(SummaryColumns.metrics.allSatisfy { names.contains($0.name) })
        #expect(SummaryColumns.metrics.allSatisfy { Metrics.named($0.name) == $0 })
        #expect(Metrics.named("wall_s") == nil, "a wall-clock column is not a metric")
    }

    @Test func everyColumnOfSummaryGroupsAndSurvivalIsDefinedInTheMetricsDoc() throws {
        let doc = try String(contentsOfFile: Self.root + "/docs/metrics.md", encoding: .utf8)
        for name in SummaryColumns.header + GroupColumns.header + SurvivalTable.header {
            #expect(doc.contains("`\(name)`"), "docs/metrics.md lacks `\(name)`")
        }
    }

    /// A one-run summary with `values` set and every other metric empty.
    static func summary(_ values: [String: String] = [:]) -> CSVTable {
        var t = CSVTable(header: SummaryColumns.header)
        t.append(SummaryColumns.header.map { ["variant": "base", "run": "1"].merging(values) { $1 }[$0] ?? "" })
        return t
    }

    @Test func aggregatesFollowTheDeclarationsAndSkipAbsentStorageMetrics() {
        let aggregated = Aggregates.table(Self.summary()).rows.map { $0[0] }
        #expect(aggregated == SummaryColumns.metrics.filter { !$0.onlyWhenPresent }.map(\.name))
        #expect(!aggregated.contains("durability"))
        #expect(Aggregates.table(Self.summary(["durability": "0.5"])).rows.map { $0[0] }.contains("durability"))
    }
}
