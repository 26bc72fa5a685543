import ArgumentParser
import Experiments
import Foundation

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the results of `--shard` runs into one results folder.",
        discussion: """
            Each DIR is the --out folder of one shard. The merged folder holds exactly what
            one unsharded run would have written (apart from wall_s and peak_rss_mib),
            including aggregate.csv and, for `compare`, compare.csv. Fails when a shard is
            missing or the shards come from different experiments.

            Example:
              btsim sweep x.yaml --shard 1/2 --out /tmp/s1
              btsim sweep x.yaml --shard 2/2 --out /tmp/s2
              btsim merge /tmp/s1 /tmp/s2 --out Results
            """
    )

    @Argument(help: "The shards' results folders.")
    var dirs: [String]

    @Option(help: ArgumentHelp("Where the merged results go.", valueName: "DIR"))
    var out: String = "Results"

    @Flag(help: "Replace the merged folder even when it holds results of another experiment.")
    var force = false

    func run() throws {
        do {
            let merged = try ExperimentMerge.merge(dirs, into: out, command: CommandLine.arguments, force: force)
            for folder in merged { print("results: \(folder)/") }
        } catch {
            throw BadInput(description: "\(error)")
        }
    }
}
