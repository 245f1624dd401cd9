import Foundation

/// The report as a self-contained, print-ready A4 page.
public enum ReportHTML {
    public static func render(_ report: MonthlyReport) -> String {
        "<!doctype html><html lang=\"id\"><meta charset=\"utf-8\"><title>\(ReportText.title)</title><pre>"
            + ReportMarkdown.render(report).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            + "</pre></html>\n"
    }
}
