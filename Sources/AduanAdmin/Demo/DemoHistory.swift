import AduanCore
import AduanStore
import Foundation

/// A reproducible stream of random numbers (SplitMix64): the same seed gives the same demo database.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { self.state = seed }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A stream of its own for one name under one seed (FNV-1a of the name, the same in every process, unlike
    /// `Hasher`): what is drawn for one name does not depend on what was drawn before for others.
    init(seed: UInt64, name: String) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        self.init(seed: seed ^ hash)
    }

    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }
    mutating func uniform(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &self) }

    /// An index drawn with the given weights.
    mutating func weighted(_ cumulative: [Double]) -> Int {
        let x = Double.random(in: 0..<cumulative.last!, using: &self)
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > x { high = mid } else { low = mid + 1 }
        }
        return low
    }
}

/// Plans demo complaints and their histories, every step through the real rules: `Intake` files and routes them,
/// `Workflow` applies the staff's and reporters' actions at past instants (with the SLA marks and escalations each
/// action makes first), and a final SLA sweep at `now` marks what has run late since. The mix is what a province
/// sees: most answered in time, some slow, paused, forwarded, reopened, rejected, merged as duplicates, and some
/// never answered; offices differ in how reliably they keep their targets.
struct DemoHistory {
    let catalog: Catalog
    let intake: Intake
    let workflow: Workflow
    let start: Date
    let now: Date
    /// The triage desk of each office (demo accounts nobody can log in with).
    let desks: [String: StaffMember]
    var random: SeededRandom
    /// Where complaints are and who may see them: a stream apart from `random`, so that the histories a seed gives
    /// do not depend on it.
    private var placeRandom: SeededRandom
    /// The +1s of public complaints, drawn per complaint.
    let support: DemoSupport

    private let villages: [RegionCode]
    private let villageWeights: [Double]
    /// For each village, its kecamatan's area in `areas` (nil when the catalog has no boundary for it).
    private let villageAreas: [Int?]
    private let areas: [DemoArea]
    private let categories: [String]
    private let categoryWeights: [Double]
    private let officeDiligence: [String: Double]
    /// Recent complaints by category and kabupaten/kota: what a duplicate is merged into.
    private var recent: [String: Complaint] = [:]

    init(catalog: Catalog, start: Date, now: Date, desks: [String: StaffMember], seed: UInt64) {
        self.catalog = catalog
        // Demo complaints come without photo files, so no category may require one.
        self.intake = Intake(catalog: catalog.waivingPhotoRequirements())
        self.workflow = Workflow(catalog: catalog.waivingPhotoRequirements())
        self.start = start
        self.now = now
        self.desks = desks
        self.random = SeededRandom(seed: seed)
        self.placeRandom = SeededRandom(seed: seed, name: "places")
        // Villages (desa/kelurahan) of every kabupaten/kota; a kota's files three times as often per village, as
        // towns do.
        let villages = catalog.regions.values.filter { $0.level == .desa || $0.level == .kelurahan }.sorted { $0.code < $1.code }
        self.villages = villages.map(\.code)
        var total = 0.0
        self.villageWeights = villages.map { village in
            let kabupaten = RegionCode(String(village.code.rawValue.prefix(5)))
            total += catalog.regions[kabupaten]?.level == .kota ? 3 : 1
            return total
        }
        // Each kecamatan with a boundary is an area with its own recurring problem spots.
        var areas: [DemoArea] = []
        var areaOf: [RegionCode: Int] = [:]
        self.villageAreas = villages.map { village in
            guard let kecamatan = village.parent else { return nil }
            if let known = areaOf[kecamatan] { return known }
            guard let boundary = catalog.boundaries.boundary(of: kecamatan),
                let area = DemoArea(boundary, random: SeededRandom(seed: seed, name: "hotspots " + kecamatan.rawValue))
            else { return nil }
            areas.append(area)
            areaOf[kecamatan] = areas.count - 1
            return areas.count - 1
        }
        self.areas = areas
        self.support = DemoSupport(
            seed: seed, now: now, publicPlaces: Set(catalog.categories.filter(\.publicPlace).map(\.code)))
        let mix: [(String, Double)] = [
            ("jalan_rusak", 22), ("sampah", 12), ("drainase", 8), ("lampu_jalan", 8), ("banjir", 4), ("pohon_tumbang", 3),
            ("bencana_alam", 1), ("parkir_liar", 5), ("layanan_kesehatan", 6), ("sekolah_sd_smp", 4), ("sekolah_sma_smk", 2),
            ("ktp_kk", 8), ("ketertiban_umum", 5), ("bansos", 6), ("pungli", 1), ("samsat", 2), ("lainnya", 3),
        ]
        let known = mix.filter { catalog.category($0.0) != nil }
        self.categories = known.map(\.0)
        var sum = 0.0
        self.categoryWeights = known.map {
            sum += $0.1
            return sum
        }
        // Each office keeps its targets with its own reliability, fixed by the seed.
        var officeRandom = SeededRandom(seed: seed ^ 0x5EED)
        self.officeDiligence = Dictionary(
            uniqueKeysWithValues: catalog.opds.keys.sorted().map { ($0, officeRandom.uniform(0.55...0.97)) })
    }

