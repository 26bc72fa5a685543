import Foundation
import Reports
import Swarm

/// The short table printed after `btsim run`: one line per run.
enum SummaryPrinter {
    static func print(_ runs: [RunOutput], folder: String) {
        Swift.print(
            "run  seed                  completed  mean dl (s)  p95 dl (s)  last (s)  lifetime (s)  events     wall (s)"
        )
        for r in runs {
            let s = RunSummary(r.result)
            Swift.print(
                String(
                    format: "%-4d %-21llu %4d/%-5d %11@ %11@ %9@ %13@ %-10llu %8.2f",
                    r.run, r.result.seed, s.completed, s.leechers, cell(s.meanDownload), cell(s.p95Download),
                    cell(s.lastFinish), cell(s.lifetime, none: "alive"), r.result.events, r.result.wallSeconds))
        }
        Swift.print("results: \(folder)/")
    }

    private static func cell(_ v: Double?, none: String = "-") -> NSString {
        (v.map { String(format: "%.1f", $0) } ?? none) as NSString
    }
}
