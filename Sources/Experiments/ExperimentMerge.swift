import Foundation
import Reports

/// `btsim merge`: joins the result roots of `--shard` runs into what one unsharded run
/// would have written. Rows are put back in plan order (sweep point, then run), and the
/// aggregates are computed from the merged summaries exactly as a full run computes them.
/// The merged manifest.json lists every shard's manifest under `shards`.
public enum ExperimentMerge {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Merges every experiment found in `roots` into `out`; returns the folders written.
    public static func merge(_ roots: [String], into out: String, command: [String], force: Bool) throws -> [String] {
        let fm = FileManager.default
        var experiments: [String] = []
        for root in roots {
            var isFolder: ObjCBool = false
            guard fm.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue,
                let entries = try? fm.contentsOfDirectory(atPath: root)
            else {
                throw Failure(description: "\(root): no such folder (give the --out folders of the shards)")
            }
            for name in entries.sorted() {
                for folder in [name, name + "/" + ExperimentOutput.sweepFolder]
                where fm.fileExists(atPath: "\(root)/\(folder)/\(ResultFiles.experiment)")
                    && !experiments.contains(folder)
                {
                    experiments.append(folder)
                }
            }
        }
        guard !experiments.isEmpty else {
            throw Failure(
                description: "no shard results (\(ResultFiles.experiment)) under \(roots.joined(separator: ", "))")
        }
        var written: [String] = []
        for folder in experiments {
            written += try mergeExperiment(folder, roots: roots, into: out, command: command, force: force)
        }
        return written
    }

    private static func mergeExperiment(
        _ experiment: String, roots: [String], into out: String, command: [String], force: Bool
    ) throws -> [String] {
        let fm = FileManager.default
        let shardRoots = roots.filter { fm.fileExists(atPath: "\($0)/\(experiment)/\(ResultFiles.experiment)") }
        let tables = try shardRoots.map { try CSVTable.read(path: "\($0)/\(experiment)/\(ResultFiles.experiment)") }
        guard let plan = tables.first, tables.allSatisfy({ $0.rows == plan.rows }) else {
            throw Failure(
                description: "\(experiment): the shards come from different experiments (experiment.csv differs)")
        }
        let manifests = try shardRoots.map { root in
            guard let m = try Manifest.read(folder: "\(root)/\(experiment)") else {
                throw Failure(description: "\(root)/\(experiment): no \(ResultFiles.manifest); rerun the shard")
            }
            return m
        }
        guard let first = manifests.first,
            manifests.allSatisfy({
                $0.folders == first.folders && $0.masterSeed == first.masterSeed
                    && $0.replications == first.replications
            })
        else {
            throw Failure(description: "\(experiment): the shards ran different scenarios (their manifest.json differ)")
        }
        let entries = plan.rows.map { ($0[0], $0[1]) }
        let kind = entries.first { $0.0 == "kind" }?.1
        let expected = Int(entries.first { $0.0 == "runs" }?.1 ?? "") ?? 0
        let folders = entries.filter { $0.0 == "folder" }.map(\.1)
        var folderTables: [[String: CSVTable]] = []
        var files: [(path: String, data: Data)] = []
        var written: [String] = []
        var runsFound = 0
        for folder in folders {
            var named: [(String, CSVTable)] = []
            for table in ResultFiles.tables {
                let parts = try shardRoots.compactMap { root -> CSVTable? in
                    let path = "\(root)/\(experiment)/\(ExperimentOutput.path(folder, table))"
                    return fm.fileExists(atPath: path) ? try CSVTable.read(path: path) : nil
                }
                guard let first = parts.first else { continue }
                guard parts.allSatisfy({ $0.header == first.header }) else {
                    throw Failure(description: "\(experiment)/\(folder)/\(table): the shards' columns differ")
                }
                let joined = parts.dropFirst().reduce(first) { $0.appendingRows(of: $1) }
                let keys = [joined.column("point"), joined.column("run")].compactMap { $0 }
                named.append((table, joined.sortedRows(byIntegerColumns: keys)))
            }
            let byName = Dictionary(named) { first, _ in first }
            guard let summary = byName[ResultFiles.summary] else { continue }
            runsFound += summary.rows.count
            folderTables.append(byName)
            named += ExperimentOutput.derivedTables(byName)
            files += named.map { (ExperimentOutput.path(folder, $0.0), $0.1.encoded()) }
            written.append((out as NSString).appendingPathComponent(ExperimentOutput.path(experiment, folder)))
        }
        guard runsFound == expected else {
            throw Failure(
                description: "\(experiment): \(runsFound) of \(expected) runs found; give every shard's results folder")
        }
        let merged = mergedManifest(manifests, runs: runsFound, command: command)
        let destination = try ExperimentDestination(
            root: out, experimentFolder: experiment, experimentID: merged.experimentID, force: force,
            keeping: kind == ExperimentKind.sweep.rawValue ? [] : [ExperimentOutput.sweepFolder])
        let manifest = try merged.encoded()
        for f in first.folders {
            let path = "\(shardRoots[0])/\(experiment)/\(f.resolvedScenario)"
            files.append((f.resolvedScenario, try Data(contentsOf: URL(fileURLWithPath: path))))
            let own = (f.resolvedScenario as NSString).deletingLastPathComponent
            files += try traceFiles(own + "/" + ExperimentOutput.tracesFolder, of: experiment, in: shardRoots)
        }
        for folder in folders where folder != "." { files.append((folder + "/" + ResultFiles.manifest, manifest)) }
        var top = [(ResultFiles.experiment, plan)]
        if kind == ExperimentKind.compare.rawValue { top += ExperimentOutput.comparisonTables(folderTables) }
        if let reference = entries.first(where: { $0.0 == "reference" }).flatMap({ Int($0.1) }),
            let sweep = folderTables.first
        {
            top += ExperimentOutput.referenceTables(sweep, reference: reference)
        }
        files += top.map { ($0.0, $0.1.encoded()) }
        files.append((ResultFiles.manifest, manifest))
        try destination.replace(with: files)
        return written
    }

    /// The `--trace-peers` files under `folder` of each shard, by their path in the
    /// experiment folder (each run is in one shard only, so no two shards share a path).
    private static func traceFiles(_ folder: String, of experiment: String, in roots: [String]) throws -> [(
        path: String, data: Data
    )] {
        var files: [(path: String, data: Data)] = []
        for root in roots {
            let base = "\(root)/\(experiment)/\(folder)"
            guard let found = FileManager.default.enumerator(atPath: base) else { continue }
            for case let relative as String in found where relative.hasSuffix(".jsonl") {
                files.append(
                    (folder + "/" + relative, try Data(contentsOf: URL(fileURLWithPath: base + "/" + relative))))
            }
        }
        return files.sorted { $0.path < $1.path }
    }

    /// The manifest an unsharded run would have written (its experiment id too), with the
    /// shards' own manifests under `shards`.
    private static func mergedManifest(_ shards: [Manifest], runs: Int, command: [String]) -> Manifest {
        var m = shards[0]
        m.command = command
        m.shard = nil
        m.runs = runs
        m.experimentID = Manifest.experimentID(
            seed: m.masterSeed, replications: m.replications, shard: nil, folders: m.folders)
        m.startedAt = shards.map(\.startedAt).min() ?? m.startedAt
        m.finishedAt = Manifest.timestamp(Date())
        m.shards = shards
        return m
    }
}
