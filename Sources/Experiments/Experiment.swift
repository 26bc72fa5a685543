import Scenario
import SimKernel

/// What a command runs: `run` (the scenario), `compare` (base and every variant) or
/// `sweep` (every point of the grid), each with the same replications.
public enum ExperimentKind: String, Sendable, CaseIterable {
    case run
    case compare
    case sweep
}

/// One set of runs that share a scenario: a variant (`base`, `speed-4`) or a sweep point.
public struct ExperimentGroup: Sendable {
    /// The `variant` cell of summary.csv: the variant's name, or the point's assignments.
    public var label: String
    public var scenario: Scenario
    /// The swept values of a sweep point, in axis order; empty otherwise.
    public var point: [String]
}

/// One simulation of an experiment.
public struct PlannedRun: Sendable {
    /// Position in the experiment's canonical order (group-major), which `--shard` splits.
    public var index: Int
    public var group: Int
    public var replication: Int
    public var seed: UInt64
}

/// The runs a command will make, in a fixed order. Replication r uses the same seed in
/// every group (common random numbers): variants and points differ only by what they
/// change, which is what makes paired comparisons sharp.
public struct Experiment: Sendable {
    public let kind: ExperimentKind
    public let name: String
    public let groups: [ExperimentGroup]
    /// Swept paths, in axis order (sweep only).
    public let sweepPaths: [String]
    public let replications: Int
    public let masterSeed: UInt64

    public init(kind: ExperimentKind, scenario: Scenario, replications: Int, masterSeed: UInt64)
        throws(ScenarioError)
    {
        self.kind = kind
        name = scenario.name
        self.replications = replications
        self.masterSeed = masterSeed
        switch kind {
        case .run:
            groups = [ExperimentGroup(label: "base", scenario: scenario, point: [])]
            sweepPaths = []
        case .compare:
            var all = [ExperimentGroup(label: "base", scenario: scenario, point: [])]
            for variant in scenario.variants {
                all.append(
                    ExperimentGroup(
                        label: variant.name, scenario: try ScenarioLoader.scenario(for: variant, of: scenario),
                        point: []))
            }
            groups = all
            sweepPaths = []
        case .sweep:
            var all: [ExperimentGroup] = []
            for point in scenario.sweepPoints {
                all.append(
                    ExperimentGroup(
                        label: point.map { "\($0.path)=\($0.value)" }.joined(separator: "; "),
                        scenario: try ScenarioLoader.scenario(atSweepPoint: point, of: scenario),
                        point: point.map(\.value)))
            }
            groups = all
            sweepPaths = scenario.sweep.map(\.path)
        }
    }

    /// Seed of replication `r` (1-based), the same in every group.
    public func seed(ofReplication r: Int) -> UInt64 { SeedDerivation.replicationSeed(master: masterSeed, run: r) }

    /// Every run, group by group, replications in order.
    public var runs: [PlannedRun] {
        var all: [PlannedRun] = []
        for g in groups.indices {
            for r in 1...replications {
                all.append(PlannedRun(index: all.count, group: g, replication: r, seed: seed(ofReplication: r)))
            }
        }
        return all
    }

    /// The runs of shard `shard` (1-based) of `count`: every `count`-th run, so shards get
    /// similar mixes of groups.
    public func runs(shard: Int, of count: Int) -> [PlannedRun] {
        runs.filter { $0.index % count == shard - 1 }
    }
}
