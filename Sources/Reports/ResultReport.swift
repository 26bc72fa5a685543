import Foundation

/// What `btsim report` says about a results folder, before any rendering: the tables it
/// shows, read from the CSVs btsim wrote (nothing is recomputed, so the report agrees with
/// aggregate.csv and compare.csv to the digit), and the figures added by the caller.
public struct ResultReport: Sendable {
    public struct Section: Sendable {
        public let heading: String
        public let text: String
        public let table: CSVTable?
    }

    public struct Figure: Sendable {
        public let caption: String
        public let png: Data

        public init(caption: String, png: Data) {
            self.caption = caption
            self.png = png
        }
    }

    public let title: String
    public let sections: [Section]
    public var figures: [Figure] = []
    /// Shown above the figures when there are none (why they are missing, what to do).
    public var figureNote: String = ""

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads a result folder (one variant, or a sweep: it has summary.csv) or an experiment
    /// folder (experiment.csv, and compare.csv after `btsim compare`).
    /// The report starts with what produced the results, from manifest.json (the folder's,
    /// or its experiment folder's).
    public static func load(folder: String) throws(Failure) -> ResultReport {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw Failure(
                description: "\(folder): no such folder; give a results folder such as Results/quickstart/base")
        }
        let report = try tables(folder: folder)
        guard let provenance = try provenance(folder) else { return report }
        return ResultReport(title: report.title, sections: [provenance] + report.sections)
    }

    private static func provenance(_ folder: String) throws(Failure) -> Section? {
        let candidates = [folder, (folder as NSString).deletingLastPathComponent]
        for candidate in candidates {
            let manifest: Manifest?
            do {
                manifest = try Manifest.read(folder: candidate)
            } catch {
                throw Failure(description: "\(candidate)/\(ResultFiles.manifest): cannot read (\(error))")
            }
            guard let manifest else { continue }
            var table = CSVTable(header: ["what", "value"])
            for (key, value) in manifest.summaryRows { table.append([key, value]) }
            return Section(
                heading: "Provenance",
                text: """
                    What produced these results, from \(ResultFiles.manifest); each result folder's \
                    \(ResultFiles.resolvedScenario) reproduces its runs with `btsim run`.
                    """,
                table: table)
        }
        return nil
    }

    private static func tables(folder: String) throws(Failure) -> ResultReport {
        let fm = FileManager.default
        let name = (folder as NSString).lastPathComponent
        if fm.fileExists(atPath: folder + "/summary.csv") {
            let parent = ((folder as NSString).deletingLastPathComponent as NSString).lastPathComponent
            let label = parent.isEmpty ? name : "\(parent)/\(name)"
            return ResultReport(title: label, sections: try folderSections(folder, label: label))
        }
        if fm.fileExists(atPath: folder + "/compare.csv") {
            let compare = try read(folder + "/compare.csv")
            var summaries: [CSVTable] = []
            for variant in Aggregates.variants(compare) {
                summaries.append(try read("\(folder)/\(variant)/summary.csv"))
            }
            guard let base = summaries.first, summaries.allSatisfy({ $0.header == base.header }) else {
                throw Failure(
                    description: "\(folder): the variants' summary.csv files are missing or differ in columns")
            }
            return ResultReport(
                title: name,
                sections: [
                    Section(
                        heading: "Strategy comparison",
                        text: """
                            Each variant's mean with its 95 % confidence interval, and its paired difference \
                            to the base (same seeds) with the two-sided p-value, from compare.csv.
                            """,
                        table: ReportTables.comparison(compare)),
                    runsSection(summaries.dropFirst().reduce(base) { $0.appendingRows(of: $1) }),
                ])
        }
        guard fm.fileExists(atPath: folder + "/" + ResultFiles.experiment) else {
            throw Failure(
                description: "\(folder): not a btsim results folder (no summary.csv, compare.csv or experiment.csv)")
        }
        let manifest = try read(folder + "/" + ResultFiles.experiment)
        var sections: [Section] = []
        for row in manifest.rows where row[0] == "folder" {
            sections += try folderSections("\(folder)/\(row[1])", label: "\(name)/\(row[1])")
        }
        return ResultReport(title: name, sections: sections)
    }

    private static func folderSections(_ folder: String, label: String) throws(Failure) -> [Section] {
        let summary = try read(folder + "/summary.csv")
        var sections: [Section] = []
        if FileManager.default.fileExists(atPath: folder + "/aggregate.csv") {
            sections.append(
                Section(
                    heading: "\(label): means with 95 % confidence intervals",
                    text: """
                        Student-t intervals over the runs where the metric has a value (n), from \
                        aggregate.csv; a swarm still alive at the end has no lifetime.
                        """,
                    table: ReportTables.aggregate(try read(folder + "/aggregate.csv"))))
        }
        if FileManager.default.fileExists(atPath: folder + "/group_aggregate.csv") {
            sections.append(
                Section(
                    heading: "\(label): each peer group on its own",
                    text: """
                        The same metrics over each scenario group's peers only (free-riders are not pooled \
                        with the crowd), from group_aggregate.csv.
                        """,
                    table: ReportTables.aggregate(try read(folder + "/group_aggregate.csv"))))
        }
        sections.append(runsSection(summary, label: label))
        return sections
    }

    private static func runsSection(_ summary: CSVTable, label: String = "") -> Section {
        let heading = label.isEmpty ? "Runs" : "\(label): runs"
        return Section(
            heading: heading, text: "One row per run, from summary.csv (times in seconds of simulated time).",
            table: ReportTables.runs(summary))
    }

    private static func read(_ path: String) throws(Failure) -> CSVTable {
        do {
            return try CSVTable.read(path: path)
        } catch {
            throw Failure(description: "\(path): cannot read (\(error))")
        }
    }
}
