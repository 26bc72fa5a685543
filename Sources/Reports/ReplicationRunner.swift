import BitTorrent
import Scenario
import SimKernel
import Swarm

/// Runs a scenario's replications one after another, each with its own derived seed
/// (run 1 uses the master seed itself, so any run can be reproduced on its own).
public struct ReplicationRunner {
    public let scenario: Scenario
    public let replications: Int
    public let masterSeed: UInt64

    public init(scenario: Scenario, replications: Int, masterSeed: UInt64) {
        self.scenario = scenario
        self.replications = replications
        self.masterSeed = masterSeed
    }

    public func seed(ofRun run: Int) -> UInt64 { SeedDerivation.replicationSeed(master: masterSeed, run: run) }

    /// Runs every replication; `progress` hears (run, its progress) now and then.
    /// Fails on a torrent that cannot exist, or when a run broke token conservation (a
    /// bug in the incentive code: the run's numbers cannot be trusted).
    public func run(progress: ((Int, RunProgress) -> Void)? = nil) throws -> [RunOutput] {
        try (1...replications).map { run in
            let simulation = try Simulation(scenario: scenario, seed: seed(ofRun: run))
            let result = simulation.run(progress: progress.map { report in { report(run, $0) } })
            guard result.tokensConserved else {
                throw InvariantViolation.tokensNotConserved(run: run, seed: result.seed)
            }
            return RunOutput(run: run, result: result, peakRSSMiB: peakResidentMiB())
        }
    }

    /// Writes peers.csv, timeseries.csv and summary.csv under `root`.
    public func write(_ runs: [RunOutput], root: String, variant: String = "base") throws(ResultFolderError) -> String {
        let folder = ResultFolder(root: root, scenario: scenario.name, variant: variant)
        try folder.write([
            ("peers.csv", ResultTables.peers(runs)),
            ("timeseries.csv", ResultTables.timeseries(runs)),
            ("summary.csv", ResultTables.summary(runs, scenario: scenario.name, variant: variant)),
            ("payments.csv", ResultTables.payments(runs)),
        ])
        return folder.path
    }
}

/// A run finished but its results violate an invariant.
public enum InvariantViolation: Error, CustomStringConvertible {
    case tokensNotConserved(run: Int, seed: UInt64)

    public var description: String {
        switch self {
        case .tokensNotConserved(let run, let seed):
            "run \(run) (seed \(seed)) changed the BTT supply or left a negative balance; please report it with the scenario"
        }
    }
}
