import AduanCore
import AduanStore
import Foundation

/// The rakor pack's Indonesian words, shared by its Markdown, CSV and HTML renderings.
public enum RakorText {
    public static let title = "Bahan Rakor: Isu Strategis dari Pengaduan Masyarakat"

    public static func kindName(_ kind: StrategicIssue.Kind) -> String {
        switch kind {
        case .hotspot: return "Titik rawan"
        case .backlog: return "Tunggakan menahun"
        case .crossLevel: return "Lintas kewenangan"
        }
    }

    /// A desk page's heading for the issues of one kind.
    public static func kindTitle(_ kind: StrategicIssue.Kind) -> String {
        switch kind {
        case .hotspot: return "Titik rawan: aduan yang berulang di satu tempat"
        case .backlog: return "Tunggakan menahun: aduan yang lama terbuka"
        case .crossLevel: return "Lintas kewenangan: provinsi dan kabupaten/kota perlu sepakat"
        }
    }

    public static func periodName(_ period: String) -> String { RakorPeriod(period)?.nameID ?? period }

    /// Where an issue is: `Kec. Kedaton, Kota Bandar Lampung`.
    public static func whereText(_ issue: StrategicIssue) -> String {
        issue.place.isEmpty ? issue.areaName : "\(issue.place), \(issue.areaName)"
    }

    /// `+3 (dari 2)`, or `baru` when there were none before.
    public static func trend(_ issue: StrategicIssue) -> String {
        guard issue.previous > 0 else { return issue.count > 0 ? "baru" : "–" }
        return ReportText.countChange(issue.count, issue.previous)
    }

    /// The evidence of a draft point of agreement, in one sentence.
    public static func evidence(_ issue: StrategicIssue) -> String {
        let counted =
            issue.kind == .backlog
            ? "\(issue.count) aduan \(issue.categoryName.lowercased()) masih terbuka di akhir periode (awal periode: \(issue.previous)), median umur \(ReportText.decimal(issue.medianOpenDays)) hari"
            : "\(issue.count) aduan \(issue.categoryName.lowercased()) (periode sebelumnya: \(issue.previous))"
        var text =
            "\(self.kindName(issue.kind)) di \(self.whereText(issue)): \(counted); \(issue.overdue) lewat tenggat, \(issue.reopened) dibuka kembali, \(issue.support) dukungan warga"
        if let forwarded = issue.forwardedAcrossLevels {
            text +=
                "; \(forwarded) diteruskan antartingkat, kini \(issue.atProvince ?? 0) di provinsi dan \(issue.atKabupatenKota ?? 0) di kabupaten/kota"
        }
        if !issue.tickets.isEmpty { text += ". Contoh: \(issue.tickets.joined(separator: ", "))" }
        return text + "."
    }

    /// Offices at both levels: `BMBK-18 / PUPR-1871`.
    public static func offices(_ issue: StrategicIssue) -> String {
        let province = issue.provinceOffices.isEmpty ? "–" : issue.provinceOffices.joined(separator: ", ")
        let area = issue.kabupatenKotaOffices.isEmpty ? "–" : issue.kabupatenKotaOffices.joined(separator: ", ")
        return "Provinsi: \(province); kab/kota: \(area)"
    }

    public static func provenance(_ pack: RakorPack) -> String {
        var text = "Versi \(pack.version), dibuat \(ReportText.localTime(pack.generatedAt)) oleh \(pack.generatedBy)."
        text +=
            pack.provisional
            ? " SEMENTARA: periode belum berakhir; angka diambil pada \(ReportText.localTime(pack.asOf))."
            : " Angka diambil pada akhir periode, \(ReportText.localTime(pack.asOf))."
        return text
    }

    public static func scopeTitle(_ pack: RakorPack) -> String {
        var title = pack.scope.isProvince ? "Provinsi \(pack.scope.name)" : pack.scope.name
        if let desk = pack.desks.first, pack.desk != nil { title += ", desk \(desk.name)" }
        if let area = pack.kabupatenKota { title += ", \(pack.areas.first { $0.code == area }?.name ?? area)" }
        return title
    }

    /// What the pack counts, as its last page and docs/rakor-pack.md state it.
    public static func definitions(_ rules: RakorRules) -> [(term: String, definition: String)] {
        [
            (
                "Periode",
                "Aduan yang diajukan dalam periode (bulan awal sampai bulan akhir, termasuk), dibandingkan dengan periode sebelumnya yang sama panjang. Aduan duplikat dan yang ditolak tidak dihitung."
            ),
            (
                "Titik rawan",
                "Aduan satu kategori yang berulang di satu tempat: dalam radius \(ReportText.decimal(rules.hotspotRadiusMetres, digits: 0)) m dari pusat kelompoknya (aduan dengan titik lokasi), atau di satu desa/kelurahan (aduan tanpa titik). Paling sedikit \(rules.minimumComplaints) aduan dalam periode. Kenaikan dibandingkan dengan aduan kategori yang sama dalam radius yang sama pada periode sebelumnya."
            ),
            (
                "Tunggakan menahun",
                "Kategori di satu kabupaten/kota dengan paling sedikit \(rules.minimumComplaints) aduan masih terbuka di akhir periode, sebagian sudah lewat tenggat. Median umur: hari kalender sejak diajukan."
            ),
            (
                "Lintas kewenangan",
                "Aduan yang diteruskan antara OPD provinsi dan OPD kabupaten/kota, dan aduan kategori yang kewenangannya terbagi menurut katalog (SD/SMP di kabupaten/kota, SMA/SMK di provinsi)."
            ),
            ("Lewat tenggat", "Batas penyelesaian lewat sebelum aduan diselesaikan (terlambat selesai, atau masih terbuka)."),
            ("Dibuka kembali", "Aduan yang pernah dibuka kembali oleh pelapor setelah dinyatakan selesai."),
            ("Dukungan", "Jumlah +1 dari warga lain pada aduan-aduan itu."),
            ("Skor", rules.formula + ". Semua masukan ditampilkan di samping tiap isu."),
            (
                "Peta",
                "Aduan per 10.000 penduduk menurut kabupaten/kota; penduduk: data Dukcapil (DKB semester II 2024). Titik: titik rawan, ukurannya menurut jumlah aduan."
            ),
        ]
    }
}
