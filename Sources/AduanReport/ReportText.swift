import AduanCore
import Foundation

/// Indonesian labels, number formats and the written definitions, shared by the Markdown, CSV and HTML renderings.
public enum ReportText {
    // MARK: - Numbers (Indonesian: 12.345 and 87,5%)

    public static func integer(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "." }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }

    public static func decimal(_ value: Double?, digits: Int = 1) -> String {
        guard let value, value.isFinite else { return "–" }
        let scaled = (abs(value) * pow(10, Double(digits))).rounded()
        let whole = Int(scaled / pow(10, Double(digits)))
        let fraction = Int(scaled) - whole * Int(pow(10, Double(digits)))
        let sign = value < 0 && scaled > 0 ? "-" : ""
        return sign + self.integer(whole) + (digits > 0 ? "," + zeroPadded(fraction, digits) : "")
    }

    public static func percent(_ share: Double?) -> String {
        guard let share else { return "–" }
        return self.decimal(share * 100) + "%"
    }

    /// The change of a rate in percentage points: `+2,1 poin`.
    public static func pointChange(_ current: Double?, _ previous: Double?) -> String {
        guard let current, let previous else { return "–" }
        let points = (current - previous) * 100
        return (points > 0.05 ? "+" : "") + self.decimal(points) + " poin"
    }

    /// The change of a count: `+12 (+5,3%)`.
    public static func countChange(_ current: Int, _ previous: Int) -> String {
        let delta = current - previous
        let sign = delta > 0 ? "+" : ""
        guard previous > 0 else { return sign + self.integer(delta) }
        return sign + self.integer(delta) + " (" + sign + self.decimal(Double(delta) / Double(previous) * 100) + "%)"
    }

    /// The change of a value such as a median: `+0,4`.
    public static func valueChange(_ current: Double?, _ previous: Double?, digits: Int = 1) -> String {
        guard let current, let previous else { return "–" }
        let delta = current - previous
        return (delta > 0.5 * pow(10, -Double(digits)) ? "+" : "") + self.decimal(delta, digits: digits)
    }

    // MARK: - Labels

    public static let title = "Laporan Bulanan Kepatuhan SLA Pengaduan Masyarakat"
    /// A stored status in Indonesian, as everywhere else (`ComplaintStatus.labelID`).
    public static func statusLabel(_ status: String) -> String { ComplaintStatus(rawValue: status)?.labelID ?? status }
    public static let clockLabels = ["response": "Tanggapan", "resolution": "Penyelesaian"]

    /// The lines of the summary: label, this month, last month, change, and whether a rise is good news (nil when it
    /// is neither, as for the number received).
    public static func summary(_ line: Breakdown)
        -> [(label: String, current: String, previous: String, change: String, higherIsBetter: Bool?)]
    {
        let c = line.current
        let p = line.previous
        return [
            ("Aduan diterima", self.integer(c.received), self.integer(p.received), self.countChange(c.received, p.received), nil),
            ("Aduan diselesaikan", self.integer(c.resolved), self.integer(p.resolved), self.countChange(c.resolved, p.resolved), true),
            ("Ditanggapi tepat waktu", self.percent(c.responseCompliance), self.percent(p.responseCompliance),
             self.pointChange(c.responseCompliance, p.responseCompliance), true),
            ("Diselesaikan tepat waktu", self.percent(c.resolutionCompliance), self.percent(p.resolutionCompliance),
             self.pointChange(c.resolutionCompliance, p.resolutionCompliance), true),
            ("Median waktu tanggapan (hari kerja)", self.decimal(c.responseDays.median), self.decimal(p.responseDays.median),
             self.valueChange(c.responseDays.median, p.responseDays.median), false),
            ("P90 waktu tanggapan (hari kerja)", self.decimal(c.responseDays.p90), self.decimal(p.responseDays.p90),
             self.valueChange(c.responseDays.p90, p.responseDays.p90), false),
            ("Median waktu penyelesaian (hari kerja)", self.decimal(c.resolutionDays.median), self.decimal(p.resolutionDays.median),
             self.valueChange(c.resolutionDays.median, p.resolutionDays.median), false),
            ("P90 waktu penyelesaian (hari kerja)", self.decimal(c.resolutionDays.p90), self.decimal(p.resolutionDays.p90),
             self.valueChange(c.resolutionDays.p90, p.resolutionDays.p90), false),
            ("Tunggakan akhir bulan", self.integer(c.backlog.total), self.integer(p.backlog.total),
             self.countChange(c.backlog.total, p.backlog.total), false),
            ("Melewati tenggat akhir bulan", self.integer(c.overdue), self.integer(p.overdue), self.countChange(c.overdue, p.overdue), false),
            ("Diteruskan ke OPD lain", self.integer(c.forwarded), self.integer(p.forwarded), self.countChange(c.forwarded, p.forwarded), nil),
            ("Tingkat dibuka kembali", self.percent(c.reopenRate), self.percent(p.reopenRate), self.pointChange(c.reopenRate, p.reopenRate), false),
            ("Ditolak", self.integer(c.rejected), self.integer(p.rejected), self.countChange(c.rejected, p.rejected), false),
            ("Rata-rata penilaian (1-5)", self.decimal(c.meanRating, digits: 2), self.decimal(p.meanRating, digits: 2),
             self.valueChange(c.meanRating, p.meanRating, digits: 2), true),
            ("Jumlah penilaian", self.integer(c.ratings), self.integer(p.ratings), self.countChange(c.ratings, p.ratings), true),
            ("Penyelesaian dengan bukti foto bersih", self.integer(c.evidenceClean), self.integer(p.evidenceClean),
             self.countChange(c.evidenceClean, p.evidenceClean), nil),
            ("Penyelesaian dengan bukti foto ditandai", self.integer(c.evidenceFlagged), self.integer(p.evidenceFlagged),
             self.countChange(c.evidenceFlagged, p.evidenceFlagged), false),
            ("Penyelesaian ditolak (TL ditolak)", self.integer(c.resolutionsRejected), self.integer(p.resolutionsRejected),
             self.countChange(c.resolutionsRejected, p.resolutionsRejected), false),
        ]
    }

    /// The headings of a breakdown table and the cells of one line.
    public static let breakdownHeadings = [
        "Diterima", "Selesai", "Tanggapan tepat waktu", "Penyelesaian tepat waktu", "Median tanggapan (HK)",
        "Median penyelesaian (HK)", "P90 penyelesaian (HK)", "Tunggakan", "Lewat tenggat", "Diteruskan", "Dibuka kembali",
        "Ditolak", "Penilaian",
    ]

    public static func breakdownCells(_ line: Breakdown) -> [String] {
        let c = line.current
        return [
            self.integer(c.received), self.integer(c.resolved),
            self.percent(c.responseCompliance) + " (" + self.pointChange(c.responseCompliance, line.previous.responseCompliance) + ")",
            self.percent(c.resolutionCompliance) + " (" + self.pointChange(c.resolutionCompliance, line.previous.resolutionCompliance) + ")",
            self.decimal(c.responseDays.median), self.decimal(c.resolutionDays.median), self.decimal(c.resolutionDays.p90),
            self.integer(c.backlog.total), self.integer(c.overdue), self.integer(c.forwarded), self.percent(c.reopenRate),
            self.integer(c.rejected), c.meanRating.map { self.decimal($0, digits: 2) + " (" + self.integer(c.ratings) + ")" } ?? "–",
        ]
    }

    public static func scopeTitle(_ report: MonthlyReport) -> String {
        report.scope.isProvince ? "Provinsi \(report.scope.name)" : report.scope.name
    }

    public static func monthName(_ period: String) -> String { ReportMonth(period)?.nameID ?? period }

    /// When and by whom the report was generated, and whether its month was over.
    public static func provenance(_ report: MonthlyReport) -> String {
        var text = "Versi \(report.version), dibuat \(self.localTime(report.generatedAt)) oleh \(report.generatedBy)."
        text += report.provisional
            ? " SEMENTARA: bulan belum berakhir; angka akhir bulan diambil pada \(self.localTime(report.asOf))."
            : " Angka akhir bulan diambil pada \(self.localTime(report.asOf))."
        return text
    }

    /// `2026-11-01T00:00:00+07:00` as `1 Nov 2026 00:00 WIB`.
    public static func localTime(_ iso: String) -> String {
        let parts = iso.split(separator: "T")
        guard parts.count == 2, let date = LocalDate(iso: String(parts[0])) else { return iso }
        let zone = iso.hasSuffix("+07:00") ? "WIB" : iso.hasSuffix("+08:00") ? "WITA" : iso.hasSuffix("+09:00") ? "WIT" : String(iso.suffix(6))
        return "\(date.day) \(ReportMonth.monthNamesID[date.month - 1].prefix(3)) \(date.year) \(parts[1].prefix(5)) \(zone)"
    }

    // MARK: - Definitions

    /// The definitions a report was counted by: a snapshot kept before the counters reads as it did then.
    public static func definitions(of report: MonthlyReport) -> [(term: String, definition: String)] {
        report.countedFrom == MonthlyReport.countedFromCounters ? Self.definitions : Self.presentStateDefinitions
    }

    /// What each figure counts, as the footer and docs/monthly-report.md state it.
    public static let definitions: [(term: String, definition: String)] = [
        ("Waktu", "Semua batas bulan dihitung dalam zona waktu wilayah (WIB). Hari kerja: Senin-Jumat kecuali libur nasional dan cuti bersama (SKB 3 Menteri)."),
        ("Dihitung", "Setiap kejadian dihitung pada bulan terjadinya, saat dicatat. Kejadian sesudahnya (misalnya pembukaan kembali) dihitung pada bulannya sendiri dan tidak mengubah angka bulan yang sudah lewat."),
        ("Diterima", "Aduan yang diajukan dalam bulan ini, pada OPD yang pertama menerimanya (termasuk yang kemudian digabung sebagai duplikat)."),
        ("Diselesaikan", "Penyelesaian yang diberikan dalam bulan ini (selesai), juga yang kemudian dibuka kembali atau ditolak supervisor."),
        ("Ditanggapi tepat waktu", "Dari batas tanggapan yang terputuskan dalam bulan ini, bagian yang tepat waktu: ditanggapi OPD (diterima, diminta info, ditolak, diselesaikan atau digabung) paling lambat pada batasnya. Batas yang lewat tanpa tanggapan dihitung terlambat pada bulan batas itu."),
        ("Diselesaikan tepat waktu", "Dari siklus penyelesaian yang terputuskan dalam bulan ini, bagian yang diselesaikan paling lambat pada batasnya; batas yang lewat lebih dulu dihitung terlambat pada bulan batas itu. Pembukaan kembali memulai siklus baru. Penyelesaian yang ditandai baru terputuskan saat divalidasi. Aduan yang ditolak atau digabung tidak punya penyelesaian; batas yang bergeser karena menunggu info pelapor tidak lewat selama penundaan."),
        ("Waktu tanggapan dan penyelesaian", "Hari kerja dari pengajuan sampai tanggapan pertama (aduan yang pertama kali ditanggapi bulan ini) dan sampai penyelesaian terakhir (aduan yang selesai bulan ini dan belum dibuka kembali saat laporan dibuat), menurut OPD yang menanganinya saat laporan dibuat. Waktu menunggu info pelapor tidak dihitung. Median: nilai tengah (rata-rata dua nilai tengah bila jumlahnya genap); P90: nilai terkecil yang sama atau melebihi 90% nilai."),
        ("Tunggakan", "Aduan yang masih terbuka pada akhir bulan, dicatat saat bulan ditutup, menurut umur sejak diajukan (hari kalender): 0-7, 8-14, 15-30, lebih dari 30 hari."),
        ("Melewati tenggat", "Aduan terbuka pada akhir bulan yang batas tanggapan atau penyelesaiannya sudah lewat selama jamnya berjalan. Penundaan karena menunggu info pelapor tidak menghapus batas yang sudah lewat."),
        ("Diteruskan", "Disposisi ke OPD lain dalam bulan ini, dihitung pada OPD yang meneruskan."),
        ("Tingkat dibuka kembali", "Pembukaan kembali dalam bulan ini dibagi penyelesaian yang diberikan dalam bulan ini."),
        ("Ditolak", "Aduan yang ditolak dalam bulan ini."),
        ("Bukti foto", "Penyelesaian dengan foto sesudah dalam bulan ini: bersih bila tidak ada foto yang ditandai perlu validasi; ditandai bila ada foto yang dipakai ulang (sama dengan foto pelapor atau bukti aduan lain dalam 12 bulan), diambil sebelum aduan diajukan, atau jauh dari lokasi aduan (menunggu validasi, apa pun putusannya kemudian); ditolak bila supervisor menolak penyelesaian yang ditandai (TL ditolak). Dihitung pada OPD yang menyelesaikan (atau yang penyelesaiannya ditolak), walau aduan kemudian diteruskan."),
        ("Penilaian", "Nilai 1-5 yang diberikan pelapor saat mengonfirmasi penyelesaian dalam bulan ini: rata-rata dan jumlahnya."),
        ("Duplikat", "Aduan yang digabung ke aduan lain dihitung diterima pada bulan diajukan dan digabung pada bulan penggabungan; penggabungan menanggapinya dan mengakhiri jamnya."),
        ("Perubahan", "Dibandingkan bulan sebelumnya: selisih jumlah (dan persentasenya), atau selisih poin persentase untuk tingkat kepatuhan."),
        ("Pembagian", "Setiap kejadian dihitung pada OPD yang memegang aduan saat itu; per kabupaten/kota menurut wilayah aduan; jumlah per OPD, per kabupaten/kota dan per kategori sama dengan total."),
    ]

    /// The definitions of reports counted before the monthly counters (snapshots without `counted_from`), from each
    /// complaint's state when the report was made.
    public static let presentStateDefinitions: [(term: String, definition: String)] = [
        ("Waktu", "Semua batas bulan dihitung dalam zona waktu wilayah (WIB). Hari kerja: Senin-Jumat kecuali libur nasional dan cuti bersama (SKB 3 Menteri)."),
        ("Diterima", "Aduan yang diajukan dalam bulan ini."),
        ("Diselesaikan", "Aduan yang penyelesaian terakhirnya jatuh dalam bulan ini (selesai atau ditutup)."),
        ("Ditanggapi tepat waktu", "Dari aduan yang batas tanggapannya jatuh dalam bulan ini, bagian yang ditanggapi OPD (diterima, diminta info, ditolak, diselesaikan atau digabung) paling lambat pada batas itu. Yang belum ditanggapi dihitung terlambat."),
        ("Diselesaikan tepat waktu", "Dari aduan yang batas penyelesaiannya jatuh dalam bulan ini, bagian yang diselesaikan paling lambat pada batas itu. Yang belum selesai dihitung terlambat; aduan yang ditolak tidak dihitung; aduan yang sedang menunggu info pelapor sejak sebelum batasnya belum jatuh tempo (batasnya bergeser)."),
        ("Waktu tanggapan dan penyelesaian", "Hari kerja dari pengajuan sampai tanggapan pertama (untuk aduan yang pertama kali ditanggapi bulan ini) dan sampai penyelesaian terakhir (untuk aduan yang diselesaikan bulan ini). Waktu menunggu info pelapor tidak dihitung. Median: nilai tengah (rata-rata dua nilai tengah bila jumlahnya genap); P90: nilai terkecil yang sama atau melebihi 90% nilai."),
        ("Tunggakan", "Aduan yang masih terbuka pada akhir bulan, menurut umur sejak diajukan (hari kalender): 0-7, 8-14, 15-30, lebih dari 30 hari."),
        ("Melewati tenggat", "Aduan terbuka pada akhir bulan yang batas tanggapan atau penyelesaiannya sudah lewat. Aduan yang menunggu info pelapor hanya dihitung bila batasnya lewat sebelum penundaan."),
        ("Diteruskan", "Disposisi ke OPD lain dalam bulan ini, dihitung pada OPD yang meneruskan."),
        ("Tingkat dibuka kembali", "Aduan dibuka kembali dalam bulan ini dibagi aduan diselesaikan dalam bulan ini."),
        ("Ditolak", "Aduan yang ditolak dalam bulan ini."),
        ("Bukti foto", "Penyelesaian dengan foto sesudah dalam bulan ini: bersih bila tidak ada foto yang ditandai perlu validasi; ditandai bila ada foto yang dipakai ulang (sama dengan foto pelapor atau bukti aduan lain dalam 12 bulan), diambil sebelum aduan diajukan, atau jauh dari lokasi aduan (menunggu validasi, apa pun putusannya kemudian); ditolak bila supervisor menolak penyelesaian yang ditandai (TL ditolak). Dihitung pada OPD yang menyelesaikan (atau yang penyelesaiannya ditolak), walau aduan kemudian diteruskan."),
        ("Penilaian", "Nilai 1-5 yang diberikan pelapor saat mengonfirmasi penyelesaian dalam bulan ini: rata-rata dan jumlahnya."),
        ("Duplikat", "Aduan yang digabung ke aduan lain tidak dihitung dalam angka mana pun (dihitung sekali, pada aduan yang dipertahankan)."),
        ("Perubahan", "Dibandingkan bulan sebelumnya: selisih jumlah (dan persentasenya), atau selisih poin persentase untuk tingkat kepatuhan."),
        ("Pembagian", "Per OPD menurut OPD yang menangani saat ini; per kabupaten/kota menurut wilayah aduan; jumlah per OPD, per kabupaten/kota dan per kategori sama dengan total."),
    ]
}
