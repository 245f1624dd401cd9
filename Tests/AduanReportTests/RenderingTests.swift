import AduanReport
import Foundation
import Testing

/// The four formats of the October fixture report.
@Suite("Monthly SLA report: HTML, Markdown, CSV and JSON renderings")
struct RenderingTests {
    static func october() async throws -> MonthlyReport {
        var report = try await Fixture.october().report("2026-10")
        report.version = 3
        return report
    }

    @Test("HTML is one self-contained A4 page with charts, Indonesian labels and every definition")
    func html() async throws {
        let report = try await Self.october()
        let page = ReportHTML.render(report)
        #expect(page.hasPrefix("<!doctype html>"))
        #expect(page.contains("lang=\"id\""))
        #expect(page.contains("size: A4"))
        #expect(page.components(separatedBy: "<svg").count - 1 >= 3, "per OPD, per kabupaten/kota and the trend")
        for forbidden in ["<script", "http://", "https://", "src=", "<link", "@import", "url("] {
            #expect(!page.contains(forbidden), "\(forbidden)")
        }
        #expect(page.contains("Oktober 2026"))
        #expect(page.contains("Target 90%"))
        #expect(page.contains("Versi 3"))
        #expect(!ReportText.definitions.isEmpty)
        for (term, _) in ReportText.definitions { #expect(page.contains(term), "\(term)") }
        // The most overdue, by ticket and working days late.
        #expect(!report.mostOverdue.isEmpty)
        for item in report.mostOverdue { #expect(page.contains(item.ticket)) }
        #expect(page.contains("61,3"))
        #expect(ReportHTML.render(report) == page, "the same report renders to the same bytes")
    }

    @Test("HTML escapes every name: scope, offices, regions, categories, the overdue list and who generated it")
    func htmlEscapes() async throws {
        var report = try await Self.october()
        try #require(!report.byOPD.isEmpty && !report.byRegion.isEmpty && !report.byCategory.isEmpty && !report.mostOverdue.isEmpty)
        // Each name a short piece of markup of its own, with every character HTML must escape.
        var names: [String] = []
        func hostile(_ tag: String) -> String {
            let name = "<xss>\(tag)&\"'</xss>"
            names.append(name)
            return name
        }
        report.scope.name = hostile("scope")
        report.generatedBy = hostile("by")
        for index in report.byOPD.indices { report.byOPD[index].name = hostile("opd\(index)") }
        for index in report.byRegion.indices { report.byRegion[index].name = hostile("reg\(index)") }
        for index in report.byCategory.indices { report.byCategory[index].name = hostile("cat\(index)") }
        for index in report.mostOverdue.indices {
            report.mostOverdue[index].opdName = hostile("late\(index)")
            report.mostOverdue[index].categoryName = hostile("kind\(index)")
        }
        let page = ReportHTML.render(report)
        #expect(!page.contains("<xss>") && !page.contains("</xss>"))
        for name in names {
            #expect(!page.contains(name), "\(name) unescaped")
            let escaped = name.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
                .replacingOccurrences(of: "'", with: "&#39;")
            #expect(page.contains(escaped), "\(name) not shown escaped")
        }
    }

    @Test("a provisional report says so")
    func provisional() async throws {
        let report = try await Fixture.october().report("2026-11", at: "2026-11-20T12:00")
        #expect(ReportHTML.render(report).contains("SEMENTARA"))
        #expect(ReportMarkdown.render(report).contains("SEMENTARA"))
    }

    @Test("Markdown has the summary with changes, the tables and the definitions")
    func markdown() async throws {
        let text = ReportMarkdown.render(try await Self.october())
        #expect(text.hasPrefix("# Laporan Bulanan Kepatuhan SLA Pengaduan Masyarakat\n"))
        #expect(text.contains("| Aduan diterima | 7 | 2 | +5 (+250,0%) |"))
        #expect(text.contains("| Ditanggapi tepat waktu | 85,7% | 100,0% | -14,3 poin |"))
        #expect(text.contains("| Median waktu penyelesaian (hari kerja) | 6,0 | 4,0 | +2,0 |"))
        #expect(text.contains("Tunggakan akhir bulan menurut umur: 0-7 hari 2, 8-14 hari 1, 15-30 hari 0, lebih dari 30 hari 1."))
        #expect(text.contains("## Per OPD") && text.contains("## Per kabupaten/kota") && text.contains("## Per kategori"))
        #expect(text.contains("| 1 | 2608-"), "the oldest overdue complaint first")
        #expect(text.contains("Jalan rusak"), "categories by name")
        #expect(!ReportText.definitions.isEmpty)
        for (term, _) in ReportText.definitions { #expect(text.contains("**\(term)**")) }
    }

    @Test("CSV: one table, every row as wide as the header, fractions with a point")
    func csv() async throws {
        let report = try await Self.october()
        let rows = Self.parseCSV(ReportCSV.render(report))
        let header = try #require(rows.first)
        #expect(header.prefix(5) == ["bagian", "kode", "nama", "periode", "diterima"])
        #expect(rows.count > 1)
        #expect(rows.allSatisfy { $0.count == header.count })
        let sections = rows.dropFirst().map { $0[0] }
        #expect(sections.filter { $0 == "total" }.count == 2)
        #expect(sections.filter { $0 == "opd" }.count == 2 * report.byOPD.count)
        #expect(sections.filter { $0 == "tren" }.count == 6)
        #expect(sections.filter { $0 == "lewat_tenggat" }.count == report.mostOverdue.count)
        func value(_ row: [String], _ column: String) -> String { row[header.firstIndex(of: column)!] }
        let total = try #require(rows.first { $0[0] == "total" && $0[3] == "2026-10" })
        #expect(value(total, "diterima") == "7")
        #expect(value(total, "kepatuhan_tanggapan") == "0.8571")
        #expect(value(total, "median_penyelesaian_hk") == "6.04")
        #expect(value(total, "tunggakan_lebih_30") == "1")
        #expect(value(total, "rata_rata_penilaian") == "4")
        let late = try #require(rows.first { $0[0] == "lewat_tenggat" })
        #expect(value(late, "hari_kerja_terlambat") == "61.33")
    }

    @Test("CSV: a name is quoted when it holds a comma, a quote or a line break, and only then")
    func csvQuoting() async throws {
        var report = try await Self.october()
        try #require(report.byOPD.count >= 2 && !report.byRegion.isEmpty && !report.byCategory.isEmpty && !report.mostOverdue.isEmpty)
        let plain = report.byOPD[1].name
        report.byOPD[0].name = "Dinas \"Bersih\", Kota"
        report.byRegion[0].name = "Kota\r\nBaris dua"
        report.byCategory[0].name = "Sampah, limbah"
        report.mostOverdue[0].opdName = "Kantor \"X\""
        report.scope.name = "Lampung\nraya"
        let text = ReportCSV.render(report)
        // Quoted, with inner quotes doubled (RFC 4180) ...
        #expect(text.contains(",\"Dinas \"\"Bersih\"\", Kota\","))
        #expect(text.contains(",\"Kota\r\nBaris dua\","))
        #expect(text.contains(",\"Sampah, limbah\","))
        #expect(text.contains(",\"Kantor \"\"X\"\"\","))
        #expect(text.contains(",\"Lampung\nraya\","))
        // ... a plain name is not quoted ...
        #expect(!plain.contains(where: { ",\"\r\n".contains($0) }))
        #expect(text.contains(",\(plain),") && !text.contains("\"\(plain)\""))
        // ... and every row reads back with its names whole, as wide as the header.
        let rows = Self.parseCSV(text)
        let header = try #require(rows.first)
        #expect(rows.allSatisfy { $0.count == header.count })
        let names = Set(rows.dropFirst().map { $0[2] })
        for name in [report.byOPD[0].name, report.byRegion[0].name, report.byCategory[0].name, report.mostOverdue[0].opdName,
                     report.scope.name, plain] {
            #expect(names.contains(name), "\(name) did not read back")
        }
    }

    @Test("JSON reads back as the same report, rates written beside the counts")
    func json() async throws {
        let report = try await Self.october()
        let text = try ReportJSON.encode(report)
        #expect(try ReportJSON.decode(text) == report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let current = try #require((object["total"] as? [String: Any])?["current"] as? [String: Any])
        #expect(current["response_compliance"] as? Double == 6.0 / 7)
        #expect(current["backlog_total"] as? Int == 4)
        #expect((object["by_opd"] as? [Any])?.count == report.byOPD.count)
    }

    @Test("a version kept before a field was added still reads and renders")
    func olderSnapshot() async throws {
        let report = try await Self.october()
        let text = try ReportJSON.encode(report)
        // As kept before the most overdue complaints carried category names.
        let older = text.split(separator: "\n").filter { !$0.contains("\"category_name\"") }.joined(separator: "\n")
        let read = try ReportJSON.decode(older)
        #expect(!read.mostOverdue.isEmpty)
        #expect(read.mostOverdue.allSatisfy { $0.categoryName == nil })
        #expect(ReportHTML.render(read).contains("jalan_rusak"))
    }

    @Test("a version kept before the monthly counters renders with the definitions it was counted by")
    func snapshotBeforeCounters() async throws {
        let report = try await Self.october()
        #expect(report.countedFrom == "counters")
        let text = try ReportJSON.encode(report)
        #expect(text.contains("\"counted_from\""))
        let older = text.split(separator: "\n").filter { !$0.contains("\"counted_from\"") }.joined(separator: "\n")
        let read = try ReportJSON.decode(older)
        #expect(read.countedFrom == nil)
        let then = "Aduan yang penyelesaian terakhirnya jatuh dalam bulan ini (selesai atau ditutup)."
        let now = "Penyelesaian yang diberikan dalam bulan ini (selesai), juga yang kemudian dibuka kembali atau ditolak supervisor."
        #expect(ReportMarkdown.render(read).contains(then) && !ReportMarkdown.render(read).contains(now))
        #expect(ReportMarkdown.render(report).contains(now) && !ReportMarkdown.render(report).contains(then))
        #expect(ReportHTML.render(read).contains("Aduan yang digabung ke aduan lain tidak dihitung dalam angka mana pun"))
    }

    /// RFC 4180 fields (quoted fields may hold commas, quotes and line breaks).
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text.unicodeScalars)[...]
        while let c = characters.popFirst() {
            if quoted {
                if c == "\"" {
                    if characters.first == "\"" { field.unicodeScalars.append(characters.removeFirst()) } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\r" {
                continue
            } else if c == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.unicodeScalars.append(c)
            }
        }
        return rows
    }
}
