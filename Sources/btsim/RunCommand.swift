import ArgumentParser
import Experiments
import Foundation
import Reports

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario and write its CSV reports.",
        discussion: """
            Runs the scenario's replications (seeds derived from the master seed; run 1 uses
            the master seed itself) and writes peers.csv, timeseries.csv, summary.csv,
            groups.csv (per peer group), payments.csv, aggregate.csv and group_aggregate.csv
            (means with 95 % confidence intervals) and survival.csv (Kaplan-Meier: is the
            swarm still alive at t?) to <out>/<scenario name>/base/. Nothing is written when
            the scenario is invalid.

            Examples:
              btsim run Scenarios/quickstart.yaml
              btsim run Scenarios/scale/flash-crowd-1000.yaml --seed 7 --replications 5 --jobs 2
              btsim run Scenarios/quickstart.yaml --set torrent.size=50MiB --out /tmp/r
            """
    )

    @Argument(help: "The scenario file (YAML).")
    var file: String

    @OptionGroup var options: RunOptions

    func run() throws {
        let session = try ExperimentSession(kind: .run, file: file, options: options)
        guard !options.quiet else { return }
        SummaryPrinter.runs(session.completed)
        if session.isComplete && session.completed.count > 1, let summary = session.summary(0) {
            print("")
            SummaryPrinter.aggregate(Aggregates.table(summary))
        }
        for folder in session.folders { print("results: \(folder)/") }
    }
}
