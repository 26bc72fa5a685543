import ArgumentParser
import Experiments
import Foundation
import Reports

struct RegressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regress",
        abstract: "Rerun a scenario and check its metrics against a baseline.",
        discussion: """
            Runs the scenario like `btsim run`, then compares each summary metric with the
            baseline folder's summary.csv by Welch's two-sided t-test. A metric has changed
            when p < --alpha and the relative change is at least --min-effect; it is worse
            when download times rise or the completion ratio or swarm lifetime fall (seeding
            time and BTT volume are reported, never a regression).

            Exit status: 0 when nothing got significantly worse, 1 when something did,
            2 for bad input.

            Example (what CI runs):
              btsim regress Scenarios/quickstart.yaml \\
                --baseline Results/baselines/quickstart
            Make a new baseline after a deliberate change:
              btsim run Scenarios/quickstart.yaml --replications 5 --out /tmp/b
              cp /tmp/b/quickstart/base/summary.csv Results/baselines/quickstart/
            """
    )

    @Argument(help: "The scenario file (YAML).")
    var file: String

    @Option(help: ArgumentHelp("A results folder holding the baseline's summary.csv.", valueName: "DIR"))
    var baseline: String

    @Option(help: "Significance level of the two-sided test.")
    var alpha = 0.01

    @Option(help: "Smallest relative change that counts (0.05 = 5 %).")
    var minEffect = 0.02

    @OptionGroup var options: RunOptions

    func validate() throws {
        guard alpha > 0 && alpha < 1 else { throw ValidationError("--alpha must be between 0 and 1") }
        guard minEffect >= 0 else { throw ValidationError("--min-effect must not be negative") }
        guard options.shard == nil else { throw ValidationError("regress runs the whole scenario: drop --shard") }
    }

    func run() throws {
        let reference: CSVTable
        let path = (baseline as NSString).appendingPathComponent(ResultFiles.summary)
        guard FileManager.default.fileExists(atPath: path) else {
            throw BadInput(
                description:
                    "--baseline \(baseline): no summary.csv there; give a result folder such as Results/baselines/quickstart (`make baseline` records one)"
            )
        }
        do {
            reference = try CSVTable.read(path: path)
        } catch {
            throw BadInput(description: "--baseline \(path): not a readable CSV table (\(error))")
        }
        let session = try ExperimentSession(kind: .run, file: file, options: options)
        guard let current = session.summary(0) else { throw RunFailure(description: "no runs were made") }
        let missing = Regression.missing(from: reference, comparedWith: current)
        guard missing.isEmpty else {
            throw BadInput(
                description:
                    "\(baseline)/summary.csv has no \(missing.joined(separator: ", ")) column: it comes from an older btsim and cannot test these metrics; record a new baseline (make baseline) with this version"
            )
        }
        let changes = Regression.compare(
            baseline: reference, current: current, alpha: alpha, minimumEffect: minEffect)
        if !options.quiet { SummaryPrinter.regression(changes) }
        let worse = changes.filter { $0.verdict == .worse }.map(\.metric)
        if !worse.isEmpty {
            throw RunFailure(description: "regression against \(baseline): \(worse.joined(separator: ", ")) got worse")
        }
    }
}
