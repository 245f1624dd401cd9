import Foundation

/// The report as one self-contained, print-ready A4 page for the rakor: headline tiles, inline SVG charts and tables.
/// Nothing is loaded from elsewhere (no scripts, fonts or images), so the file can be mailed, projected and printed as
/// it is; the same report always gives the same bytes.
public enum ReportHTML {
    public static func render(_ report: MonthlyReport) -> String {
        let target = report.complianceTarget
        let month = ReportMonth(report.period)
        let months = (now: month?.shortNameID ?? report.period, before: month?.adding(-1).shortNameID ?? "Bulan lalu")
        var page = self.header(report) + self.section("Angka utama", self.tiles(report, previous: months.before))
        page += "<div class=\"pair\">" + self.section("Ringkasan", self.summaryTable(report, months: months))
            + self.section("Tunggakan akhir bulan menurut umur", self.backlogChart(report.total, months: months)) + "</div>\n"
        page += self.section("Kepatuhan per OPD", newPage: true, self.complianceChart(report.byOPD, target: target, row: 11, font: 9.5))
        page += self.section("Kepatuhan per kabupaten/kota", self.complianceChart(report.byRegion, target: target, row: 15, font: 10.5))
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
        let title = "\(ReportText.title): \(ReportText.scopeTitle(report)), \(ReportText.monthName(report.period))"
        return "<!doctype html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>\(self.escape(title))</title>\n"
            + "<style>\n\(self.style(report))</style>\n</head>\n<body>\n<main>\n\(page)\(self.footer(report))</main>\n</body>\n</html>\n"
    }

    // MARK: - Sections

