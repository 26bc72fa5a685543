import Foundation

/// `btsim merge`: joins the result roots of `--shard` runs into what one unsharded run
/// would have written. Rows are put back in plan order (sweep point, then run), and the
/// aggregates are computed from the merged summaries exactly as a full run computes them.
public enum ExperimentMerge {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Merges every experiment found in `roots` into `out`; returns the folders written.
    public static func merge(_ roots: [String], into out: String) throws -> [String] {
        let fm = FileManager.default
        var names: [String] = []
        for root in roots {
            guard let entries = try? fm.contentsOfDirectory(atPath: root) else {
                throw Failure(description: "\(root): not a results folder")
            }
            for name in entries.sorted()
            where fm.fileExists(atPath: "\(root)/\(name)/\(ExperimentOutput.manifestName)") && !names.contains(name) {
                names.append(name)
            }
        }
        guard !names.isEmpty else {
            throw Failure(
                description:
                    "no shard results (\(ExperimentOutput.manifestName)) under \(roots.joined(separator: ", "))")
        }
        var written: [String] = []
        for name in names { written += try mergeExperiment(name, roots: roots, into: out) }
        return written
    }

    private static func mergeExperiment(_ name: String, roots: [String], into out: String) throws -> [String] {
        let fm = FileManager.default
        let shardRoots = roots.filter { fm.fileExists(atPath: "\($0)/\(name)/\(ExperimentOutput.manifestName)") }
        let manifests = try shardRoots.map { try CSVTable.read(path: "\($0)/\(name)/\(ExperimentOutput.manifestName)") }
        guard let manifest = manifests.first, manifests.allSatisfy({ $0.rows == manifest.rows }) else {
            throw Failure(description: "\(name): the shards come from different experiments (experiment.csv differs)")
        }
        let entries = manifest.rows.map { ($0[0], $0[1]) }
        let kind = entries.first { $0.0 == "kind" }?.1
        let expected = Int(entries.first { $0.0 == "runs" }?.1 ?? "") ?? 0
        let folders = entries.filter { $0.0 == "folder" }.map(\.1)
        var folderTables: [[String: CSVTable]] = []
        var outputs: [(path: String, files: [(String, CSVTable)])] = []
        var runsFound = 0
        for folder in folders {
            var files: [(String, CSVTable)] = []
            for table in ExperimentOutput.tableNames {
                let parts = try shardRoots.compactMap { root -> CSVTable? in
                    let path = "\(root)/\(name)/\(folder)/\(table)"
                    return fm.fileExists(atPath: path) ? try CSVTable.read(path: path) : nil
                }
                guard let first = parts.first else { continue }
                guard parts.allSatisfy({ $0.header == first.header }) else {
                    throw Failure(description: "\(name)/\(folder)/\(table): the shards' columns differ")
                }
                let joined = parts.dropFirst().reduce(first) { $0.appendingRows(of: $1) }
                let keys = [joined.column("point"), joined.column("run")].compactMap { $0 }
                files.append((table, joined.sortedRows(byIntegerColumns: keys)))
            }
            let tables = Dictionary(files) { first, _ in first }
            guard let summary = tables[ExperimentOutput.summaryName] else { continue }
            runsFound += summary.rows.count
            folderTables.append(tables)
            files += ExperimentOutput.derivedTables(tables)
            outputs.append(((out as NSString).appendingPathComponent("\(name)/\(folder)"), files))
        }
        guard runsFound == expected else {
            throw Failure(
                description: "\(name): \(runsFound) of \(expected) runs found; give every shard's results folder")
        }
        for o in outputs { try ResultFolder(path: o.path).write(o.files) }
        var top = [(ExperimentOutput.manifestName, manifest)]
        if kind == ExperimentKind.compare.rawValue { top += ExperimentOutput.comparisonTables(folderTables) }
        try ResultFolder(path: (out as NSString).appendingPathComponent(name)).write(top)
        return outputs.map(\.path)
    }
}
