import Experiments
import Foundation
import Reports
import Scenario
import Swarm

/// What every simulating command does: load the scenario, plan the experiment, run this
/// shard's part of it on `--jobs` threads with a progress line, and write the results.
struct ExperimentSession {
    let experiment: Experiment
    let completed: [CompletedRun]
    let folders: [String]
    /// False for a shard: aggregates need every run.
    let isComplete: Bool

    init(kind: ExperimentKind, file: String, options: RunOptions) throws {
        let scenario = try options.loadScenario(file)
        let replications = options.replications ?? scenario.replications
        let seed = options.seed ?? scenario.seed
        let experiment = try Experiment(kind: kind, scenario: scenario, replications: replications, masterSeed: seed)
        if !options.quiet { ScenarioWarning.print(ScenarioLoader.warnings(of: scenario)) }
        self.experiment = experiment
        if kind == .compare && scenario.variants.isEmpty {
            throw BadInput(description: "\(file): no `variants:` to compare with the base")
        }
        if kind == .sweep && !scenario.hasSweep {
            throw BadInput(description: "\(file): no `sweep:` grid to run")
        }
        let trace: TraceSelection
        do {
            trace = try options.traceSelection(groups: scenario.peers.map(\.name))
        } catch {
            throw BadInput(description: "\(error)")
        }
        let runs = options.shard.map { experiment.runs(shard: $0.index, of: $0.count) } ?? experiment.runs
        isComplete = options.shard.map { $0.count == 1 } ?? true
        let provenance = try Provenance(
            of: experiment,
            invocation: Invocation(
                command: CommandLine.arguments, scenarioFile: file, overrides: options.overrides,
                shard: options.shard.map { "\($0.index)/\($0.count)" }))
        let destination: ExperimentDestination
        do {
            destination = try ExperimentDestination(
                root: options.out, experimentFolder: ExperimentOutput.experimentFolder(of: experiment),
                experimentID: provenance.experimentID, force: options.force,
                keeping: kind == .sweep ? [] : [ExperimentOutput.sweepFolder])
        } catch {
            throw BadInput(description: "\(error)")
        }
        let progress = ProgressLine(enabled: !options.quiet, runs: runs.count)
        if !options.quiet {
            let shard = options.shard.map { " (shard \($0.index)/\($0.count))" } ?? ""
            progress.note(
                "\(scenario.name): \(experiment.groups.count) × \(replications) run(s)\(shard), \(runs.count) here, master seed \(seed), \(min(options.jobs, max(runs.count, 1))) job(s)"
            )
        }
        var finished: (@Sendable (Int) -> Void)?
        var report: (@Sendable (Int, RunProgress) -> Void)?
        if progress.isActive {
            finished = { @Sendable done in progress.runFinished(done) }
            report = { @Sendable run, p in progress.update(run: run, p) }
        }
        do {
            completed = try ExperimentRunner.execute(
                runs, of: experiment, jobs: options.jobs, trace: trace, finished: finished, progress: report)
        } catch let error as InvariantViolation {
            throw RunFailure(description: "\(error)")
        } catch let error as SupplyExhausted {
            throw BadInput(description: "\(file): \(error)")
        } catch {
            throw BadInput(description: "\(file): torrent: \(error)")
        }
        progress.finish()
        do {
            folders = try ExperimentOutput.write(
                completed, of: experiment, provenance: provenance, to: destination, complete: isComplete)
        } catch {
            throw BadInput(description: "\(error)")
        }
    }

    /// The summary table of folder `k`, as written.
    func summary(_ k: Int) -> CSVTable? {
        guard k < folders.count else { return nil }
        return try? CSVTable.read(path: folders[k] + "/summary.csv")
    }
}
