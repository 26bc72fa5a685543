import Experiments
import Reports
import Scenario
import SimKernel
import Swarm

/// One validation case: a model, its parameter sets, and how to read btsim's runs
/// against it.
public protocol ValidationCase: Sendable {
    /// Short name, used by `--only` and in the table.
    var name: String { get }
    /// Runs the case (`quick`: the subset fit for CI) and returns its checks.
    func checks(quick: Bool, runner: ValidationRunner) throws -> [ValidationCheck]
}

/// Runs a validation scenario's replications, in parallel, through the same runner as
/// `btsim run`, so a validated run is exactly what users run.
public struct ValidationRunner: Sendable {
    public var jobs: Int
    public var masterSeed: UInt64
    /// Hears each finished scenario (its name and number of runs), for a progress line.
    public var finished: (@Sendable (String, Int) -> Void)?

    public init(jobs: Int, masterSeed: UInt64 = 1, finished: (@Sendable (String, Int) -> Void)? = nil) {
        self.jobs = jobs
        self.masterSeed = masterSeed
        self.finished = finished
    }

    /// The results of `replications` independent runs of `scenario`.
    public func run(_ scenario: Scenario, replications: Int) throws -> [RunResult] {
        let experiment = try Experiment(
            kind: .run, scenario: scenario, replications: replications, masterSeed: masterSeed)
        let results = try ExperimentRunner.execute(experiment.runs, of: experiment, jobs: jobs).map(\.output.result)
        finished?(scenario.name, results.count)
        return results
    }
}

/// Every case of the suite, in the order of docs/validation.md.
public enum ValidationSuite {
    public static let cases: [any ValidationCase] = [
        KumarRossCase(), FluidModelCase(), MissingPieceCase(), SeedingTimeCase(), PieceReplicationCase(),
        SwarmSizeCase(), StorageAvailabilityCase(), FidelityAgreementCase(), BitTyrantCase(), LargeViewCase(),
    ]
}
