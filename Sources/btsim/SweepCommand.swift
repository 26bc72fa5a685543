import ArgumentParser
import Experiments
import Foundation
import Reports

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run every point of the scenario's `sweep:` grid.",
        discussion: """
            Runs the cartesian product of the `sweep:` values (the first key varies
            slowest), each point with the same replications and seeds. Writes
            <out>/<scenario>/sweep/ with one summary row per point and run; every table
            ends with a `point` column and one column per swept key. aggregate.csv gives
            each point's means with 95 % intervals.

            Example:
              btsim sweep Scenarios/speed-vs-tft.yaml --replications 5 --jobs 2
            """
    )

    @Argument(help: "The scenario file (YAML) with `sweep:`.")
    var file: String

    @OptionGroup var options: RunOptions

    func run() throws {
        let session = try ExperimentSession(kind: .sweep, file: file, options: options)
        guard !options.quiet else { return }
        if session.isComplete, let summary = session.summary(0) { SummaryPrinter.aggregate(Aggregates.table(summary)) }
        for folder in session.folders { print("results: \(folder)/") }
    }
}
