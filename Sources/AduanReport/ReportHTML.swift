import AduanCore
import Foundation

/// The report as one self-contained, print-ready A4 page for the rakor: headline tiles, inline SVG charts and tables.
/// Nothing is loaded from elsewhere (no scripts, fonts or images), so the file can be mailed, projected and printed as
/// it is; the same report always gives the same bytes.
public enum ReportHTML {
    public static func render(_ report: MonthlyReport, catalog: Catalog? = nil) -> String {
        let target = report.complianceTarget
        let month = ReportMonth(report.period)
        let months = (now: month?.shortNameID ?? report.period, before: month?.adding(-1).shortNameID ?? "Bulan lalu")
        var page = self.header(report) + self.section("Angka utama", self.tiles(report, previous: months.before))
        page += "<div class=\"pair\">" + self.section("Ringkasan", self.summaryTable(report, months: months))
            + self.section("Tunggakan akhir bulan menurut umur", self.backlogChart(report.total, months: months)) + "</div>\n"
        page += self.section("Kepatuhan per OPD", newPage: true, self.complianceChart(report.byOPD, target: target, row: 11, font: 9.5))
        page += self.section("Kepatuhan per kabupaten/kota", self.complianceChart(report.byRegion, target: target, row: 15, font: 10.5))
        if let catalog {
            let values = report.byRegion.reduce(into: [String: Double]()) { $0[$1.code] = $1.current.resolutionCompliance.map { $0 * 100 } }
            page += self.section(
                "Peta penyelesaian tepat waktu per kabupaten/kota",
                "<div class=\"map\">" + ProvinceMap.svg(
                    catalog: catalog, values: values, format: { ReportText.decimal($0, digits: 0) + "%" },
                    legendTitle: "Diselesaikan tepat waktu", higherIsBetter: true, ariaLabel: "Peta penyelesaian tepat waktu per kabupaten/kota")
                    + "</div>")
        }
        page += self.section("Tren kepatuhan \(MonthlyReport.trendMonths) bulan", self.trendChart(report.trend, target: target))
        // The wide tables print on landscape pages, where fourteen columns and an office's full name fit on a line.
        page += "<div class=\"wide\">"
        for (title, heading, lines) in [
            ("Per OPD", "OPD", report.byOPD), ("Per kabupaten/kota", "Kabupaten/kota", report.byRegion),
            ("Per kategori", "Kategori", report.byCategory),
        ] {
            page += self.section(title, self.breakdownTable(heading, lines, total: report.total, target: target))
        }
        page += "</div>\n" + self.section("\(MonthlyReport.mostOverdueLimit) aduan paling lama melewati tenggat", self.overdueTable(report))
        if let supported = report.mostSupported {
            page += self.section("Aduan terbuka paling didukung warga, per OPD", self.supportedTable(supported))
        }
        let title = "\(ReportText.title): \(ReportText.scopeTitle(report)), \(ReportText.monthName(report.period))"
        return "<!doctype html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>\(self.escape(title))</title>\n"
            + "<style>\n\(self.style(report))</style>\n</head>\n<body>\n<main>\n\(page)\(self.footer(report))</main>\n</body>\n</html>\n"
    }

    // MARK: - Sections

    static func header(_ report: MonthlyReport) -> String {
        var out = "<header class=\"masthead\"><div><p class=\"kicker\">\(self.escape(ReportText.title))</p>"
            + "<h1>\(self.escape(ReportText.scopeTitle(report)))</h1>"
            + "<p class=\"month\">\(self.escape(ReportText.monthName(report.period)))</p></div>"
            + "<div class=\"goal\">Target kepatuhan<strong>\(self.percentShort(report.complianceTarget))</strong></div></header>\n"
        if report.provisional {
            // A provisional report must not pass for the final one, on screen or on any printed page.
            out += "<div class=\"provisional\"><strong>SEMENTARA</strong> Bulan ini belum berakhir: angka diambil pada "
                + "\(self.escape(ReportText.localTime(report.asOf))) dan masih dapat berubah.</div>\n"
                + "<div class=\"watermark\" aria-hidden=\"true\">SEMENTARA</div>\n"
        }
        return out + "<p class=\"provenance\">\(self.escape(ReportText.provenance(report)))</p>\n"
    }

