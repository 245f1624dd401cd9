import AduanCore
import Foundation

/// The rakor pack as one self-contained, print-ready HTML file: a cover with the province's map and the top issues,
/// then one section per desk, each on its own page, with its issues and its draft points of agreement. Indonesian
/// throughout; nothing loaded from elsewhere; the same pack always gives the same bytes.
public enum RakorHTML {
    typealias H = ReportHTML

    public static func render(_ pack: RakorPack, catalog: Catalog) -> String {
        var page = self.cover(pack, catalog: catalog)
        for desk in pack.desks { page += self.desk(desk, pack: pack) }
        page += "<footer class=\"new-page\"><h2>Definisi dan cara membaca</h2>"
            + "<p class=\"formula\"><strong>Skor.</strong> \(H.escape(pack.rules.formula)).</p><dl>"
            + RakorText.definitions(pack.rules).map { "<div><dt>\(H.escape($0.term))</dt><dd>\(H.escape($0.definition))</dd></div>" }.joined()
            + "</dl><p class=\"provenance\">\(H.escape(RakorText.provenance(pack))) Penduduk: "
            + "\(H.escape(catalog.rakor.populationSource)).</p></footer>\n"
        let title = "\(RakorText.title): \(RakorText.scopeTitle(pack)), \(RakorText.periodName(pack.period))"
        let running = "Bahan rakor · \(RakorText.scopeTitle(pack)) · \(RakorText.periodName(pack.period))" + (pack.provisional ? " · SEMENTARA" : "")
        return "<!doctype html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>\(H.escape(title))</title>\n"
            + "<style>\n\(H.style(running: running))\(self.extraStyle)</style>\n</head>\n<body>\n<main>\n\(page)</main>\n</body>\n</html>\n"
    }

    static let extraStyle = """
        .maps { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; align-items: start; } .maps svg { width: 100%; height: auto; }
        .maps figure { margin: 0; break-inside: avoid; } .maps figcaption { font-size: .8em; color: var(--dim); }
        table.issues { font-size: .74em; } td.offices { white-space: nowrap; font-size: .9em; }
        td.tickets { font-family: ui-monospace, Menlo, Consolas, "Liberation Mono", monospace; font-size: .9em; min-width: 9em; } h3 { font-size: .95em; color: var(--navy); margin: 14px 0 4px; } table.issues td.where { min-width: 150px; } .kind { white-space: nowrap; font-weight: 600; }
        .kind.hotspot { color: #9f1239; } .kind.backlog { color: #9a5b00; } .kind.cross_level { color: #1f3a5f; }
        .formula { font-size: .8em; background: var(--zebra); border-left: 4px solid var(--accent); padding: 6px 10px; margin: 8px 0; }
        ol.agreements { padding-left: 1.4em; font-size: .85em; } ol.agreements li { margin-bottom: 12px; break-inside: avoid; }
        .blank { display: block; margin-top: 6px; color: var(--dim); } .blank b { display: inline-block; min-width: 260px;
          border-bottom: 1px solid var(--ink); margin: 0 12px 0 4px; } .blank b.short { min-width: 120px; } .themes { font-size: .85em; color: var(--dim); }
        @media print { .maps { gap: 10px; } table.issues { font-size: 7.5pt; } }
        @media screen and (max-width: 760px) { .maps { grid-template-columns: 1fr; } }

        """

    static func cover(_ pack: RakorPack, catalog: Catalog) -> String {
        var out = "<header class=\"masthead\"><div><p class=\"kicker\">\(H.escape(RakorText.title))</p>"
            + "<h1>\(H.escape(RakorText.scopeTitle(pack)))</h1><p class=\"month\">\(H.escape(RakorText.periodName(pack.period)))</p></div>"
            + "<div class=\"goal\">Aduan dalam periode<strong>\(ReportText.integer(pack.areas.reduce(0) { $0 + $1.received }))</strong></div></header>\n"
        if pack.provisional {
            out += "<div class=\"provisional\"><strong>SEMENTARA</strong> Periode belum berakhir: angka diambil pada "
                + "\(H.escape(ReportText.localTime(pack.asOf))) dan masih dapat berubah.</div>\n"
        }
        out += "<p class=\"provenance\">\(H.escape(RakorText.provenance(pack)))</p>\n"
        let dots = pack.desks.flatMap(\.issues).filter { $0.kind == .hotspot && $0.latitude != nil }.map { issue in
            ReportMap.Dot(
                at: ReportMap.Point(lng: issue.longitude!, lat: issue.latitude!), weight: Double(issue.count),
                title: "\(issue.categoryName): \(RakorText.whereText(issue)), \(issue.count) aduan")
        }
        let density = pack.areas.reduce(into: [String: Double]()) { $0[$1.code] = $1.perTenThousand }
        let compliance = pack.areas.reduce(into: [String: Double]()) { $0[$1.code] = $1.resolutionCompliance.map { $0 * 100 } }
        out += "<section><h2>Peta</h2><div class=\"maps\"><figure>"
            + ProvinceMap.svg(
                catalog: catalog, values: density, format: { ReportText.decimal($0, digits: 1) },
                legendTitle: "Aduan per 10.000 penduduk", higherIsBetter: false, dots: dots,
                dotsLegend: "titik rawan (ukuran menurut jumlah aduan)", ariaLabel: "Peta aduan per 10.000 penduduk dan titik rawan")
            + "<figcaption>Aduan per 10.000 penduduk per kabupaten/kota, dengan titik rawan.</figcaption></figure><figure>"
            + ProvinceMap.svg(
                catalog: catalog, values: compliance, format: { ReportText.decimal($0, digits: 0) + "%" },
                legendTitle: "Diselesaikan tepat waktu", higherIsBetter: true, ariaLabel: "Peta penyelesaian tepat waktu")
            + "<figcaption>Bagian aduan yang diselesaikan dalam periode yang selesai paling lambat pada tenggatnya.</figcaption>"
            + "</figure></div></section>\n"
        out += H.section(
            "Isu teratas",
            "<p class=\"legend\">Menurut skor, dari semua desk; rumusnya di halaman terakhir, semua masukannya di tabel.</p>\n"
                + self.issueTable(pack.topIssues, pack: pack, withDesk: false))
        return out
    }

