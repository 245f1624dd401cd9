import Foundation

/// The report as Markdown: the same sections as the HTML page, as tables.
public enum ReportMarkdown {
    public static func render(_ report: MonthlyReport) -> String {
        var out = "# \(ReportText.title)\n\n"
        out += "**\(ReportText.scopeTitle(report))**, \(ReportText.monthName(report.period))\n\n"
        out += "\(ReportText.provenance(report)) Target kepatuhan: \(ReportText.percent(report.complianceTarget)).\n\n"
        out += "## Ringkasan\n\n"
        out += self.table(
            ["Ukuran", ReportText.monthName(report.period), "Bulan lalu", "Perubahan"],
            ReportText.summary(report.total).map { [$0.label, $0.current, $0.previous, $0.change] }, rightFrom: 1)
        let backlog = report.total.current.backlog
        out += "\nTunggakan akhir bulan menurut umur: 0-7 hari \(ReportText.integer(backlog.days0to7)), "
            + "8-14 hari \(ReportText.integer(backlog.days8to14)), 15-30 hari \(ReportText.integer(backlog.days15to30)), "
            + "lebih dari 30 hari \(ReportText.integer(backlog.daysOver30)).\n"
        out += "\n## Tren kepatuhan 6 bulan\n\n"
        out += self.table(
            ["Bulan", "Tanggapan tepat waktu", "Penyelesaian tepat waktu", "Jatuh tempo (tanggapan / penyelesaian)"],
            report.trend.map {
                [ReportText.monthName($0.period), ReportText.percent($0.responseCompliance), ReportText.percent($0.resolutionCompliance),
                 "\(ReportText.integer($0.responseDue)) / \(ReportText.integer($0.resolutionDue))"]
            }, rightFrom: 1)
        for (title, heading, lines) in [
            ("Per OPD", "OPD", report.byOPD), ("Per kabupaten/kota", "Kabupaten/kota", report.byRegion),
            ("Per kategori", "Kategori", report.byCategory),
        ] where !lines.isEmpty || title == "Per OPD" {
            out += "\n## \(title)\n\n"
            out += self.table([heading] + ReportText.breakdownHeadings, lines.map { [$0.name] + ReportText.breakdownCells($0) }, rightFrom: 1)
        }
        out += "\n## \(MonthlyReport.mostOverdueLimit) aduan paling lama melewati tenggat\n\n"
        if report.mostOverdue.isEmpty {
            out += "Tidak ada aduan terbuka yang melewati tenggat pada akhir bulan.\n"
        } else {
            out += self.table(
                ["#", "Tiket", "OPD", "Kategori", "Status kini", "Tenggat", "Hari kerja terlambat"],
                report.mostOverdue.enumerated().map { index, item in
                    [String(index + 1), item.ticket, item.opdName, item.categoryName ?? item.category, ReportText.statusLabel(item.status),
                     (ReportText.clockLabels[item.clock] ?? item.clock) + " " + ReportText.localTime(item.dueAt),
                     ReportText.decimal(item.workingDaysOverdue)]
                }, rightFrom: 6)
        }
        if let supported = report.mostSupported {
            out += "\n## Aduan terbuka paling didukung warga, per OPD\n\n"
            out += supported.isEmpty
                ? "Belum ada aduan terbuka yang didukung warga.\n"
                : self.table(
                    ["Tiket", "OPD", "Kategori", "Status kini", "Dukungan"],
                    supported.map { [$0.ticket, $0.opdName, $0.categoryName, ReportText.statusLabel($0.status), String($0.supporters)] },
                    rightFrom: 4)
        }
        out += "\n## Definisi\n\n"
        for (term, definition) in ReportText.definitions(of: report) { out += "- **\(term)**: \(definition)\n" }
        return out
    }

    /// A pipe table; columns from `rightFrom` on are right-aligned (numbers).
    static func table(_ headings: [String], _ rows: [[String]], rightFrom: Int) -> String {
        func line(_ cells: [String]) -> String { "| " + cells.map(self.escape).joined(separator: " | ") + " |\n" }
        var out = line(headings)
        out += "|" + headings.indices.map { $0 >= rightFrom ? " ---: |" : " --- |" }.joined() + "\n"
        for row in rows { out += line(row) }
        return out
    }

    static func escape(_ cell: String) -> String {
        cell.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "\n", with: " ")
    }
}
