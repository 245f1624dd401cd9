import AduanCore
import Foundation

extension ReportFormat {
    /// The rakor pack in this format; the HTML draws its maps from `catalog`'s boundaries.
    public func render(_ pack: RakorPack, catalog: Catalog) throws -> String {
        switch self {
        case .json: return try RakorJSON.encode(pack)
        case .csv: return RakorCSV.render(pack)
        case .md: return RakorMarkdown.render(pack)
        case .html: return RakorHTML.render(pack, catalog: catalog)
        }
    }
}

/// The pack's issues as one CSV table (RFC 4180, `.` as the decimal point): a row per issue and desk rank, then a row
/// per kabupaten/kota with the maps' figures.
public enum RakorCSV {
    static let columns = [
        "bagian", "desk", "peringkat", "jenis", "kategori", "kabupaten_kota", "tempat", "lintang", "bujur", "aduan",
        "aduan_periode_sebelumnya", "kenaikan", "terbuka", "lewat_tenggat", "dibuka_kembali", "dukungan", "skor",
        "median_umur_terbuka_hari", "diteruskan_antartingkat", "di_provinsi", "di_kabupaten_kota", "opd_provinsi",
        "opd_kabupaten_kota", "tema_rpjmd", "tiket", "penduduk", "aduan_per_10000", "diselesaikan", "diselesaikan_tepat_waktu",
    ]

    public static func render(_ pack: RakorPack) -> String {
        var rows: [[String]] = [columns]
        let optional = { (value: Int?) in value.map(String.init) ?? "" }
        for desk in pack.desks {
            for (rank, issue) in desk.issues.enumerated() {
                rows.append([
                    "isu", desk.code, String(rank + 1), issue.kind.rawValue, issue.category, issue.area, issue.place,
                    ReportCSV.number(issue.latitude), ReportCSV.number(issue.longitude), String(issue.count), String(issue.previous),
                    ReportCSV.number(RakorRules.growth(issue.count, issue.previous)), String(issue.open), String(issue.overdue),
                    String(issue.reopened), String(issue.support), ReportCSV.number(issue.score), ReportCSV.number(issue.medianOpenDays),
                    optional(issue.forwardedAcrossLevels), optional(issue.atProvince), optional(issue.atKabupatenKota),
                    issue.provinceOffices.joined(separator: " "), issue.kabupatenKotaOffices.joined(separator: " "),
                    issue.themes.joined(separator: " "), issue.tickets.joined(separator: " "), "", "", "", "",
                ])
            }
        }
        for area in pack.areas {
            var row = ["wilayah", "", "", "", "", area.code, area.name] + Array(repeating: "", count: 18)
            row += [optional(area.population), ReportCSV.number(area.perTenThousand), String(area.settled), String(area.settledInTime)]
            rows.append(row)
        }
        return rows.map { $0.map(ReportCSV.quote).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}

/// The pack as Markdown: the cover's top issues, then each desk's issues and its draft points of agreement.
public enum RakorMarkdown {
    public static func render(_ pack: RakorPack) -> String {
        var out = "# \(RakorText.title)\n\n**\(RakorText.scopeTitle(pack))**, \(RakorText.periodName(pack.period))\n\n"
        out += "\(RakorText.provenance(pack))\n\nSkor: \(pack.rules.formula).\n\n## Isu teratas\n\n"
        out += self.issueTable(pack.topIssues, withDesk: true, pack: pack)
        out += "\n## Aduan per kabupaten/kota\n\n"
        out += ReportMarkdown.table(
            ["Kabupaten/kota", "Aduan", "Per 10.000 penduduk", "Diselesaikan tepat waktu", "Titik rawan"],
            pack.areas.map {
                [$0.name, ReportText.integer($0.received), ReportText.decimal($0.perTenThousand, digits: 2),
                 ReportText.percent($0.resolutionCompliance), ReportText.integer($0.hotspots)]
            }, rightFrom: 1)
        for desk in pack.desks {
            out += "\n## Desk \(desk.name)\n\n"
            out += "Aduan: \(ReportText.integer(desk.received)) (periode sebelumnya \(ReportText.integer(desk.previousReceived))). "
            out += "Tema RPJMD: \(desk.themes.isEmpty ? "–" : desk.themes.joined(separator: "; ")).\n\n"
            for kind in [StrategicIssue.Kind.hotspot, .backlog, .crossLevel] {
                let issues = desk.issues.filter { $0.kind == kind }
                out += "### \(RakorText.kindTitle(kind))\n\n"
                out += issues.isEmpty ? "Tidak ada yang memenuhi ambang dalam periode ini.\n\n" : self.issueTable(issues, withDesk: false, pack: pack) + "\n"
            }
            guard !desk.agreements.isEmpty else { continue }
            out += "### Rancangan butir kesepakatan\n\n"
            for point in desk.agreements {
                out += "\(point.number). **\(point.issue.categoryName), \(RakorText.whereText(point.issue))**. \(point.evidence) "
                out += "\(RakorText.offices(point.issue)).\n   Target yang disepakati: ______________________ Tanggal: ____________\n"
            }
        }
        out += "\n## Definisi\n\n"
        for (term, definition) in RakorText.definitions(pack.rules) { out += "- **\(term)**: \(definition)\n" }
        return out
    }

    static func issueTable(_ issues: [StrategicIssue], withDesk: Bool, pack: RakorPack) -> String {
        let deskNames = Dictionary(uniqueKeysWithValues: pack.desks.map { ($0.code, $0.name) })
        let headings = (withDesk ? ["Desk"] : []) + [
            "#", "Jenis", "Kategori", "Tempat", "Aduan", "Sebelumnya", "Terbuka", "Lewat tenggat", "Dibuka kembali", "Dukungan", "Skor",
            "Tiket",
        ]
        let rows = issues.enumerated().map { rank, issue in
            (withDesk ? [deskNames[issue.desk] ?? issue.desk] : []) + [
                String(rank + 1), RakorText.kindName(issue.kind), issue.categoryName, RakorText.whereText(issue), ReportText.integer(issue.count),
                ReportText.integer(issue.previous), ReportText.integer(issue.open), ReportText.integer(issue.overdue),
                ReportText.integer(issue.reopened), ReportText.integer(issue.support), ReportText.decimal(issue.score),
                issue.tickets.joined(separator: ", "),
            ]
        }
        return ReportMarkdown.table(headings, rows, rightFrom: withDesk ? 5 : 4)
    }
}