    // MARK: - Filing

    /// When `count` complaints are filed over the period, in order: more by day than by night, more on working days.
    mutating func filingTimes(count: Int) -> [Date] {
        (0..<count).map { _ in self.filingTime() }.sorted()
    }

    /// A complaint filed at `filedAt`.
    mutating func filing(at filedAt: Date) -> Filing? {
        let category = self.categories[self.random.weighted(self.categoryWeights)]
        let village = self.random.weighted(self.villageWeights)
        let region = self.villages[village]
        let named = self.random.chance(0.7)
        // Most reports carry the phone's location, within the village's kecamatan (the region stays the village).
        let point =
            self.placeRandom.chance(0.85)
            ? self.villageAreas[village].flatMap { self.areas[$0].place(for: category, &self.placeRandom) } : nil
        let input = SubmissionInput(
            category: category, description: Self.description(category, region: self.catalog.regions[region]?.name ?? "",
                                                                 variant: Int(self.random.next() % 4)),
            region: region.rawValue, location: point.map { (lat: $0.lat, lng: $0.lng) }, address: nil,
            reporterName: named ? Self.names[Int(self.random.next() % UInt64(Self.names.count))] : nil,
            reporterPhone: named && self.random.chance(0.8) ? "08\(1_200_000_000 + self.random.next() % 800_000_000)" : nil,
            visibility: self.placeRandom.chance(self.publicShare(category)) ? "public" : "private",
            anonymous: !named && self.random.chance(0.5))
        guard case .success(let filing) = self.intake.file(input, now: filedAt) else { return nil }
        return filing
    }

    /// How often reporters make a complaint of the category public: about a third overall, more for a public place
    /// (a road, a drain), few for what concerns their own papers or money, or an accusation.
    private func publicShare(_ category: String) -> Double {
        switch category {
        case "pungli", "bansos", "ktp_kk": 0.05
        case _ where self.catalog.category(category)?.publicPlace == true: 0.45
        default: 0.25
        }
    }

    private mutating func filingTime() -> Date {
        let calendar = self.catalog.calendar
        while true {
            // Volume grows by a third over the period, as a new channel's does.
            let span = self.now.timeIntervalSince(self.start)
            let u = self.random.uniform(0...1)
            let instant = self.start.addingTimeInterval(span * (sqrt(1 + u * (pow(4.0 / 3, 2) - 1)) - 1) / (4.0 / 3 - 1))
            let (day, minute) = calendar.local(instant)
            let daytime = (7 * 60..<21 * 60).contains(minute)
            let keep = (calendar.isWorkingDay(day) ? 1.0 : 0.6) * (daytime ? 1.0 : 0.15)
            if self.random.chance(keep) { return instant }
        }
    }

    // MARK: - History

