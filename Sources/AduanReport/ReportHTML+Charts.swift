import AduanCore
import Foundation

extension ReportHTML {
    // MARK: - Charts (inline SVG, in CSS pixels at print size; a screen shows them a little larger)

    static func backlogChart(_ line: Breakdown, months: (now: String, before: String)) -> String {
        let (now, was) = (line.current.backlog, line.previous.backlog)
        let buckets = [
            ("0-7", now.days0to7, was.days0to7), ("8-14", now.days8to14, was.days8to14),
            ("15-30", now.days15to30, was.days15to30), (">30", now.daysOver30, was.daysOver30),
        ]
        let highest = Double(max(buckets.map { max($0.1, $0.2) }.max() ?? 0, 1))
        let (base, height) = (178.0, 128.0)
        var svg =
            self.rect(14, 8, 10, 10, "prev") + self.text(28, 17, months.before, self.small)
            + self.rect(98, 8, 10, 10, "age3") + self.text(112, 17, months.now, self.small)
        for (index, (label, current, previous)) in buckets.enumerated() {
            let x = 14 + Double(index) * 80
            let (hNow, hWas) = (Double(current) / highest * height, Double(previous) / highest * height)
            svg +=
                self.rect(x, base - hWas, 16, hWas, "prev") + self.rect(x + 19, base - hNow, 40, hNow, "age\(index)")
                + self.text(x + 8, base - hWas - 4, ReportText.integer(previous), self.small + self.middle)
                + self.text(x + 39, base - hNow - 5, ReportText.integer(current), "class=\"strong\"" + self.middle)
                + self.text(x + 30, base + 15, label, self.middle)
        }
        svg +=
            self.line(8, base, 334, base, "axis")
            + self.text(170, base + 33, "Umur sejak diajukan (hari kalender)", self.small + self.middle)
        var caption =
            "Jumlah \(ReportText.integer(now.total)) aduan terbuka "
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
    static func complianceChart(_ lines: [Breakdown], target: Double, row: Double, font: Double, most: Int = 38) -> String {
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
        var out =
            "<p class=\"legend\"><span class=\"key good\"></span>Memenuhi target <span class=\"key near\"></span>"
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
                let tip =
                    "\(line.name): penyelesaian tepat waktu \(ReportText.percent(c.resolutionCompliance)) dari "
                    + "\(ReportText.integer(c.resolutionDue)), tanggapan tepat waktu \(ReportText.percent(c.responseCompliance)) dari "
                    + "\(ReportText.integer(c.responseDue)) yang jatuh tempo"
                svg +=
                    "<g><title>\(self.escape(tip))</title>" + ((start + offset) % 2 == 1 ? self.rect(0, y, 722, row, "zebra") : "")
                    + self.text(22, baseline, String(start + offset + 1), "class=\"dim\"" + self.end)
                    + self.text(28, baseline, self.shortName(line.name, nameLimit))
                let rates = [(c.resolutionCompliance, c.resolutionDue), (c.responseCompliance, c.responseDue)]
                for (panel, (rate, count)) in zip(panels, rates) {
                    let label = rate.map { "\(ReportText.percent($0)) (\(ReportText.integer(count)))" } ?? "–"
                    svg +=
                        self.rect(panel.x, y + (row - bar) / 2, track, bar, "track")
                        + (rate.map { self.rect(panel.x, y + (row - bar) / 2, track * self.clamp($0), bar, self.status($0, target)) } ?? "")
                        + self.text(panel.x + track + 5, baseline, label)
                }
                svg += "</g>"
            }
            for panel in panels {
                svg += self.text(panel.x, 12, panel.title, "class=\"strong\"")
                for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
                    let x = panel.x + tick * track
                    svg +=
                        self.line(x, top, x, bottom, "grid")
                        + self.text(x, bottom + 11, self.percentShort(tick), self.small + self.middle)
                }
                let x = panel.x + self.clamp(target) * track
                svg +=
                    self.line(x, top - 6, x, bottom, "target")
                    + self.text(x, top - 9, "Target " + self.percentShort(target), "class=\"small target-label\"" + self.middle)
            }
            out += self.svg(722, bottom + 16, "Kepatuhan tepat waktu", font: font, svg)
        }
        return out
    }

    /// Response and resolution compliance per month; a month with nothing due is a gap in the line, not a zero.
    static func trendChart(_ trend: [TrendMonth], target: Double) -> String {
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
            svg +=
                self.line(left, y(tick), right, y(tick), "grid-h")
                + self.text(left - 8, y(tick) + 4, self.percentShort(tick), self.small + self.end)
        }
        svg +=
            self.line(left, y(target), right, y(target), "target")
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
                svg +=
                    dot(x(index), y(rate), item.css)
                    + self.text(
                        x(index), y(rate) + (above ? -8 : 16), ReportText.percent(rate),
                        "class=\"value \(item.css)\"" + self.middle)
            }
            svg += rates.allSatisfy { $0 == nil } ? self.text(x(index), bottom - 8, "–", "class=\"dim\"" + self.middle) : ""
            let name = ReportMonth(month.period)?.shortNameID ?? month.period
            svg +=
                self.text(x(index), bottom + 20, name, "class=\"strong\"" + self.middle)
                + self.text(
                    x(index), bottom + 36, ReportText.integer(month.responseDue) + " / " + ReportText.integer(month.resolutionDue),
                    self.small + self.middle)
        }
        svg += self.text(left - 8, bottom + 36, "Jatuh tempo", self.small + self.end)
        return "<p class=\"legend\"><span class=\"key s1\"></span>Tanggapan tepat waktu <span class=\"key s2\"></span>Penyelesaian "
            + "tepat waktu. Jatuh tempo: jumlah aduan yang batas tanggapan / penyelesaiannya jatuh dalam bulan itu.</p>\n"
            + self.svg(700, bottom + 46, "Tren kepatuhan", font: 11, svg)
    }
}
