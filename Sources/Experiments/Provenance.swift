import Foundation
import Reports
import Scenario

/// How a command was invoked: what manifest.json records that the experiment cannot know.
public struct Invocation: Sendable {
    /// argv, as given.
    public var command: [String]
    public var scenarioFile: String
    /// The `--set` arguments, in order.
    public var overrides: [String]
    /// `I/N` for `--shard`.
    public var shard: String?

    public init(command: [String], scenarioFile: String, overrides: [String], shard: String?) {
        self.command = command
        self.scenarioFile = scenarioFile
        self.overrides = overrides
        self.shard = shard
    }
}

/// An experiment's provenance (docs/architecture.md, "Provenance"), known before any run:
/// each group's resolved scenario, and the experiment id that decides whether results may
/// be written over an existing folder.
public struct Provenance: Sendable {
    /// A resolved scenario file and where it goes, relative to the experiment folder.
    public struct ResolvedFile: Sendable {
        public var path: String
        public var text: String
    }

    public let invocation: Invocation
    public let resolved: [ResolvedFile]
    public let folders: [Manifest.Folder]
    public let experimentID: String
    public let scenarioSHA256: String
    public let startedAt: Date
    let experiment: Experiment

    public init(of experiment: Experiment, invocation: Invocation, startedAt: Date = Date()) throws(ScenarioError) {
        self.experiment = experiment
        self.invocation = invocation
        self.startedAt = startedAt
        var resolved: [ResolvedFile] = []
        var folders: [Manifest.Folder] = []
        for (g, group) in experiment.groups.enumerated() {
            let body = try ScenarioLoader.resolvedYAML(
                of: group.scenario, seed: experiment.masterSeed, replications: experiment.replications)
            let folder = ExperimentOutput.folder(ofGroup: g, in: experiment)
            let file = ExperimentOutput.ownFolder(ofGroup: g, in: experiment) + "/" + ResultFiles.resolvedScenario
            resolved.append(
                ResolvedFile(path: file, text: Self.header(group, index: g, of: experiment, invocation) + body))
            folders.append(
                Manifest.Folder(
                    folder: folder, label: group.label, resolvedScenario: file, resolvedSHA256: Manifest.sha256(body),
                    fidelity: group.scenario.fidelity.rawValue))
        }
        self.resolved = resolved
        self.folders = folders
        experimentID = Manifest.experimentID(
            seed: experiment.masterSeed, replications: experiment.replications, shard: invocation.shard,
            folders: folders)
        scenarioSHA256 = Manifest.sha256(experiment.groups.first?.scenario.source?.text ?? "")
    }

    /// manifest.json once the runs are done.
    public func manifest(runs: Int, finishedAt: Date = Date()) -> Manifest {
        Manifest(
            btsimVersion: BuildInfo.version, gitCommit: BuildInfo.gitCommit, gitDirty: BuildInfo.gitDirty,
            command: invocation.command, kind: experiment.kind.rawValue, scenario: invocation.scenarioFile,
            scenarioSHA256: scenarioSHA256, overrides: invocation.overrides, masterSeed: experiment.masterSeed,
            replications: experiment.replications, shard: invocation.shard, runs: runs, folders: folders,
            experimentID: experimentID, startedAt: Manifest.timestamp(startedAt),
            finishedAt: Manifest.timestamp(finishedAt))
    }

    /// Comment lines saying where the file came from and how to use it; not part of the id.
    private static func header(_ group: ExperimentGroup, index g: Int, of experiment: Experiment, _ i: Invocation)
        -> String
    {
        let sets = i.overrides.isEmpty ? "" : " with " + i.overrides.map { "--set \($0)" }.joined(separator: " ")
        let then: String
        switch experiment.kind {
        case .run: then = ""
        case .compare:
            then = group.label == "base" ? " (the base of the compare)" : ", then variant \(group.label)'s set:"
        case .sweep: then = ", at sweep point \(g + 1) (\(group.label))"
        }
        return """
            # The scenario of these runs, written by \(BuildInfo.description): \(i.scenarioFile)\(sets)\(then).
            # `btsim run` on this file makes the same runs: the same CSVs apart from summary.csv's
            # variant column and the wall-clock columns (docs/architecture.md, "Provenance").

            """
    }
}
