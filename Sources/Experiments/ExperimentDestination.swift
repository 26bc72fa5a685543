import Foundation
import Reports

/// The folder an experiment's results will replace, checked before any run
/// (docs/architecture.md, "Safe output"): results never silently mix with, or replace, the
/// results of other runs.
///
/// A folder that does not exist, is empty, or holds results with the same experiment id
/// (the same resolved scenarios, seed, replications and shard) may be replaced; anything
/// else needs `--force`. Checking first means a mistyped `--out` or a folder that cannot be
/// written fails in a second, not after hours of runs.
public struct ExperimentDestination: Sendable {
    /// `<root>/<experiment folder>`.
    public let path: String
    /// Subfolders kept when the folder is replaced (a scenario's sweep, beside its compare).
    let keeping: [String]

    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    public init(root: String, experimentFolder: String, experimentID: String, force: Bool, keeping: [String] = [])
        throws(Refusal)
    {
        path = (root as NSString).appendingPathComponent(experimentFolder)
        self.keeping = keeping
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                throw Refusal(description: "\(path) exists and is not a folder; give another --out")
            }
            let entries = (try? fm.contentsOfDirectory(atPath: path)) ?? []
            let ours = entries.filter { !keeping.contains($0) }
            if !force && !ours.isEmpty {
                let existing: Manifest?
                do {
                    existing = try Manifest.read(folder: path)
                } catch {
                    throw Refusal(
                        description:
                            "\(path)/\(ResultFiles.manifest) cannot be read (\(error)); pass --force to replace the whole folder, or give another --out"
                    )
                }
                if existing?.experimentID != experimentID {
                    let what =
                        existing.map { "the results of another experiment (\($0.brief))" }
                        ?? "files without a \(ResultFiles.manifest) (results of an older btsim, or not btsim's)"
                    throw Refusal(
                        description:
                            "\(path) holds \(what); pass --force to replace the whole folder, or give another --out (shards go to separate --out folders, joined by `btsim merge`)"
                    )
                }
            }
        }
        do {
            try ResultFolder(path: path).checkWritable()
        } catch {
            throw Refusal(description: "\(error)")
        }
    }

    /// Replaces the folder with `files` (paths relative to it).
    func replace(with files: [(path: String, data: Data)]) throws(ResultFolderError) {
        try ResultFolder(path: path).replace(with: files, keeping: keeping)
    }
}
