import Foundation

/// Where an experiment's results go, under `<root>/<scenario name>/`: one folder per
/// variant (`base`, or each variant's name for `compare`), or a single `sweep` folder
/// whose tables end with a `point` column and one column per swept key. Each folder holds
/// peers, timeseries, summary and payments CSVs, and `aggregate.csv` and `survival.csv` once
/// all its runs are there; `compare` adds `compare.csv`; `experiment.csv` records what was run, so that
/// `btsim merge` can put shards back together.
public enum ExperimentOutput {
    /// The last three only for scenarios with a storage market.
    public static let tableNames = [
        "peers.csv", "timeseries.csv", "summary.csv", "groups.csv", "payments.csv", "storage.csv", "files.csv",
        "hosts.csv",
    ]
    public static let manifestName = "experiment.csv"
    public static let summaryName = "summary.csv"
    public static let groupsName = "groups.csv"

    /// The folders of `experiment`, in order (relative to `<root>/<name>/`).
    public static func folders(of experiment: Experiment) -> [String] {
        experiment.kind == .sweep ? ["sweep"] : experiment.groups.map(\.label)
    }

    /// What `btsim merge` needs to know: the kind, the replications and the folders.
    public static func manifest(of experiment: Experiment) -> CSVTable {
        var t = CSVTable(header: ["key", "value"])
        t.append(["kind", experiment.kind.rawValue])
        t.append(["replications", "\(experiment.replications)"])
        t.append(["runs", "\(experiment.groups.count * experiment.replications)"])
        for folder in folders(of: experiment) { t.append(["folder", folder]) }
        return t
    }

    /// Writes the runs made here. `complete` is false for a shard: it then writes no
    /// aggregates (they need every run; `btsim merge` computes them).
    public static func write(_ completed: [CompletedRun], of experiment: Experiment, root: String, complete: Bool)
        throws(ResultFolderError) -> [String]
    {
        let base = (root as NSString).appendingPathComponent(experiment.name)
        var folderTables: [[String: CSVTable]] = []
        var written: [String] = []
        for folder in folders(of: experiment) {
            let groups = experiment.groups.indices.filter {
                experiment.kind == .sweep || experiment.groups[$0].label == folder
            }
            var tables: [String: CSVTable] = [:]
            for g in groups {
                let outputs = completed.filter { $0.planned.group == g }.map(\.output)
                guard !outputs.isEmpty else { continue }
                for (name, table) in groupTables(outputs, experiment: experiment, group: g) {
                    tables[name] = tables[name].map { $0.appendingRows(of: table) } ?? table
                }
            }
            guard tables[summaryName] != nil else { continue }
            folderTables.append(tables)
            var files = tableNames.compactMap { name in tables[name].map { (name, $0) } }
            if complete { files += derivedTables(tables) }
            try ResultFolder(path: base + "/" + folder).write(files)
            written.append(base + "/" + folder)
        }
        var top = [(manifestName, manifest(of: experiment))]
        if complete && experiment.kind == .compare { top += comparisonTables(folderTables) }
        try ResultFolder(path: base).write(top)
        return written
    }

    /// The tables computed from a folder's complete tables (by file name): aggregate.csv,
    /// survival.csv where the runs have a swarm, group_aggregate.csv where they have peer
    /// groups. `btsim merge` computes them the same way.
    static func derivedTables(_ tables: [String: CSVTable]) -> [(String, CSVTable)] {
        var derived: [(String, CSVTable)] = []
        if let summary = tables[summaryName] {
            derived.append(("aggregate.csv", Aggregates.table(summary)))
            if let survival = SurvivalTable.table(summary) { derived.append(("survival.csv", survival)) }
        }
        if let groups = tables[groupsName], !groups.rows.isEmpty {
            derived.append(("group_aggregate.csv", Aggregates.table(groups, .groups)))
        }
        return derived
    }

    /// compare.csv and group_compare.csv over a compare's folders, the base's first.
    static func comparisonTables(_ folders: [[String: CSVTable]]) -> [(String, CSVTable)] {
        var tables = [("compare.csv", Aggregates.comparison(folders.compactMap { $0[summaryName] }))]
        let groups = folders.compactMap { $0[groupsName] }
        if groups.count == folders.count, groups.contains(where: { !$0.rows.isEmpty }) {
            tables.append(("group_compare.csv", Aggregates.comparison(groups, .groups)))
        }
        return tables
    }

    /// The tables of one group's runs, by file name; a sweep point's rows end with its
    /// point number and swept values.
    static func groupTables(_ outputs: [RunOutput], experiment: Experiment, group g: Int) -> [(String, CSVTable)] {
        let label = experiment.groups[g].label
        var tables = [
            ("peers.csv", ResultTables.peers(outputs)), ("timeseries.csv", ResultTables.timeseries(outputs)),
            (summaryName, ResultTables.summary(outputs, scenario: experiment.name, variant: label)),
            (groupsName, GroupColumns.table(outputs, scenario: experiment.name, variant: label)),
            ("payments.csv", ResultTables.payments(outputs)),
        ]
        if let storage = StorageTables.tables(outputs) {
            tables += zip(["storage.csv", "files.csv", "hosts.csv"], storage).map { ($0, $1) }
        }
        guard experiment.kind == .sweep else { return tables }
        return tables.map {
            (
                $0,
                $1.appendingColumns(
                    ["point"] + experiment.sweepPaths, values: ["\(g + 1)"] + experiment.groups[g].point)
            )
        }
    }
}
