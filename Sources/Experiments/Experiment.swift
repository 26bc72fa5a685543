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
    /// The swept values of a sweep point as written, in `sweepPaths` order (empty where a
    /// listed point does not set a key); empty for a variant.
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
    /// Each swept path's canonical unit (`CanonicalValue`) where every point has a value in
    /// it, for the `KEY [UNIT]` columns; nil for names, plain numbers and mixed values.
    public let sweepUnits: [String?]
    /// The point (0-based group index) a sweep compares the others with, pair by pair.
    public let reference: Int?
    public let replications: Int
    public let masterSeed: UInt64

    public init(kind: ExperimentKind, scenario: Scenario, replications: Int, masterSeed: UInt64)
        throws(ScenarioError)
    {
        self.kind = kind
        name = scenario.name
        self.replications = replications
        self.masterSeed = masterSeed
        var units: [String?] = []
        var reference: Int?
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
            let paths = scenario.sweepPaths
            var all: [ExperimentGroup] = []
            for point in scenario.sweepPoints {
                let values = paths.map { path in point.last { $0.path == path }?.value ?? "" }
                all.append(
                    ExperimentGroup(
                        label: point.map { "\($0.path)=\($0.value)" }.joined(separator: "; "),
                        scenario: try ScenarioLoader.scenario(atSweepPoint: point, of: scenario), point: values))
            }
            groups = all
            sweepPaths = paths
            units = paths.indices.map { i in CanonicalValue.unit(of: all.map { $0.point[i] }) }
            reference = scenario.sweepReference.map { $0 - 1 }
        }
        sweepUnits = units
        self.reference = reference
    }

    /// The columns a sweep's tables end with: `point`, each swept key as written, then each
    /// key with a canonical unit as a number (`incentives.price [BTT/GiB]`).
    public var sweepColumns: [String] {
        ["point"] + sweepPaths + zip(sweepPaths, sweepUnits).compactMap { path, unit in unit.map { "\(path) [\($0)]" } }
    }

    /// Group `g`'s cells for `sweepColumns`.
    public func sweepCells(ofGroup g: Int) -> [String] {
        let point = groups[g].point
        let numbers = zip(point, sweepUnits).compactMap { text, unit in
            unit.map { _ in CanonicalValue.read(text).map { "\($0.value)" } ?? "" }
        }
        return ["\(g + 1)"] + point + numbers
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
