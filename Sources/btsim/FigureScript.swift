import Foundation
import Reports

/// Draws a report's figures with notebooks/report_figures.py, the notebooks' own plotting
/// code, so the report and the notebooks never disagree about a plot. Python is optional:
/// without it (or without pandas and matplotlib) the report keeps its tables and says why
/// the figures are missing.
struct FigureScript {
    /// notebooks/report_figures.py: in `notebooks` when given, else the first found walking
    /// up from the executable (.build/release/btsim sits two or three levels below the
    /// checkout) or from the working directory.
    static func locate(notebooks: String?) -> String? {
        let name = "report_figures.py"
        if let notebooks { return (notebooks as NSString).appendingPathComponent(name) }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let starts = [executable, URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        for start in starts {
            var dir = start
            for _ in 0..<6 {
                let candidate = dir.appendingPathComponent("notebooks/\(name)").path
                if FileManager.default.fileExists(atPath: candidate) { return candidate }
                dir = dir.deletingLastPathComponent()
            }
        }
        return nil
    }

    enum Outcome {
        case drawn([ResultReport.Figure])
        /// No figures, and a sentence saying why and what to do.
        case unavailable(String)
    }

    let script: String
    let python: String

    /// Runs the script on `folder`, writing PNG and SVG files into `figures`.
    func draw(folder: String, into figures: String) throws -> Outcome {
        guard FileManager.default.fileExists(atPath: script) else {
            return .unavailable("No figures: \(script) not found (give --notebooks DIR).")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script, folder, figures]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        switch process.terminationStatus {
        case 0: break
        case 3, 127:
            return .unavailable(
                "No figures: \(python) with pandas and matplotlib is needed (`make notebook-deps`, or "
                    + "`pip install -r notebooks/requirements.txt`). \(message.trimmingCharacters(in: .whitespacesAndNewlines))"
            )
        default:
            throw RunFailure(description: "\(script) failed on \(folder):\n\(message)")
        }
        let index = try CSVTable.read(path: figures + "/figures.csv")
        return .drawn(
            try index.rows.map { row in
                ResultReport.Figure(
                    caption: row[1], png: try Data(contentsOf: URL(fileURLWithPath: figures + "/" + row[0])))
            })
    }
}
