import Foundation
import Reports
import Scenario
import Swarm

/// Where an experiment's results go (docs/metrics.md): `<root>/<scenario name>/` for `run`
/// and `compare`, with one folder per variant (`base`, then each variant's name), or
/// `<root>/<scenario name>/sweep/` for a sweep, whose tables end with a `point` column and
/// one column per swept key. A sweep is an experiment of its own inside the scenario's
/// folder, so the compare and the sweep of one scenario keep both their results.
///
/// Each result folder holds the peers, timeseries, summary, groups and payments CSVs,
/// `aggregate.csv` and `survival.csv` once all its runs are there, its resolved scenario
/// and manifest.json; the experiment folder adds `experiment.csv` (for `btsim merge`),
/// manifest.json and, for `compare`, `compare.csv`. Writing replaces the whole experiment
/// folder, so no file derived from older runs survives beside newer ones.
public enum ExperimentOutput {
    /// The experiment folder, relative to the results root.
    public static func experimentFolder(of experiment: Experiment) -> String {
        experiment.kind == .sweep ? experiment.name + "/" + sweepFolder : experiment.name
    }

    /// A sweep's folder inside its scenario's (and a name no variant may take).
    public static let sweepFolder = "sweep"

    /// The result folders of `experiment`, in order, relative to its experiment folder
    /// ("." for a sweep, whose experiment folder is its result folder).
    public static func folders(of experiment: Experiment) -> [String] {
        experiment.kind == .sweep ? ["."] : experiment.groups.map(\.label)
    }

    /// The result folder group `g`'s rows go to.
    static func folder(ofGroup g: Int, in experiment: Experiment) -> String {
        experiment.kind == .sweep ? "." : experiment.groups[g].label
    }

    /// What `btsim merge` needs to know: the kind, the replications and the folders.
    public static func manifest(of experiment: Experiment) -> CSVTable {
        var t = CSVTable(header: ["key", "value"])
        t.append(["kind", experiment.kind.rawValue])
        t.append(["replications", "\(experiment.replications)"])
        t.append(["runs", "\(experiment.groups.count * experiment.replications)"])
        for folder in folders(of: experiment) { t.append(["folder", folder]) }
        if let reference = experiment.reference { t.append(["reference", "\(reference + 1)"]) }
        return t
    }

    /// Writes the runs made here into `destination`, replacing it. `complete` is false for a
    /// shard: it then writes no aggregates (they need every run; `btsim merge` computes them).
    /// Returns the result folders written.
    public static func write(
        _ completed: [CompletedRun], of experiment: Experiment, provenance: Provenance,
        to destination: ExperimentDestination, complete: Bool
    ) throws -> [String] {
        var files: [(path: String, data: Data)] = []
        var folderTables: [[String: CSVTable]] = []
        var written: [String] = []
        let manifestJSON = try provenance.manifest(runs: completed.count).encoded()
        for folder in folders(of: experiment) {
            let groups = experiment.groups.indices.filter { self.folder(ofGroup: $0, in: experiment) == folder }
            var tables: [String: CSVTable] = [:]
            for g in groups {
                let outputs = completed.filter { $0.planned.group == g }.map(\.output)
                guard !outputs.isEmpty else { continue }
                for (name, table) in groupTables(outputs, experiment: experiment, group: g) {
                    tables[name] = tables[name].map { $0.appendingRows(of: table) } ?? table
                }
            }
            if folder != "." { files.append((folder + "/" + ResultFiles.manifest, manifestJSON)) }
            for run in completed where groups.contains(run.planned.group) {
                files += run.output.result.traces.map { trace in
                    (tracePath(of: trace.peer, run: run.planned, in: experiment), traceData(trace))
                }
            }
            guard tables[ResultFiles.summary] != nil else { continue }
            folderTables.append(tables)
            var named = ResultFiles.tables.compactMap { name in tables[name].map { (name, $0) } }
            if complete { named += derivedTables(tables) }
            files += named.map { (path(folder, $0.0), $0.1.encoded()) }
            written.append(path(destination.path, folder))
        }
        files += provenance.resolved.map { ($0.path, Data($0.text.utf8)) }
        var top = [(ResultFiles.experiment, manifest(of: experiment))]
        if complete && experiment.kind == .compare { top += comparisonTables(folderTables) }
        if complete, let reference = experiment.reference, let sweep = folderTables.first {
            top += referenceTables(sweep, reference: reference + 1)
        }
        files += top.map { ($0.0, $0.1.encoded()) }
        files.append((ResultFiles.manifest, manifestJSON))
        try destination.replace(with: files)
        return written
    }

    /// The folder of `--trace-peers` files in a result folder.
    public static let tracesFolder = "traces"

    /// The folder of group `g`'s own files (its resolved scenario, its traces), relative
    /// to the experiment folder: its result folder, or `point-N` in a sweep, whose points
    /// share one result folder.
    static func ownFolder(ofGroup g: Int, in experiment: Experiment) -> String {
        experiment.kind == .sweep ? "point-\(g + 1)" : experiment.groups[g].label
    }

