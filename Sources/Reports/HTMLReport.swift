import Foundation

/// A `ResultReport` as one self-contained HTML file: the styles inline and every figure a
/// `data:` URI, so the file can be mailed, attached to an issue or opened offline without
/// the folder it came from.
public enum HTMLReport {
    public static func render(_ report: ResultReport) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>btsim report: \(escape(report.title))</title>
            <style>
            body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
            h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
            table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
            th, td { padding: 0.2em 0.6em; border-bottom: 1px solid #e4e4e4; text-align: right; }
            th { background: #f3f3f3; } td:first-child, th:first-child { text-align: left; }
            figure { margin: 1.5em 0; } figure img { max-width: 100%; } figcaption { color: #555; font-size: 0.9em; }
            .note { color: #555; }
            </style>
            </head>
            <body>
            <h1>btsim report: \(escape(report.title))</h1>

            """
        if !report.figures.isEmpty || !report.figureNote.isEmpty {
            html += "<h2>Figures</h2>\n"
            if !report.figureNote.isEmpty { html += "<p class=\"note\">\(escape(report.figureNote))</p>\n" }
            for figure in report.figures {
                html += """
                    <figure><img src="data:image/png;base64,\(figure.png.base64EncodedString())" \
                    alt="\(escape(figure.caption))"><figcaption>\(escape(figure.caption))</figcaption></figure>

                    """
            }
        }
        for section in report.sections {
            html += "<h2>\(escape(section.heading))</h2>\n<p class=\"note\">\(escape(section.text))</p>\n"
            if let table = section.table { html += render(table) }
        }
        return html + "</body>\n</html>\n"
    }

    static func render(_ table: CSVTable) -> String {
        var html = "<table>\n<tr>" + table.header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
        for row in table.rows { html += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n" }
        return html + "</table>\n"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
