import ArgumentParser
import Experiments
import Foundation
import Reports

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Run the base scenario and every variant, and compare them.",
        discussion: """
            Every variant runs the same replications with the same seeds as the base
            (common random numbers), so replication r of each variant differs from the
            base's only by what the variant changes. For each key metric the table shows
            each variant's mean with its 95 % Student-t interval and its paired difference
            to the base (mean, 95 % interval, two-sided paired t-test p-value).

            Writes <out>/<scenario>/<variant>/ for the base and each variant (the same files
            as `btsim run`) and <out>/<scenario>/compare.csv.

            Example:
              btsim compare Scenarios/speed-vs-tft.yaml --replications 10
            """
    )

    @Argument(help: "The scenario file (YAML) with `variants:`.")
    var file: String

    @OptionGroup var options: RunOptions

    func run() throws {
        let session = try ExperimentSession(kind: .compare, file: file, options: options)
        guard !options.quiet else { return }
        if session.isComplete {
            let root = (options.out as NSString).appendingPathComponent(session.experiment.name)
            if let table = try? CSVTable.read(path: root + "/compare.csv") { SummaryPrinter.comparison(table) }
            print("results: \(root)/")
        } else {
            print("shard done: join the shards with `btsim merge`")
        }
    }
}