    static func tiles(_ report: MonthlyReport, previous: String) -> String {
        let (c, p, target) = (report.total.current, report.total.previous, report.complianceTarget)
        // `rate` is set for the compliance tiles only (nil inside when nothing was due): they get a meter to the target.
        typealias Tile = (label: String, now: String, was: String, change: String, better: Bool?, rate: Double??, note: String)
        func rate(_ label: String, _ value: KeyPath<MonthFigures, Double?>) -> Tile {
            let (now, was) = (c[keyPath: value], p[keyPath: value])
            return (label, ReportText.percent(now), ReportText.percent(was), ReportText.pointChange(now, was), true, .some(now), "")
        }
        func count(_ label: String, _ value: KeyPath<MonthFigures, Int>, better: Bool?) -> Tile {
            let (now, was) = (c[keyPath: value], p[keyPath: value])
            return (label, ReportText.integer(now), ReportText.integer(was), ReportText.countChange(now, was), better, nil, "")
        }
        let tiles = [
            rate("Ditanggapi tepat waktu", \.responseCompliance), rate("Diselesaikan tepat waktu", \.resolutionCompliance),
            count("Aduan diterima", \.received, better: nil), count("Aduan diselesaikan", \.resolved, better: true),
            count("Tunggakan akhir bulan", \.backlog.total, better: false), count("Melewati tenggat", \.overdue, better: false),
            ("Rata-rata penilaian", ReportText.decimal(c.meanRating, digits: 2), ReportText.decimal(p.meanRating, digits: 2),
             ReportText.valueChange(c.meanRating, p.meanRating, digits: 2), true, nil,
             "skala 1-5, \(ReportText.integer(c.ratings)) penilaian"),
        ]
        return "<div class=\"tiles\">" + tiles.map { tile in
            var out = "<div class=\"tile\"><div class=\"label\">\(self.escape(tile.label))</div>"
                + "<div class=\"value \(tile.rate.map { self.status($0, target) } ?? "")\">\(self.escape(tile.now))</div>"
            if let rate = tile.rate {
                let width = self.number(self.clamp(rate ?? 0) * 100)
                out += "<div class=\"meter\"><span class=\"\(self.status(rate, target))\" style=\"width:\(width)%\"></span>"
                    + "<i style=\"left:\(self.number(self.clamp(target) * 100))%\"></i></div>"
            }
            out += tile.note.isEmpty ? "" : "<div class=\"note\">\(self.escape(tile.note))</div>"
            return out + self.change(tile.change, better: tile.better)
                + "<div class=\"was\">\(self.escape(previous)): \(self.escape(tile.was))</div></div>"
        }.joined() + "</div>\n"
    }

    static func summaryTable(_ report: MonthlyReport, months: (now: String, before: String)) -> String {
        "<table class=\"data summary\"><thead><tr><th>Ukuran</th><th class=\"num\">\(self.escape(months.now))</th>"
            + "<th class=\"num\">\(self.escape(months.before))</th><th class=\"num\">Perubahan</th></tr></thead><tbody>"
            + ReportText.summary(report.total).map { row in
                "<tr><th scope=\"row\">\(self.escape(row.label))</th><td class=\"num strong\">\(self.escape(row.current))</td>"
                    + "<td class=\"num dim\">\(self.escape(row.previous))</td>"
                    + "<td class=\"num\">\(self.change(row.change, better: row.higherIsBetter))</td></tr>"
            }.joined() + "</tbody></table>\n"
    }