    private static func header(_ report: MonthlyReport) -> String {
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

    private static func tiles(_ report: MonthlyReport, previous: String) -> String {
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

    private static func summaryTable(_ report: MonthlyReport, months: (now: String, before: String)) -> String {
        "<table class=\"data summary\"><thead><tr><th>Ukuran</th><th class=\"num\">\(self.escape(months.now))</th>"
            + "<th class=\"num\">\(self.escape(months.before))</th><th class=\"num\">Perubahan</th></tr></thead><tbody>"
            + ReportText.summary(report.total).map { row in
                "<tr><th scope=\"row\">\(self.escape(row.label))</th><td class=\"num strong\">\(self.escape(row.current))</td>"
                    + "<td class=\"num dim\">\(self.escape(row.previous))</td>"
                    + "<td class=\"num\">\(self.change(row.change, better: row.higherIsBetter))</td></tr>"
            }.joined() + "</tbody></table>\n"
    }

    private static func breakdownTable(_ heading: String, _ lines: [Breakdown], total: Breakdown, target: Double) -> String {
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

    private static func overdueTable(_ report: MonthlyReport) -> String {
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

    private static func footer(_ report: MonthlyReport) -> String {
        "<footer><h2>Definisi</h2><dl>"
            + ReportText.definitions.map { "<div><dt>\(self.escape($0.term))</dt><dd>\(self.escape($0.definition))</dd></div>" }.joined()
            + "</dl><p class=\"provenance\">\(self.escape(ReportText.provenance(report))) Zona waktu: \(self.escape(report.timeZone)). "
            + "Target kepatuhan: \(ReportText.percent(report.complianceTarget)).</p></footer>\n"
    }

    // MARK: - Charts (inline SVG, in CSS pixels at print size; a screen shows them a little larger)

    private static func backlogChart(_ line: Breakdown, months: (now: String, before: String)) -> String {
        let (now, was) = (line.current.backlog, line.previous.backlog)
        let buckets = [
            ("0-7", now.days0to7, was.days0to7), ("8-14", now.days8to14, was.days8to14),
            ("15-30", now.days15to30, was.days15to30), (">30", now.daysOver30, was.daysOver30),
        ]
        let highest = Double(max(buckets.map { max($0.1, $0.2) }.max() ?? 0, 1))
        let (base, height) = (178.0, 128.0)
        var svg = self.rect(14, 8, 10, 10, "prev") + self.text(28, 17, months.before, self.small)
            + self.rect(98, 8, 10, 10, "age3") + self.text(112, 17, months.now, self.small)
        for (index, (label, current, previous)) in buckets.enumerated() {
            let x = 14 + Double(index) * 80
            let (hNow, hWas) = (Double(current) / highest * height, Double(previous) / highest * height)
            svg += self.rect(x, base - hWas, 16, hWas, "prev") + self.rect(x + 19, base - hNow, 40, hNow, "age\(index)")
                + self.text(x + 8, base - hWas - 4, ReportText.integer(previous), self.small + self.middle)
                + self.text(x + 39, base - hNow - 5, ReportText.integer(current), "class=\"strong\"" + self.middle)
                + self.text(x + 30, base + 15, label, self.middle)
        }
        svg += self.line(8, base, 334, base, "axis")
            + self.text(170, base + 33, "Umur sejak diajukan (hari kalender)", self.small + self.middle)
        var caption = "Jumlah \(ReportText.integer(now.total)) aduan terbuka "
            + self.change(ReportText.countChange(now.total, was.total), better: false)
        if now.total > 0 { caption += "; \(ReportText.percent(Double(now.daysOver30) / Double(now.total))) berumur lebih dari 30 hari" }
        return self.svg(340, 218, "Tunggakan menurut umur", font: 11, css: "chart narrow", svg)
            + "<p class=\"caption\">\(caption).</p>\n"
    }

    /// Below this many complaints due, a rate says little: such lines are drawn after the others, so that the worst
    /// offices at the top are not an office with one late complaint.
    static let fewDue = 5

    /// One row per line with anything due: its resolution and response rates as bars against the target, the lowest
    /// resolution rate first. Drawn in blocks so that a printed page never cuts a row, and each block repeats the axes.
    private static func complianceChart(_ lines: [Breakdown], target: Double, row: Double, font: Double, most: Int = 38) -> String {
        func few(_ line: Breakdown) -> Int { max(line.current.resolutionDue, line.current.responseDue) < Self.fewDue ? 1 : 0 }
        let due = lines.filter { $0.current.responseDue > 0 || $0.current.resolutionDue > 0 }.sorted {
            (few($0), $0.current.resolutionCompliance ?? 2, $0.current.responseCompliance ?? 2, $0.name, $0.code)
                < (few($1), $1.current.resolutionCompliance ?? 2, $1.current.responseCompliance ?? 2, $1.name, $1.code)
        }
        guard !due.isEmpty else { return self.empty("Belum ada aduan yang jatuh tempo bulan ini.") }
        let panels = [(x: 262.0, title: "Penyelesaian tepat waktu"), (x: 496.0, title: "Tanggapan tepat waktu")]
        let (track, top, bar) = (150.0, 32.0, (row * 0.6).rounded())
        let nameLimit = Int(228 / (font * 0.52))
        // Blocks of equal size, at most `most` rows, two to a printed page.
        let blocks = (due.count + most - 1) / most
        let block = (due.count + blocks - 1) / blocks
        var out = "<p class=\"legend\"><span class=\"key good\"></span>Memenuhi target <span class=\"key near\"></span>"
            + "Kurang dari 10 poin di bawah target <span class=\"key bad\"></span>Lebih jauh di bawah target <span class=\"key line\">"
            + "</span>Target \(self.percentShort(target)). Dalam kurung: jumlah yang jatuh tempo. "
            + "Urut menurut penyelesaian tepat waktu, terendah di atas; yang jatuh tempo kurang dari \(Self.fewDue) aduan "
            + "di bagian akhir.</p>\n"
        for start in stride(from: 0, to: due.count, by: block) {
            let rows = due[start..<min(start + block, due.count)]
            let bottom = top + Double(rows.count) * row
            var svg = ""
            for (offset, line) in rows.enumerated() {
                let c = line.current
                let (y, baseline) = (top + Double(offset) * row, top + Double(offset) * row + row / 2 + font * 0.35)
                let tip = "\(line.name): penyelesaian tepat waktu \(ReportText.percent(c.resolutionCompliance)) dari "
                    + "\(ReportText.integer(c.resolutionDue)), tanggapan tepat waktu \(ReportText.percent(c.responseCompliance)) dari "
                    + "\(ReportText.integer(c.responseDue)) yang jatuh tempo"
                svg += "<g><title>\(self.escape(tip))</title>" + ((start + offset) % 2 == 1 ? self.rect(0, y, 722, row, "zebra") : "")
                    + self.text(22, baseline, String(start + offset + 1), "class=\"dim\"" + self.end)
                    + self.text(28, baseline, self.shortName(line.name, nameLimit))
                let rates = [(c.resolutionCompliance, c.resolutionDue), (c.responseCompliance, c.responseDue)]
                for (panel, (rate, count)) in zip(panels, rates) {
                    let label = rate.map { "\(ReportText.percent($0)) (\(ReportText.integer(count)))" } ?? "–"
                    svg += self.rect(panel.x, y + (row - bar) / 2, track, bar, "track")
                        + (rate.map { self.rect(panel.x, y + (row - bar) / 2, track * self.clamp($0), bar, self.status($0, target)) } ?? "")
                        + self.text(panel.x + track + 5, baseline, label)
                }
                svg += "</g>"
            }
            for panel in panels {
                svg += self.text(panel.x, 12, panel.title, "class=\"strong\"")
                for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
                    let x = panel.x + tick * track
                    svg += self.line(x, top, x, bottom, "grid")
                        + self.text(x, bottom + 11, self.percentShort(tick), self.small + self.middle)
                }
                let x = panel.x + self.clamp(target) * track
                svg += self.line(x, top - 6, x, bottom, "target")
                    + self.text(x, top - 9, "Target " + self.percentShort(target), "class=\"small target-label\"" + self.middle)
            }
            out += self.svg(722, bottom + 16, "Kepatuhan tepat waktu", font: font, svg)
        }
        return out
    }

    /// Response and resolution compliance per month; a month with nothing due is a gap in the line, not a zero.
    private static func trendChart(_ trend: [TrendMonth], target: Double) -> String {
        guard !trend.isEmpty else { return self.empty("Belum ada data tren.") }
        let (left, right, top, bottom) = (78.0, 606.0, 30.0, 160.0)
        func x(_ index: Int) -> Double { left + (Double(index) + 0.5) * (right - left) / Double(trend.count) }
        func y(_ rate: Double) -> Double { bottom - self.clamp(rate) * (bottom - top) }
        func dot(_ x: Double, _ y: Double, _ css: String) -> String {
            "<circle class=\"\(css)\" cx=\"\(self.number(x))\" cy=\"\(self.number(y))\" r=\"3.5\"/>"
        }
        let series = [
            (name: "Tanggapan tepat waktu", css: "s1", rates: trend.map(\.responseCompliance)),
            (name: "Penyelesaian tepat waktu", css: "s2", rates: trend.map(\.resolutionCompliance)),
        ]
        var svg = self.text(left - 8, 16, "% tepat waktu", self.small + self.end)
        for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
            svg += self.line(left, y(tick), right, y(tick), "grid-h")
                + self.text(left - 8, y(tick) + 4, self.percentShort(tick), self.small + self.end)
        }
        svg += self.line(left, y(target), right, y(target), "target")
            + self.text(right + 6, y(target) + 4, "Target " + self.percentShort(target), "class=\"small target-label\"")
        for item in series {
            var (path, penDown) = ("", false)
            for (index, rate) in item.rates.enumerated() {
                guard let rate else { penDown = false; continue }
                path += (penDown ? "L" : "M") + self.number(x(index)) + " " + self.number(y(rate))
                penDown = true
            }
            svg += path.isEmpty ? "" : "<path class=\"trend \(item.css)\" d=\"\(path)\"/>"
        }
        for (index, month) in trend.enumerated() {
            let rates = series.map { $0.rates[index] }
            for (which, item) in series.enumerated() {
                guard let rate = rates[which] else { continue }
                // The higher value's label above its point, the lower one's below, so that the two never collide.
                let above = rates[1 - which].map { rate > $0 || (rate == $0 && which == 0) } ?? true
                svg += dot(x(index), y(rate), item.css)
                    + self.text(x(index), y(rate) + (above ? -8 : 16), ReportText.percent(rate),
                        "class=\"value \(item.css)\"" + self.middle)
            }
            svg += rates.allSatisfy { $0 == nil } ? self.text(x(index), bottom - 8, "–", "class=\"dim\"" + self.middle) : ""
            let name = ReportMonth(month.period)?.shortNameID ?? month.period
            svg += self.text(x(index), bottom + 20, name, "class=\"strong\"" + self.middle)
                + self.text(x(index), bottom + 36, ReportText.integer(month.responseDue) + " / " + ReportText.integer(month.resolutionDue),
                    self.small + self.middle)
        }
        svg += self.text(left - 8, bottom + 36, "Jatuh tempo", self.small + self.end)
        return "<p class=\"legend\"><span class=\"key s1\"></span>Tanggapan tepat waktu <span class=\"key s2\"></span>Penyelesaian "
            + "tepat waktu. Jatuh tempo: jumlah aduan yang batas tanggapan / penyelesaiannya jatuh dalam bulan itu.</p>\n"
            + self.svg(700, bottom + 46, "Tren kepatuhan", font: 11, svg)
    }

    // MARK: - Small pieces

    private static func section(_ title: String, newPage: Bool = false, _ content: String) -> String {
        "<section\(newPage ? " class=\"new-page\"" : "")><h2>\(self.escape(title))</h2>\n\(content)</section>\n"
    }

    private static func empty(_ message: String) -> String { "<p class=\"empty\">\(self.escape(message))</p>\n" }

    /// A change with an arrow, coloured by whether it is good news; `better` nil for a figure that is neither.
    private static func change(_ text: String, better: Bool?) -> String {
        let direction = text.hasPrefix("+") ? 1 : text.hasPrefix("-") ? -1 : 0
        let arrow = text == "–" ? "" : direction > 0 ? "▲ " : direction < 0 ? "▼ " : "● "
        let tone = direction == 0 || better == nil ? "flat" : (direction > 0) == better ? "better" : "worse"
        return "<span class=\"change \(tone)\">\(arrow)\(self.escape(text))</span>"
    }

    /// Against the target: met, less than 10 points short, or further short.
    private static func status(_ rate: Double?, _ target: Double) -> String {
        guard let rate else { return "none" }
        return rate >= target - 1e-9 ? "good" : rate >= target - 0.1 ? "near" : "bad"
    }

    /// "68,0% (-0,3 poin)" as the value and, smaller, the part in brackets: on screen below it, in print beside it.
    private static func cell(_ text: String) -> String {
        guard text.hasSuffix(")"), let open = text.range(of: " (") else { return self.escape(text) }
        return self.escape(String(text[..<open.lowerBound]))
            + "<small>" + self.escape(String(text[open.upperBound...].dropLast())) + "</small>"
    }

    /// "90%" rather than "90,0%" where the share is a whole percentage, for axes and the target.
    private static func percentShort(_ share: Double) -> String {
        guard share.isFinite, abs(share) < 1e6 else { return "–" }
        return ReportText.decimal(share * 100, digits: Int((share * 1000).rounded()) % 10 == 0 ? 0 : 1) + "%"
    }

    private static func clamp(_ share: Double) -> Double { share.isFinite ? min(max(share, 0), 1) : 0 }

    /// A name that fits `limit` characters: "Kabupaten" abbreviated, then whole words cut from the middle, since both
    /// the kind of office (the start) and its region (the end) tell offices apart. The full name is in the tooltip.
    private static func shortName(_ name: String, _ limit: Int) -> String {
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

    private static let small = "class=\"small\""
    private static let middle = " text-anchor=\"middle\""
    private static let end = " text-anchor=\"end\""

    private static func svg(_ width: Double, _ height: Double, _ label: String, font: Double, css: String = "chart", _ body: String)
        -> String {
        "<svg class=\"\(css)\" viewBox=\"0 0 \(self.number(width)) \(self.number(height))\" width=\"\(self.number(width))\" "
            + "font-size=\"\(self.number(font))\" role=\"img\" aria-label=\"\(self.escape(label))\">\(body)</svg>\n"
    }

    private static func rect(_ x: Double, _ y: Double, _ width: Double, _ height: Double, _ css: String) -> String {
        "<rect class=\"\(css)\" x=\"\(self.number(x))\" y=\"\(self.number(y))\" width=\"\(self.number(max(width, 0)))\" "
            + "height=\"\(self.number(max(height, 0)))\"/>"
    }

    private static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ css: String) -> String {
        "<line class=\"\(css)\" x1=\"\(self.number(x1))\" y1=\"\(self.number(y1))\" x2=\"\(self.number(x2))\" y2=\"\(self.number(y2))\"/>"
    }

    private static func text(_ x: Double, _ y: Double, _ content: String, _ attributes: String = "") -> String {
        "<text x=\"\(self.number(x))\" y=\"\(self.number(y))\"\(attributes.isEmpty ? "" : " " + attributes)>\(self.escape(content))</text>"
    }

    /// A coordinate or a width in per cent (never negative), with at most one decimal and a dot whatever the locale.
    private static func number(_ value: Double) -> String {
        let tenths = value.isFinite ? Int((min(max(value, 0), 1e9) * 10).rounded()) : 0
        return String(tenths / 10) + (tenths % 10 == 0 ? "" : "." + String(tenths % 10))
    }

    private static func escape(_ text: String) -> String {
        text.contains(where: { self.entities[$0] != nil }) ? text.map { self.entities[$0] ?? String($0) }.joined() : text
    }

    private static let entities: [Character: String] = ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"]

    /// Text for a CSS string (the printed pages' footer), with quotes, backslashes and anything that could end the
    /// style element as CSS escapes.
    private static func cssString(_ text: String) -> String {
        text.unicodeScalars.map { scalar in
            scalar.value < 0x20 || "\"\\<>&".unicodeScalars.contains(scalar) ? "\\" + String(scalar.value, radix: 16) + " " : String(scalar)
        }.joined()
    }

    // MARK: - Style

    private static func style(_ report: MonthlyReport) -> String {
        let running = "\(ReportText.scopeTitle(report)) · \(ReportText.monthName(report.period))"
            + (report.provisional ? " · SEMENTARA" : "")
        return """
            @page { size: A4; margin: 12mm 11mm 14mm;
              @bottom-left { content: "\(self.cssString(running))"; font: 7.5pt Arial, sans-serif; color: #5a6877; }
              @bottom-right { content: "Halaman " counter(page) " dari " counter(pages); font: 7.5pt Arial, sans-serif; color: #5a6877; } }
            @page wide { size: A4 landscape; }
            :root { --ink: #17222e; --dim: #5a6877; --rule: #d5dce4; --navy: #1f3a5f; --accent: #0e7490; --zebra: #f2f5f8; --track: #e3e8ee;
              --good: #1c7a43; --near: #9a5b00; --bad: #b42318; --good-bar: #3a9a5f; --near-bar: #dd9a2b; --bad-bar: #cf4a3c; }
            html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
            body { margin: 0; background: #e9edf2; color: var(--ink); font: 15px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto,
              "Helvetica Neue", Arial, "Liberation Sans", "Noto Sans", system-ui, sans-serif; }
            main { max-width: 1100px; margin: 0 auto; background: #fff; padding: 0 36px 32px; } section { margin-top: 26px; }
            h2 { font-size: 1.15em; color: var(--navy); margin: 0 0 10px; padding-bottom: 4px; border-bottom: 2px solid; }
            h2, .legend { break-after: avoid; }
            .masthead { display: flex; justify-content: space-between; align-items: flex-end; gap: 24px; background: var(--navy);
              color: #fff; margin: 0 -36px; padding: 22px 36px 18px; border-bottom: 4px solid var(--accent); }
            .kicker { margin: 0; font-size: .8em; letter-spacing: .06em; text-transform: uppercase; opacity: .85; }
            h1 { margin: 4px 0 0; font-size: 1.9em; line-height: 1.15; } .month { margin: 2px 0 0; font-size: 1.35em; }
            .goal { text-align: right; font-size: .8em; white-space: nowrap; } .goal strong { display: block; font-size: 1.8em; }
            .provisional { margin: 14px 0 0; padding: 10px 14px; background: #fff4d6; border: 2px solid #c98a00; border-radius: 6px; }
            .provisional strong { background: var(--near); color: #fff; padding: 2px 8px; border-radius: 4px; margin-right: 8px; }
            .watermark { position: fixed; top: 42%; left: 0; right: 0; text-align: center; font-size: 110px; font-weight: 800; z-index: 10;
              letter-spacing: .1em; color: rgba(154, 91, 0, .07); transform: rotate(-28deg); pointer-events: none; }
            .provenance { color: var(--dim); font-size: .8em; margin: 8px 0 0; }
            .tiles { display: grid; grid-template-columns: repeat(7, 1fr); gap: 10px; }
            .tile { border: 1px solid var(--rule); border-top: 4px solid var(--navy); border-radius: 6px; padding: 10px 12px; }
            .tile .label { font-size: .78em; color: var(--dim); font-weight: 600; min-height: 2.5em; }
            .tile .value { font-size: 1.9em; font-weight: 700; line-height: 1.15; color: var(--navy); }
            .value.good { color: var(--good); } .value.near { color: var(--near); } .value.bad { color: var(--bad); }
            .tile .note, .tile .was { font-size: .75em; color: var(--dim); }
            .tile .change { font-size: .8em; display: block; margin-top: 4px; }
            .meter { position: relative; height: 7px; background: var(--track); border-radius: 4px; margin: 6px 0 2px; }
            .meter span { position: absolute; left: 0; top: 0; bottom: 0; border-radius: 4px; }
            .meter i { position: absolute; top: -3px; bottom: -3px; width: 2px; background: var(--ink); }
            .change { white-space: nowrap; font-weight: 600; } .change.flat { color: var(--dim); }
            .change.better { color: var(--good); } .change.worse { color: var(--bad); }
            .pair { display: grid; grid-template-columns: 3fr 2fr; gap: 28px; align-items: start; } thead { display: table-header-group; }
            .tile, .pair section, tr, svg.chart, footer dl div { break-inside: avoid; }
            table.data { width: 100%; border-collapse: collapse; font-size: .8em; } table.summary { font-size: .85em; }
            table.data th, table.data td { padding: 3px 6px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
            table.data thead th { background: var(--navy); color: #fff; font-weight: 600; vertical-align: bottom; }
            tbody tr:nth-child(even) { background: var(--zebra); } table.data tbody th { font-weight: 500; } .dim { color: var(--dim); }
            .num { text-align: right !important; font-variant-numeric: tabular-nums; } .strong { font-weight: 700; }
            table.breakdown { font-size: .72em; } table.breakdown td, .date, .days { white-space: nowrap; }
            .breakdown th:first-child { width: 22%; } table.breakdown small { display: block; color: var(--dim); font-size: .9em; }
            td.short-near { background: #fdeccc; } td.short-bad { background: #f9dcd8; } table.overdue th:nth-child(3) { width: 30%; }
            tr.total { font-weight: 700; border-top: 2px solid; }
            .ticket { font-family: ui-monospace, Menlo, Consolas, "Liberation Mono", monospace; white-space: nowrap; }
            .clock { display: inline-block; font-size: .85em; padding: 0 5px; border-radius: 3px; background: var(--track); }
            .dbar { display: inline-block; width: 60px; height: 7px; background: var(--track); margin-right: 6px; vertical-align: middle; }
            .dbar i { display: block; height: 100%; background: var(--bad-bar); }
            svg.chart { display: block; width: 100%; max-width: 920px; height: auto; } svg.narrow { max-width: 380px; }
            svg text { fill: var(--ink); } svg text.small { font-size: .82em; fill: var(--dim); } svg text.dim { fill: var(--dim); }
            svg text.target-label, svg text.s1, svg text.s2 { font-weight: 700; } svg text.value { font-size: .92em; }
            svg text.value { paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
            svg .zebra { fill: var(--zebra); } svg .track { fill: var(--track); } svg .prev { fill: #c3ccd6; }
            svg rect.good, .meter .good, .key.good { fill: var(--good-bar); background: var(--good-bar); }
            svg rect.near, .meter .near, .key.near { fill: var(--near-bar); background: var(--near-bar); }
            svg rect.bad, .meter .bad, .key.bad { fill: var(--bad-bar); background: var(--bad-bar); }
            svg .grid { stroke: #fff; } svg .grid-h { stroke: var(--rule); } svg .axis { stroke: var(--ink); }
            svg .target { stroke: var(--ink); stroke-width: 1.5; stroke-dasharray: 4 3; }
            svg .age0 { fill: #9fb5cd; } svg .age1 { fill: #6a8cb0; } svg .age2 { fill: #3f6690; } svg .age3 { fill: var(--navy); }
            svg .trend { fill: none; stroke-width: 2.5; } svg .trend.s1 { stroke: var(--navy); } svg .trend.s2 { stroke: var(--accent); }
            svg circle.s1, svg text.s1 { fill: var(--navy); } svg circle.s2, svg text.s2 { fill: var(--accent); }
            .legend, .caption { font-size: .8em; color: var(--dim); margin: 0 0 8px; } .caption { margin-top: 6px; }
            .key { display: inline-block; width: 11px; height: 11px; margin: 0 4px 0 10px; vertical-align: -1px; border-radius: 2px; }
            .key:first-child { margin-left: 0; } .key.s1 { background: var(--navy); } .key.s2 { background: var(--accent); }
            .key.line { width: 0; height: 12px; border-left: 2px dashed var(--ink); border-radius: 0; }
            .empty { color: var(--dim); font-style: italic; padding: 10px 0; } footer { margin-top: 30px; font-size: .8em; }
            footer dl { columns: 2; column-gap: 28px; margin: 0; } footer dl div { margin-bottom: 6px; }
            footer dt { font-weight: 700; color: var(--navy); } footer dd { margin: 0; }
            @media print {
              body { background: #fff; font-size: 9.5pt; } main { max-width: none; padding: 0; } .new-page { break-before: page; }
              .masthead { margin: 0; padding: 14px 18px; } section { margin-top: 14px; } h2 { margin-bottom: 6px; }
              .watermark { font-size: 96px; } .tiles { gap: 6px; } .tile { padding: 6px 7px; } .tile .value { font-size: 1.6em; }
              table.data th, table.data td { padding: 2px 5px; } .breakdown th:first-child { width: 36%; }
              .wide { page: wide; } .wide section:first-child { margin-top: 0; }
              table.breakdown small { display: inline; margin-left: 4px; font-size: .85em; } table.breakdown { line-height: 1.25; }
            }
            @media screen and (max-width: 900px) { .tiles { grid-template-columns: repeat(auto-fit, minmax(138px, 1fr)); } }
            @media screen and (max-width: 760px) { .pair { grid-template-columns: 1fr; } }

            """
    }
}
