import ArgumentParser
import Experiments

struct BTSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "btsim",
        abstract: "Simulate BitTorrent swarms, with real protocol code over a virtual network.",
        discussion: """
            Start with the quickstart scenario:
              btsim run Scenarios/quickstart.yaml
            Results go to Results/<scenario name>/base/ as peers.csv, timeseries.csv,
            summary.csv, groups.csv, payments.csv, aggregate.csv and survival.csv. Compare variants with
            `btsim compare`, run a parameter grid with `btsim sweep`, check against a
            baseline with `btsim regress`. Scenario format and metrics: docs/.

            Exit status: 0 ok, 1 a run failed, 2 bad input (scenario, option or file).
            """,
        version: BuildInfo.description,
        subcommands: [
            RunCommand.self, CompareCommand.self, SweepCommand.self, RegressCommand.self, MergeCommand.self,
            CheckCommand.self, ValidateCommand.self, ReportCommand.self, LiveCommand.self,
        ]
    )
}

/// Input the user must fix; exits with status 2.
struct BadInput: Error, CustomStringConvertible {
    let description: String
}

/// A run that started and could not finish; exits with status 1.
struct RunFailure: Error, CustomStringConvertible {
    let description: String
}
