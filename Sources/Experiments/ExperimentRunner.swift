import Dispatch
import Foundation
import Reports
import Scenario
import Swarm

/// A finished run and where it belongs.
public struct CompletedRun: Sendable {
    public var planned: PlannedRun
    public var output: RunOutput
}

/// Runs an experiment's runs on `jobs` threads. Each run is a pure function of its
/// scenario and seed, and results are put back in plan order, so the output does not
/// depend on `jobs` (only `wall_s` and `peak_rss_mib` do).
public enum ExperimentRunner {
    /// `finished` hears each completion (runs done so far) and `progress` a run's progress
    /// now and then (with its replication number), from any thread. The peers `trace`
    /// selects record their decisions in every run (`RunResult.traces`).
    public static func execute(
        _ runs: [PlannedRun], of experiment: Experiment, jobs: Int, trace: TraceSelection = .none,
        finished: (@Sendable (Int) -> Void)? = nil, progress: (@Sendable (Int, RunProgress) -> Void)? = nil
    ) throws -> [CompletedRun] {
        let state = SharedState(count: runs.count)
        let workers = max(1, min(jobs, runs.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let k = state.claim() {
                let planned = runs[k]
                do {
                    let scenario = experiment.groups[planned.group].scenario
                    let simulation = try Simulation(scenario: scenario, seed: planned.seed, trace: trace)
                    let result = simulation.run(
                        progress: progress.map { report in { report(planned.replication, $0) } })
                    if let shortfall = result.fundingShortfall {
                        throw SupplyExhausted(shortfall: shortfall, run: planned.replication, seed: planned.seed)
                    }
                    guard result.tokensConserved else {
                        throw InvariantViolation.tokensNotConserved(run: planned.replication, seed: planned.seed)
                    }
                    let output = RunOutput(run: planned.replication, result: result, peakRSSMiB: peakResidentMiB())
                    let done = state.store(CompletedRun(planned: planned, output: output), at: k)
                    finished?(done)
                } catch {
                    state.fail(error)
                }
            }
        }
        return try state.results()
    }

    /// The work queue and the results, behind one lock.
    private final class SharedState: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private var done = 0
        private var slots: [CompletedRun?]
        private var error: Error?

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        func claim() -> Int? {
            lock.withLock {
                guard error == nil, next < slots.count else { return nil }
                defer { next += 1 }
                return next
            }
        }

        func store(_ run: CompletedRun, at k: Int) -> Int {
            lock.withLock {
                slots[k] = run
                done += 1
                return done
            }
        }

        func fail(_ e: Error) { lock.withLock { if error == nil { error = e } } }

        func results() throws -> [CompletedRun] {
            try lock.withLock {
                if let error { throw error }
                return slots.compactMap { $0 }
            }
        }
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

/// Open-ended arrivals asked for more BTT than exists: the scenario, not the run, is at
/// fault, so the command exits 2 (docs/scenarios.md, "Funding and the supply").
public struct SupplyExhausted: Error, CustomStringConvertible {
    public var shortfall: FundingShortfall
    public var run: Int
    public var seed: UInt64

    public var description: String {
        let s = shortfall
        return
            "peers.\(s.group).wallet: a peer arriving at \(s.time.seconds) s needs \(s.needed) BTT, but only \(s.left) BTT of BTT's total supply is left (run \(run), seed \(seed)); lower the group's wallet or cap its arrivals with `count`"
    }
}