    static func desk(_ desk: RakorDeskSection, pack: RakorPack) -> String {
        var out = "<section class=\"new-page\"><h2>Desk \(H.escape(desk.name))</h2>\n"
        out += "<p>Aduan dalam periode: <strong>\(ReportText.integer(desk.received))</strong> "
            + H.change(ReportText.countChange(desk.received, desk.previousReceived), better: false)
            + " <span class=\"dim\">(periode sebelumnya \(ReportText.integer(desk.previousReceived)))</span></p>\n"
        out += "<p class=\"themes\">Tema RPJMD: \(H.escape(desk.themes.isEmpty ? "–" : desk.themes.joined(separator: "; ")))</p>\n"
        for kind in [StrategicIssue.Kind.hotspot, .backlog, .crossLevel] {
            out += "<h3>\(H.escape(RakorText.kindTitle(kind)))</h3>\n"
                + self.issueTable(desk.issues.filter { $0.kind == kind }, pack: pack, withDesk: false)
        }
        if !desk.agreements.isEmpty {
            out += "<h2>Rancangan butir kesepakatan</h2>\n<ol class=\"agreements\">"
            for point in desk.agreements {
                out += "<li><strong>\(H.escape(point.issue.categoryName)), \(H.escape(RakorText.whereText(point.issue)))</strong><br>"
                    + "\(H.escape(point.evidence))<br><span class=\"dim\">\(H.escape(RakorText.offices(point.issue)))</span>"
                    + "<span class=\"blank\">Target yang disepakati:<b></b>Tanggal:<b class=\"short\"></b></span>"
                    + "<span class=\"blank\">Penanggung jawab:<b></b></span></li>"
            }
            out += "</ol>\n"
        }
        return out + "</section>\n"
    }

    static func issueTable(_ issues: [StrategicIssue], pack: RakorPack, withDesk: Bool) -> String {
        guard !issues.isEmpty else { return H.empty("Tidak ada isu yang memenuhi ambang dalam periode ini.") }
        let deskNames = Dictionary(uniqueKeysWithValues: pack.desks.map { ($0.code, $0.name) })
        var out = "<table class=\"data issues\"><thead><tr><th>#</th>" + (withDesk ? "<th>Desk</th>" : "")
            + "<th>Jenis</th><th>Kategori</th><th>Tempat</th><th class=\"num\">Aduan</th><th class=\"num\">Sebelumnya</th>"
            + "<th class=\"num\">Terbuka</th><th class=\"num\">Lewat tenggat</th><th class=\"num\">Dibuka kembali</th>"
            + "<th class=\"num\">Dukungan</th><th class=\"num\">Skor</th><th>OPD prov. / kab-kota</th><th>Contoh tiket</th></tr></thead><tbody>"
        for (rank, issue) in issues.enumerated() {
            var detail = ""
            if let days = issue.medianOpenDays { detail = "<br><small class=\"dim\">median umur \(ReportText.decimal(days)) hari</small>" }
            if let forwarded = issue.forwardedAcrossLevels {
                detail = "<br><small class=\"dim\">\(forwarded) diteruskan antartingkat; provinsi \(issue.atProvince ?? 0), "
                    + "kab/kota \(issue.atKabupatenKota ?? 0)</small>"
            }
            out += "<tr><td class=\"num\">\(rank + 1)</td>" + (withDesk ? "<td>\(H.escape(deskNames[issue.desk] ?? issue.desk))</td>" : "")
                + "<td class=\"kind \(issue.kind.rawValue)\">\(H.escape(RakorText.kindName(issue.kind)))</td>"
                + "<td>\(H.escape(issue.categoryName))</td><td class=\"where\">\(H.escape(RakorText.whereText(issue)))\(detail)</td>"
                + "<td class=\"num strong\">\(ReportText.integer(issue.count))</td>"
                + "<td class=\"num\">\(ReportText.integer(issue.previous)) \(H.change(RakorText.trend(issue), better: false))</td>"
                + "<td class=\"num\">\(ReportText.integer(issue.open))</td><td class=\"num\">\(ReportText.integer(issue.overdue))</td>"
                + "<td class=\"num\">\(ReportText.integer(issue.reopened))</td><td class=\"num\">\(ReportText.integer(issue.support))</td>"
                + "<td class=\"num strong\">\(ReportText.decimal(issue.score))</td>"
                + "<td class=\"offices\">\(H.escape(issue.provinceOffices.first ?? "–"))<br>\(H.escape(issue.kabupatenKotaOffices.first ?? "–"))</td>"
                + "<td class=\"tickets\">\(issue.tickets.prefix(2).map(H.escape).joined(separator: " "))</td></tr>"
        }
        return out + "</tbody></table>\n"
    }
}
