import ArgumentParser
import Foundation
import Reports
import Validation

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Run btsim against closed-form models and measurements; print and save the table.",
        discussion: """
            Each case runs swarms whose outcome a model predicts and compares, per quantity,
            the expected value with the simulated mean and its 95 % interval over
            replications. A hard bound (Kumar–Ross) must hold in every run; a stochastic
            check passes when the interval meets the expectation widened by the model's
            stated tolerance. Models, parameters and known differences: docs/validation.md.

              btsim validate --quick                 # the CI subset, a few minutes
              btsim validate                         # the full suite
              btsim validate --only qiu-srikant      # one case

            Writes DIR/validation/validation.csv. Exit status: 0 all checks pass, 1 a check
            failed, 2 bad input.
            """
    )

    @Flag(help: "Run the small subset fit for CI.")
    var quick = false

    @Option(
        help: ArgumentHelp(
            "Run only this case (repeatable): \(ValidationSuite.cases.map(\.name).joined(separator: ", ")).",
            valueName: "case"))
    var only: [String] = []

    @Option(help: "Master seed of every case's replications.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Results root; the table goes to DIR/validation/.", valueName: "DIR"))
    var out: String = "Results"

    @Option(help: "Runs to execute in parallel (default: the number of cores). Results do not depend on it.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "No progress output.")
    var quiet = false

    func validate() throws {
        let known = Set(ValidationSuite.cases.map(\.name))
        for name in only where !known.contains(name) {
            throw ValidationError("unknown case '\(name)'; known: \(known.sorted().joined(separator: ", "))")
        }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let cases = ValidationSuite.cases.filter { only.isEmpty || only.contains($0.name) }
        let verbose = !quiet
        let runner = ValidationRunner(jobs: jobs, masterSeed: seed) { name, runs in
            if verbose { FileHandle.standardError.write(Data("\(name): \(runs) run(s) done\n".utf8)) }
        }
        var checks: [ValidationCheck] = []
        for c in cases { checks += try c.checks(quick: quick, runner: runner) }
        let folder = out + "/validation"
        do {
            try ResultFolder(path: folder).write([("validation.csv", ValidationReport.table(checks))])
        } catch {
            throw BadInput(description: "\(error)")
        }
        Self.print(checks)
        // Only rows that can fail are checks; reported values are counted apart.
        let passed = checks.filter { $0.passed == true }.count
        let failed = checks.filter { $0.passed == false }.count
        let reported = checks.filter { $0.passed == nil }.count
        Swift.print(
            "\(passed + failed) checks: \(passed) passed, \(failed) failed; \(reported) values reported; table in \(folder)/validation.csv"
        )
        if failed > 0 { throw ExitCode(1) }
    }

    static func print(_ checks: [ValidationCheck]) {
        let widths = [max(17, (checks.map(\.model.count).max() ?? 0) + 1), 26, 42, 10, 10, 22, 6]
        Swift.print(
            SummaryPrinter.row(
                ["model", "setting", "quantity", "expected", "simulated", "95 % CI", "verdict"], widths: widths))
        for c in checks {
            Swift.print(
                SummaryPrinter.row(
                    [
                        c.model, c.setting, c.quantity, c.expected.map(SummaryPrinter.fmt) ?? "-",
                        SummaryPrinter.fmt(c.simulated.mean),
                        "\(SummaryPrinter.fmt(c.simulated.low)) … \(SummaryPrinter.fmt(c.simulated.high))", c.verdict,
                    ], widths: widths))
        }
    }
}