    /// The transitions of one complaint's life from filing to `now`.
    mutating func history(of filed: Complaint) -> [Transition] {
        var complaint = filed
        var transitions: [Transition] = []
        var clock = complaint.createdAt
        let diligence = self.officeDiligence[complaint.opd] ?? 0.8
        let key = complaint.category + "@" + String(complaint.region.rawValue.prefix(5))
        defer {
            if complaint.status != .duplicate && complaint.status != .rejected { self.recent[key] = complaint }
        }

        // Staff act on working days, 08:00-16:00 WIB; nothing happens after `now`.
        func step(_ at: Date, staff: Bool = true, _ act: (Date) throws -> Transition) -> Bool {
            let when = max(staff ? self.officeHours(at) : at, clock.addingTimeInterval(60))
            guard when < self.now, let transition = try? act(when) else { return false }
            complaint.state = transition.state
            transitions.append(transition)
            clock = when
            return true
        }
        func desk() -> StaffMember { self.desks[complaint.opd]! }
        /// A moment before (kept) or after (missed) a deadline, counted from `from`.
        func timing(_ due: Date, from: Date, kept: Bool) -> Date {
            let window = max(due.timeIntervalSince(from), 3_600)
            return kept ? from.addingTimeInterval(window * self.random.uniform(0.05...0.9))
                : due.addingTimeInterval(86_400 * self.random.uniform(0.3...(self.random.chance(0.2) ? 40 : 8)))
        }

        let fate = self.random.uniform(0...1)
        if fate < 0.04 {
            // Never answered: the sweep at the end marks the breaches.
        } else if fate < 0.09 {
            let at = timing(complaint.responseDueAt, from: clock, kept: self.random.chance(diligence))
            _ = step(at) { try self.workflow.apply(.reject(reason: "Bukan kewenangan pemerintah daerah; silakan hubungi pengelola setempat."),
                                                     by: desk(), to: complaint, mergeTarget: nil, now: $0) }
        } else if fate < 0.12, let target = self.recent[key], target.opd == complaint.opd {
            let at = timing(complaint.responseDueAt, from: clock, kept: self.random.chance(diligence))
            _ = step(at) { try self.workflow.apply(.merge(into: target.ticket, note: "Laporan yang sama sudah ditangani."),
                                                     by: desk(), to: complaint, mergeTarget: target, now: $0) }
        } else {
            if fate < 0.18 {
                // Sent to the wrong desk first: forwarded within the office's province or kabupaten/kota, or, for a
                // road that turns out to be the province's, from the kabupaten/kota's office to the province's.
                let siblings = self.catalog.opds.values.filter {
                    $0.code != complaint.opd && ($0.region == self.catalog.opds[complaint.opd]?.region) && self.desks[$0.code] != nil
                }.map(\.code).sorted()
                let province = self.catalog.provincialOffice(for: complaint.category).map(\.code)
                    .flatMap { $0 != complaint.opd && self.desks[$0] != nil ? $0 : nil }
                let upward = province != nil && self.random.chance(0.6)
                if let to = upward ? province : siblings.isEmpty ? nil : siblings[Int(self.random.next() % UInt64(siblings.count))] {
                    let at = clock.addingTimeInterval(86_400 * self.random.uniform(0.05...1.5))
                    guard step(at, { try self.workflow.apply(.forward(to: to, note: "Bukan bidang kami; mohon ditindaklanjuti."),
                                                             by: desk(), to: complaint, mergeTarget: nil, now: $0) })
                    else { return self.finish(&complaint, transitions) }
                }
            }
            let onTime = self.random.chance(self.officeDiligence[complaint.opd] ?? diligence)
            guard step(timing(complaint.responseDueAt, from: clock, kept: onTime), {
                try self.workflow.apply(.accept(note: nil), by: desk(), to: complaint, mergeTarget: nil, now: $0)
            }) else { return self.finish(&complaint, transitions) }
            if self.random.chance(0.10) {
                guard step(clock.addingTimeInterval(3_600 * self.random.uniform(1...30)), {
                    try self.workflow.apply(.askInfo(question: "Mohon kirim titik lokasi yang lebih tepat dan foto terbaru."),
                                            by: desk(), to: complaint, mergeTarget: nil, now: $0)
                }) else { return self.finish(&complaint, transitions) }
                // Some reporters never answer: the complaint stays paused.
                guard self.random.chance(0.85), step(clock.addingTimeInterval(86_400 * self.random.uniform(0.2...6)), staff: false, {
                    try self.workflow.apply(.reply(text: "Lokasinya di depan balai desa, foto sudah saya kirim ulang."), to: complaint, now: $0)
                }) else { return self.finish(&complaint, transitions) }
            }
            // Some are accepted and then left.
            guard self.random.chance(0.97) else { return self.finish(&complaint, transitions) }
            var kept = self.random.chance(self.officeDiligence[complaint.opd] ?? diligence)
            for round in 0..<2 {
                guard step(timing(complaint.resolutionDueAt, from: clock, kept: kept), {
                    try self.workflow.apply(.resolve(note: "Sudah ditangani oleh petugas di lapangan."), by: desk(), to: complaint,
                                            mergeTarget: nil, now: $0)
                }) else { return self.finish(&complaint, transitions) }
                let reply = self.random.uniform(0...1)
                if round == 0 && reply < 0.05 {
                    guard step(clock.addingTimeInterval(86_400 * self.random.uniform(0.2...6)), staff: false, {
                        try self.workflow.apply(.reopen(reason: "Belum selesai, kondisinya masih sama."), to: complaint, now: $0)
                    }) else { return self.finish(&complaint, transitions) }
                    kept = self.random.chance(diligence)
                    continue
                }
                if reply < 0.5 {
                    let late = complaint.state.resolvedAt.map { $0 > complaint.resolutionDueAt } ?? false
                    let rating = late ? Int(self.random.next() % 3) + 2 : Int(self.random.next() % 3) + 3
                    _ = step(clock.addingTimeInterval(86_400 * self.random.uniform(0.1...6)), staff: false) {
                        try self.workflow.apply(.confirm(rating: rating, comment: nil), to: complaint, now: $0)
                    }
                }
                break
            }
        }
        return self.finish(&complaint, transitions)
    }

