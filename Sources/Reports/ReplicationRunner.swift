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
    public func run(progress: ((Int, RunProgress) -> Void)? = nil) throws(MetainfoError) -> [RunOutput] {
        try (1...replications).map { run throws(MetainfoError) in
            let simulation = try Simulation(scenario: scenario, seed: seed(ofRun: run))
            let result = simulation.run(progress: progress.map { report in { report(run, $0) } })
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
        ])
        return folder.path
    }
}
