import ArgumentParser
import Foundation
import Reports

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML summary of a results folder, with plots.",
        discussion: """
            DIR is a result folder (Results/x/base, a sweep's Results/x/sweep) or an
            experiment folder (Results/x, with compare.csv after `btsim compare`). The
            report holds the summary tables with 95 % intervals, exactly as in
            aggregate.csv and compare.csv, and the key figures, drawn by the notebooks'
            plotting code (notebooks/report_figures.py; needs python3 with pandas and
            matplotlib: `make notebook-deps`). Figures are embedded in the HTML file and
            also written as PNG and SVG to DIR/report-figures/.

            Examples:
              btsim run Scenarios/quickstart.yaml --replications 3
              btsim report Results/quickstart/base     # writes .../base/report.html
              btsim compare Scenarios/speed-vs-tft.yaml
              btsim report Results/speed-vs-tft --out speed.html
            """
    )

    @Argument(help: "The results folder.")
    var dir: String

    @Option(help: ArgumentHelp("The HTML file to write (default: DIR/report.html).", valueName: "FILE"))
    var out: String?

    @Flag(help: "Tables only: do not run Python.")
    var noFigures = false

    @Option(help: ArgumentHelp("The Python interpreter for the figures.", valueName: "PATH"))
    var python = "python3"

    @Option(
        help: ArgumentHelp(
            "The folder holding report_figures.py (default: found from btsim's location).", valueName: "DIR"))
    var notebooks: String?

    func run() throws {
        var report: ResultReport
        do {
            report = try ResultReport.load(folder: dir)
        } catch {
            throw BadInput(description: "\(error)")
        }
        if !noFigures {
            guard let script = FigureScript.locate(notebooks: notebooks) else {
                throw BadInput(
                    description: "notebooks/report_figures.py not found; give --notebooks DIR or --no-figures")
            }
            let figures = (dir as NSString).appendingPathComponent("report-figures")
            switch try FigureScript(script: script, python: python).draw(folder: dir, into: figures) {
            case .drawn(let drawn): report.figures = drawn
            case .unavailable(let why):
                report.figureNote = why
                FileHandle.standardError.write(Data("warning: \(why)\n".utf8))
            }
        }
        let path = out ?? (dir as NSString).appendingPathComponent("report.html")
        do {
            try Data(HTMLReport.render(report).utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw BadInput(description: "\(path): cannot write (\((error as NSError).localizedDescription))")
        }
        print("report: \(path) (\(report.figures.count) figures)")
    }
}