    static func breakdownTable(_ heading: String, _ lines: [Breakdown], total: Breakdown, target: Double) -> String {
        guard !lines.isEmpty else { return self.empty("Belum ada data untuk bulan ini.") }
        let headings = ReportText.breakdownHeadings
        // The compliance columns, found by their headings, are tinted where they fall short of the target.
        let rates: [Int: KeyPath<MonthFigures, Double?>] = [
            headings.firstIndex(of: "Tanggapan tepat waktu") ?? -1: \.responseCompliance,
            headings.firstIndex(of: "Penyelesaian tepat waktu") ?? -2: \.resolutionCompliance,
        ]
        var sum = total
        sum.name = "Jumlah"
        var out = "<table class=\"data breakdown\"><thead><tr><th>\(self.escape(heading))</th>"
            + headings.map { "<th class=\"num\">\(self.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for (row, line) in (lines + (lines.count > 1 ? [sum] : [])).enumerated() {
            out += "<tr\(row == lines.count ? " class=\"total\"" : "")><th scope=\"row\">\(self.escape(line.name))</th>"
            for (column, cell) in ReportText.breakdownCells(line).enumerated() {
                let status = rates[column].map { self.status(line.current[keyPath: $0], target) } ?? ""
                out += "<td class=\"num\(status == "near" || status == "bad" ? " short-" + status : "")\">\(self.cell(cell))</td>"
            }
            out += "</tr>"
        }
        return out + "</tbody></table>\n"
    }

    static func overdueTable(_ report: MonthlyReport) -> String {
        guard !report.mostOverdue.isEmpty else { return self.empty("Tidak ada aduan terbuka yang melewati tenggat pada akhir bulan.") }
        let longest = report.mostOverdue.map(\.workingDaysOverdue).max() ?? 0
        var out = "<table class=\"data overdue\"><thead><tr><th class=\"num\">#</th><th>Tiket</th><th>OPD</th><th>Kategori</th>"
            + "<th>Status kini</th><th>Tenggat</th><th class=\"num\">Terlambat (hari kerja)</th></tr></thead><tbody>"
        for (index, item) in report.mostOverdue.enumerated() {
            let share = longest > 0 ? self.clamp(item.workingDaysOverdue / longest) * 100 : 0
            out += "<tr><td class=\"num dim\">\(index + 1)</td><td class=\"ticket\">\(self.escape(item.ticket))</td>"
                + "<td>\(self.escape(item.opdName))</td><td>\(self.escape(item.categoryName ?? item.category))</td>"
                + "<td>\(self.escape(ReportText.statusLabel(item.status)))</td>"
                + "<td><span class=\"clock\">\(self.escape(ReportText.clockLabels[item.clock] ?? item.clock))</span> "
                + "<span class=\"date\">\(self.escape(ReportText.localTime(item.dueAt)))</span></td><td class=\"num days\">"
                + "<span class=\"dbar\"><i style=\"width:\(self.number(share))%\"></i></span>"
                + "\(ReportText.decimal(item.workingDaysOverdue))</td></tr>"
        }
        return out + "</tbody></table>\n"
    }

    static func supportedTable(_ items: [SupportedComplaint]) -> String {
        guard !items.isEmpty else { return self.empty("Belum ada aduan terbuka yang didukung warga.") }
        var out = "<table class=\"data\"><thead><tr><th>Tiket</th><th>OPD</th><th>Kategori</th><th>Status kini</th>"
            + "<th class=\"num\">Dukungan</th></tr></thead><tbody>"
        for item in items {
            out += "<tr><td class=\"ticket\">\(self.escape(item.ticket))</td><td>\(self.escape(item.opdName))</td>"
                + "<td>\(self.escape(item.categoryName))</td><td>\(self.escape(ReportText.statusLabel(item.status)))</td>"
                + "<td class=\"num\">\(item.supporters)</td></tr>"
        }
        return out + "</tbody></table>\n"
    }

    static func footer(_ report: MonthlyReport) -> String {
        "<footer><h2>Definisi</h2><dl>"
            + ReportText.definitions(of: report).map { "<div><dt>\(self.escape($0.term))</dt><dd>\(self.escape($0.definition))</dd></div>" }.joined()
            + "</dl><p class=\"provenance\">\(self.escape(ReportText.provenance(report))) Zona waktu: \(self.escape(report.timeZone)). "
            + "Target kepatuhan: \(ReportText.percent(report.complianceTarget)).</p></footer>\n"
    }

    // MARK: - Small pieces

    static func section(_ title: String, newPage: Bool = false, _ content: String) -> String {
        "<section\(newPage ? " class=\"new-page\"" : "")><h2>\(self.escape(title))</h2>\n\(content)</section>\n"
    }

    static func empty(_ message: String) -> String { "<p class=\"empty\">\(self.escape(message))</p>\n" }

    /// A change with an arrow, coloured by whether it is good news; `better` nil for a figure that is neither.
    static func change(_ text: String, better: Bool?) -> String {
        let direction = text.hasPrefix("+") ? 1 : text.hasPrefix("-") ? -1 : 0
        let arrow = text == "–" ? "" : direction > 0 ? "▲ " : direction < 0 ? "▼ " : "● "
        let tone = direction == 0 || better == nil ? "flat" : (direction > 0) == better ? "better" : "worse"
        return "<span class=\"change \(tone)\">\(arrow)\(self.escape(text))</span>"
    }

    /// Against the target: met, less than 10 points short, or further short.
    static func status(_ rate: Double?, _ target: Double) -> String {
        guard let rate else { return "none" }
        return rate >= target - 1e-9 ? "good" : rate >= target - 0.1 ? "near" : "bad"
    }

    /// "68,0% (-0,3 poin)" as the value and, smaller, the part in brackets: on screen below it, in print beside it.
    static func cell(_ text: String) -> String {
        guard text.hasSuffix(")"), let open = text.range(of: " (") else { return self.escape(text) }
        return self.escape(String(text[..<open.lowerBound]))
            + "<small>" + self.escape(String(text[open.upperBound...].dropLast())) + "</small>"
    }

    /// "90%" rather than "90,0%" where the share is a whole percentage, for axes and the target.
    static func percentShort(_ share: Double) -> String {
        guard share.isFinite, abs(share) < 1e6 else { return "–" }
        return ReportText.decimal(share * 100, digits: Int((share * 1000).rounded()) % 10 == 0 ? 0 : 1) + "%"
    }

    static func clamp(_ share: Double) -> Double { share.isFinite ? min(max(share, 0), 1) : 0 }

    /// A name that fits `limit` characters: "Kabupaten" abbreviated, then whole words cut from the middle, since both
    /// the kind of office (the start) and its region (the end) tell offices apart. The full name is in the tooltip.
    static func shortName(_ name: String, _ limit: Int) -> String {
        let name = name.replacingOccurrences(of: "Kabupaten ", with: "Kab. ")
        guard name.count > limit else { return name }
        let words = name.split(separator: " ")
        var (head, tail, low, high) = ([Substring](), [Substring](), 0, words.count - 1)
        func size(_ words: [Substring]) -> Int { words.reduce(0) { $0 + $1.count + 1 } }
        while low <= high {
            // The shorter end so far gets the next word, so that the region keeps as much room as the kind of office.
            let fromTail = !head.isEmpty && size(tail) < size(head)
            let word = fromTail ? words[high] : words[low]
            guard size(head) + size(tail) + word.count + 2 <= limit else { break }
            if fromTail { tail.insert(word, at: 0); high -= 1 } else { head.append(word); low += 1 }
        }
        guard !head.isEmpty else { return String(name.prefix(max(limit - 1, 1))) + "…" }
        return head.joined(separator: " ") + " … " + tail.joined(separator: " ")
    }

    static let small = "class=\"small\""
    static let middle = " text-anchor=\"middle\""
    static let end = " text-anchor=\"end\""

    static func svg(_ width: Double, _ height: Double, _ label: String, font: Double, css: String = "chart", _ body: String)
        -> String {
        "<svg class=\"\(css)\" viewBox=\"0 0 \(self.number(width)) \(self.number(height))\" width=\"\(self.number(width))\" "
            + "font-size=\"\(self.number(font))\" role=\"img\" aria-label=\"\(self.escape(label))\">\(body)</svg>\n"
    }

    static func rect(_ x: Double, _ y: Double, _ width: Double, _ height: Double, _ css: String) -> String {
        "<rect class=\"\(css)\" x=\"\(self.number(x))\" y=\"\(self.number(y))\" width=\"\(self.number(max(width, 0)))\" "
            + "height=\"\(self.number(max(height, 0)))\"/>"
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ css: String) -> String {
        "<line class=\"\(css)\" x1=\"\(self.number(x1))\" y1=\"\(self.number(y1))\" x2=\"\(self.number(x2))\" y2=\"\(self.number(y2))\"/>"
    }

    static func text(_ x: Double, _ y: Double, _ content: String, _ attributes: String = "") -> String {
        "<text x=\"\(self.number(x))\" y=\"\(self.number(y))\"\(attributes.isEmpty ? "" : " " + attributes)>\(self.escape(content))</text>"
    }

    /// A coordinate or a width in per cent (never negative), with at most one decimal and a dot whatever the locale.
    static func number(_ value: Double) -> String {
        let tenths = value.isFinite ? Int((min(max(value, 0), 1e9) * 10).rounded()) : 0
        return String(tenths / 10) + (tenths % 10 == 0 ? "" : "." + String(tenths % 10))
    }

    static func escape(_ text: String) -> String {
        text.contains(where: { self.entities[$0] != nil }) ? text.map { self.entities[$0] ?? String($0) }.joined() : text
    }

    static let entities: [Character: String] = ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"]

    /// Text for a CSS string (the printed pages' footer), with quotes, backslashes and anything that could end the
    /// style element as CSS escapes.
    static func cssString(_ text: String) -> String {
        text.unicodeScalars.map { scalar in
            scalar.value < 0x20 || "\"\\<>&".unicodeScalars.contains(scalar) ? "\\" + String(scalar.value, radix: 16) + " " : String(scalar)
        }.joined()
    }

}