    /// Where a traced peer's events go, relative to the experiment folder:
    /// `<variant>/traces/run-R/peer-P.jsonl` (`point-N/traces/…` in a sweep).
    static func tracePath(of peer: Int, run: PlannedRun, in experiment: Experiment) -> String {
        "\(ownFolder(ofGroup: run.group, in: experiment))/\(tracesFolder)/run-\(run.replication)/peer-\(peer).jsonl"
    }

    /// A trace as JSON lines, the format of `btsim live … --events`.
    static func traceData(_ trace: PeerTrace) -> Data {
        var text = ""
        for event in trace.events { text += event.jsonLine }
        return Data(text.utf8)
    }

    /// `folder/name`, where "." (a sweep's result folder) is the experiment folder itself.
    static func path(_ folder: String, _ name: String) -> String {
        folder == "." ? name : name == "." ? folder : folder + "/" + name
    }

    /// The tables computed from a folder's complete tables (by file name): aggregate.csv,
    /// survival.csv where the runs have a swarm, group_aggregate.csv where they have peer
    /// groups. `btsim merge` computes them the same way.
    static func derivedTables(_ tables: [String: CSVTable]) -> [(String, CSVTable)] {
        var derived: [(String, CSVTable)] = []
        if let summary = tables[ResultFiles.summary] {
            derived.append(("aggregate.csv", Aggregates.table(summary)))
            // A catalogue's summary has no swarm lifetime; its torrents each have theirs.
            if let survival = SurvivalTable.table(summary)
                ?? tables[ResultFiles.torrents].flatMap({ SurvivalTable.table(torrents: $0) })
            {
                derived.append(("survival.csv", survival))
            }
        }
        if let groups = tables[ResultFiles.groups], !groups.rows.isEmpty {
            derived.append(("group_aggregate.csv", Aggregates.table(groups, .groups)))
        }
        return derived
    }

    /// compare.csv and group_compare.csv over a compare's folders, the base's first.
    static func comparisonTables(_ folders: [[String: CSVTable]]) -> [(String, CSVTable)] {
        var tables = [("compare.csv", Aggregates.comparison(folders.compactMap { $0[ResultFiles.summary] }))]
        let groups = folders.compactMap { $0[ResultFiles.groups] }
        if groups.count == folders.count, groups.contains(where: { !$0.rows.isEmpty }) {
            tables.append(("group_compare.csv", Aggregates.comparison(groups, .groups)))
        }
        return tables
    }

    /// A sweep with a reference point: compare.csv and group_compare.csv of every point
    /// against point `reference` (1-based), pair by pair as `compare` does with variants,
    /// from the sweep's tables split by their `point` column.
    static func referenceTables(_ tables: [String: CSVTable], reference: Int) -> [(String, CSVTable)] {
        var byPoint: [(point: String, tables: [String: CSVTable])] = []
        for name in [ResultFiles.summary, ResultFiles.groups] {
            guard let table = tables[name], let column = table.column("point") else { continue }
            for row in table.rows {
                let point = row[column]
                if let i = byPoint.firstIndex(where: { $0.point == point }) {
                    byPoint[i].tables[name, default: CSVTable(header: table.header)].append(row)
                } else {
                    var t = CSVTable(header: table.header)
                    t.append(row)
                    byPoint.append((point, [name: t]))
                }
            }
        }
        guard let i = byPoint.firstIndex(where: { $0.point == "\(reference)" }) else { return [] }
        let ordered = [byPoint[i]] + byPoint.enumerated().filter { $0.offset != i }.map(\.element)
        return comparisonTables(ordered.map(\.tables))
    }

    /// The tables of one group's runs, by file name; a sweep point's rows end with its
    /// point number and swept values.
    static func groupTables(_ outputs: [RunOutput], experiment: Experiment, group g: Int) -> [(String, CSVTable)] {
        let label = experiment.groups[g].label
        var tables = [
            ("peers.csv", ResultTables.peers(outputs)), ("timeseries.csv", ResultTables.timeseries(outputs)),
            (ResultFiles.summary, ResultTables.summary(outputs, scenario: experiment.name, variant: label)),
            (ResultFiles.groups, GroupColumns.table(outputs, scenario: experiment.name, variant: label)),
            ("payments.csv", ResultTables.payments(outputs)),
        ]
        if let storage = StorageTables.tables(outputs) {
            tables += zip(["storage.csv", "files.csv", "hosts.csv"], storage).map { ($0, $1) }
        }
        if let torrents = TorrentColumns.table(outputs, scenario: experiment.name, variant: label) {
            tables.append((ResultFiles.torrents, torrents))
        }
        if let series = TorrentColumns.timeseries(outputs) { tables.append((ResultFiles.torrentTimeseries, series)) }
        if let users = UserColumns.table(outputs) { tables.append((ResultFiles.users, users)) }
        guard experiment.kind == .sweep else { return tables }
        return tables.map {
            ($0, $1.appendingColumns(experiment.sweepColumns, values: experiment.sweepCells(ofGroup: g)))
        }
    }
}
