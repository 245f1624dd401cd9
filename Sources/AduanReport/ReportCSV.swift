import AduanCore
import Foundation

/// The report as one CSV table (RFC 4180, `.` as the decimal point, rates as fractions) for spreadsheets: a row per
/// line of each breakdown with this month's and the previous month's figures, then the trend, the most overdue
/// and the most supported complaints in the columns that apply to them.
public enum ReportCSV {
    static let columns = [
        "bagian", "kode", "nama", "periode",
        "diterima", "diselesaikan", "tanggapan_jatuh_tempo", "tanggapan_tepat_waktu", "kepatuhan_tanggapan",
        "penyelesaian_jatuh_tempo", "penyelesaian_tepat_waktu", "kepatuhan_penyelesaian",
        "median_tanggapan_hk", "p90_tanggapan_hk", "median_penyelesaian_hk", "p90_penyelesaian_hk",
        "tunggakan", "tunggakan_0_7", "tunggakan_8_14", "tunggakan_15_30", "tunggakan_lebih_30", "lewat_tenggat",
        "diteruskan", "dibuka_kembali", "tingkat_dibuka_kembali", "ditolak", "digabung", "jumlah_penilaian", "rata_rata_penilaian",
        "bukti_bersih", "bukti_ditandai", "penyelesaian_ditolak",
        "tiket", "status", "jenis_tenggat", "tenggat", "hari_kerja_terlambat", "dukungan",
    ]

    public static func render(_ report: MonthlyReport) -> String {
        var rows: [[String]] = [columns]
        let previous = ReportMonth(report.period)?.adding(-1).description ?? ""
        for (section, lines) in [
            ("total", [report.total]), ("opd", report.byOPD), ("kabupaten_kota", report.byRegion), ("kategori", report.byCategory),
        ] {
            for line in lines {
                for (period, figures) in [(report.period, line.current), (previous, line.previous)] {
                    rows.append([section, line.code, line.name, period] + self.figures(figures) + Array(repeating: "", count: 6))
                }
            }
        }
        for month in report.trend {
            var row = ["tren", report.scope.code, report.scope.name, month.period, "", ""]
            row += [String(month.responseDue), String(month.respondedInTime), self.number(month.responseCompliance)]
            row += [String(month.resolutionDue), String(month.resolvedInTime), self.number(month.resolutionCompliance)]
            rows.append(row + Array(repeating: "", count: columns.count - row.count))
        }
        for item in report.mostOverdue {
            var row = ["lewat_tenggat", item.opd, item.opdName, report.period]
            row += Array(repeating: "", count: columns.count - row.count - 6)
            row += [
                item.ticket, item.status, (ReportText.clockLabels[item.clock] ?? item.clock).lowercased(), item.dueAt,
                self.number(item.workingDaysOverdue), "",
            ]
            rows.append(row)
        }
        for item in report.mostSupported ?? [] {
            var row = ["paling_didukung", item.opd, item.opdName, report.period]
            row += Array(repeating: "", count: columns.count - row.count - 6)
            row += [item.ticket, item.status, "", "", "", String(item.supporters)]
            rows.append(row)
        }
        return rows.map { $0.map(self.quote).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func figures(_ f: MonthFigures) -> [String] {
        [
            String(f.received), String(f.resolved), String(f.responseDue), String(f.respondedInTime), self.number(f.responseCompliance),
            String(f.resolutionDue), String(f.resolvedInTime), self.number(f.resolutionCompliance),
            self.number(f.responseDays.median), self.number(f.responseDays.p90), self.number(f.resolutionDays.median),
            self.number(f.resolutionDays.p90), String(f.backlog.total), String(f.backlog.days0to7), String(f.backlog.days8to14),
            String(f.backlog.days15to30), String(f.backlog.daysOver30), String(f.overdue), String(f.forwarded), String(f.reopened),
            self.number(f.reopenRate), String(f.rejected), String(f.merged), String(f.ratings), self.number(f.meanRating),
            String(f.evidenceClean), String(f.evidenceFlagged), String(f.resolutionsRejected),
        ]
    }

    /// Up to four decimals, no trailing zeros; empty when undefined.
    static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        var text = String(format: "%.4f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    static func quote(_ field: String) -> String {
        // By scalar: "\r\n" is one Character, equal to neither "\r" nor "\n".
        guard field.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
