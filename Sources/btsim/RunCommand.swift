import ArgumentParser
import Foundation
import Reports
import Scenario
import Swarm

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario and write its CSV reports.",
        discussion: """
            Runs the scenario's replications (seeds derived from the master seed; run 1 uses
            the master seed itself) and writes peers.csv, timeseries.csv and summary.csv to
            <out>/<scenario name>/base/. Nothing is written when the scenario is invalid.

            Examples:
              btsim run Scenarios/quickstart.yaml
              btsim run Scenarios/flash-crowd-1000.yaml --seed 7 --replications 5
              btsim run Scenarios/quickstart.yaml --set torrent.size=50MiB --out /tmp/r
            """
    )

    @Argument(help: "The scenario file (YAML).")
    var file: String

    @OptionGroup var options: RunOptions

    func run() throws {
        let scenario = try options.loadScenario(file)
        let replications = options.replications ?? scenario.replications
        let seed = options.seed ?? scenario.seed
        let runner = ReplicationRunner(scenario: scenario, replications: replications, masterSeed: seed)
        let progress = ProgressLine(enabled: !options.quiet, runs: replications)
        if !options.quiet {
            progress.note("\(scenario.name): \(replications) run(s), master seed \(seed)")
        }
        let outputs: [RunOutput]
        do {
            outputs = try runner.run(progress: progress.isActive ? { progress.update(run: $0, $1) } : nil)
        } catch let error as InvariantViolation {
            throw RunFailure(description: "\(error)")
        } catch {
            throw BadInput(description: "\(file): torrent: \(error)")
        }
        progress.finish()
        let folder: String
        do {
            folder = try runner.write(outputs, root: options.out)
        } catch {
            throw BadInput(description: "\(error)")
        }
        if !options.quiet { SummaryPrinter.print(outputs, folder: folder) }
    }
}
