import Foundation
import Testing

@testable import Reports

@Suite struct ReportTablesTests {
    @Test func numbersKeepFourSignificantDigitsAndWholeNumbersStayWhole() {
        #expect(ReportTables.number("0.939880") == "0.9399")
        #expect(ReportTables.number("321.712345") == "321.7")
        #expect(ReportTables.number("12424.3") == "12424")
        #expect(ReportTables.number("3.000000") == "3")
        #expect(ReportTables.number("2.5", signed: true) == "+2.5")
        #expect(ReportTables.number("-0.000123456") == "-0.0001235")
        #expect(ReportTables.number("") == "" && ReportTables.number("speed") == "speed")
    }

    @Test func aggregatesShowSweptValuesInsteadOfTheVariantLabel() {
        var t = CSVTable(header: Aggregates.aggregateHeader + ["point", "incentives.price"])
        t.append([
            "mean_seeding_s", "incentives.price=4 BTT/GiB", "3", "1040.2", "838.9", "1240.1", "80", "2", "4 BTT/GiB",
        ])
        let shown = ReportTables.aggregate(t)
        #expect(shown.header == ["metric", "unit", "incentives.price", "n", "mean", "95 % CI"])
        #expect(shown.rows[0] == ["mean_seeding_s", "s", "4 BTT/GiB", "3", "1040", "838.9 … 1240"])
    }

    @Test func htmlEscapesTextAndEmbedsFiguresAsDataURIs() {
        var t = CSVTable(header: ["variant"])
        t.append(["<a&b>"])
        var report = ResultReport(title: "x\"y", sections: [.init(heading: "h", text: "t", table: t)])
        report.figures = [.init(caption: "c", png: Data([0x89, 0x50]))]
        let html = HTMLReport.render(report)
        #expect(html.contains("<td>&lt;a&amp;b&gt;</td>"))
        #expect(html.contains("btsim report: x&quot;y"))
        #expect(html.contains("src=\"data:image/png;base64,iVA=\""))
    }
}