    /// The SLA monitor's pass at `now`: breaches of what was left running, and resolutions closed unanswered.
    private func finish(_ complaint: inout Complaint, _ transitions: [Transition]) -> [Transition] {
        guard let sweep = self.workflow.sweep(complaint, now: self.now) else { return transitions }
        complaint.state = sweep.state
        return transitions + [sweep]
    }

    /// The next moment within office hours (08:00-16:00 WIB on a working day) at or after `instant`.
    private mutating func officeHours(_ instant: Date) -> Date {
        let calendar = self.catalog.calendar
        let (day, minute) = calendar.local(instant)
        if calendar.isWorkingDay(day) && (8 * 60..<16 * 60).contains(minute) { return instant }
        let next = calendar.nextWorkingDay(onOrAfter: minute < 8 * 60 ? day : day.adding(days: 1))
        return calendar.instant(next, minute: 8 * 60 + Int(self.random.next() % 420))
    }

    // MARK: - Text

    static let names = [
        "Budi Santoso", "Siti Aminah", "Agus Pratama", "Dewi Lestari", "Rizky Ramadhan", "Nur Hasanah", "Andi Saputra",
        "Fitri Handayani", "Joko Susilo", "Yuni Astuti", "Hendra Wijaya", "Ratna Sari", "Made Sudarsana", "Wayan Arta",
    ]

    static func description(_ category: String, region: String, variant: Int) -> String {
        let place = region.isEmpty ? "lingkungan kami" : region
        let texts: [String: [String]] = [
            "jalan_rusak": ["Jalan berlubang besar di \(place), sudah dua motor jatuh minggu ini.",
                            "Aspal jalan utama \(place) mengelupas sepanjang kurang lebih 200 meter."],
            "sampah": ["Sampah menumpuk di TPS \(place) sudah lebih dari seminggu tidak diangkut.",
                       "Tumpukan sampah di pinggir jalan \(place) berbau dan menghalangi saluran."],
            "drainase": ["Saluran air di \(place) tersumbat, air meluap ke jalan setiap hujan."],
            "lampu_jalan": ["Lampu jalan di \(place) mati sejak dua minggu, jalan gelap dan rawan."],
            "banjir": ["Banjir setinggi lutut di \(place) sejak subuh, warga butuh bantuan."],
            "pohon_tumbang": ["Pohon tumbang menutup jalan di \(place), kendaraan tidak bisa lewat."],
            "bencana_alam": ["Tanah longsor di \(place) menimpa dua rumah warga."],
            "parkir_liar": ["Parkir liar di depan pasar \(place) membuat macet setiap pagi."],
            "layanan_kesehatan": ["Antrean di puskesmas \(place) sangat lama dan dokter tidak ada di tempat."],
            "sekolah_sd_smp": ["Atap ruang kelas SD di \(place) bocor dan plafon hampir runtuh."],
            "sekolah_sma_smk": ["Pungutan seragam di SMA dekat \(place) memberatkan orang tua murid."],
            "ktp_kk": ["KTP elektronik saya belum jadi sejak tiga bulan, sudah bolak-balik ke kantor di \(place)."],
            "ketertiban_umum": ["Pedagang memakai trotoar di \(place) sehingga pejalan kaki turun ke jalan."],
            "bansos": ["Keluarga kami terdaftar penerima bansos di \(place) tetapi bantuan tidak pernah diterima."],
            "pungli": ["Ada permintaan uang tanpa kuitansi saat mengurus surat di \(place)."],
            "samsat": ["Pembayaran pajak kendaraan di Samsat keliling \(place) ditolak tanpa penjelasan."],
            "lainnya": ["Mohon perhatian pemerintah untuk masalah di \(place) yang belum tertangani."],
        ]
        let options = texts[category] ?? texts["lainnya"]!
        return options[variant % options.count]
    }
}
