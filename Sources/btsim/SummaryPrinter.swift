import Foundation
import Reports
import Swarm

/// The short table printed after `btsim run`: one line per run.
enum SummaryPrinter {
    static let columns = [
        ("run", 4), ("seed", 20), ("completed", 11), ("mean dl (s)", 12), ("p95 dl (s)", 11), ("last (s)", 10),
        ("lifetime (s)", 13), ("events", 11), ("wall (s)", 9),
    ]

    static func print(_ runs: [RunOutput], folder: String) {
        Swift.print(row(columns.map(\.0)))
        for r in runs {
            let s = RunSummary(r.result)
            Swift.print(
                row([
                    "\(r.run)", "\(r.result.seed)", "\(s.completed)/\(s.leechers)", cell(s.meanDownload),
                    cell(s.p95Download), cell(s.lastFinish), cell(s.lifetime, none: "alive"), "\(r.result.events)",
                    String(format: "%.2f", r.result.wallSeconds),
                ]))
        }
        Swift.print("results: \(folder)/")
    }

    private static func row(_ cells: [String]) -> String {
        zip(cells, columns).map { cell, column in cell.padding(toLength: column.1, withPad: " ", startingAt: 0) }
            .joined(separator: " ")
    }

    private static func cell(_ v: Double?, none: String = "-") -> String {
        v.map { String(format: "%.1f", $0) } ?? none
    }
}
