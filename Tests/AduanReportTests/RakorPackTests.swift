import AduanCore
import AduanReport
import AduanStore
import Foundation
import Testing

/// Hand-placed complaints of the third quarter of 2026 (and one of the second, for trends), and the issues the rakor
/// pack must find in them, worked out in the comments. The pack is taken on 5 Oct 2026, so the period is over and
/// "at the end" means 1 Oct 2026 00:00 WIB. jalan_rusak: resolution due in 10 working days; sampah: 3; schools: 14.
@Suite("The rakor pack on a hand-placed quarter")
struct RakorPackTests {
    /// Kedaton (Bandar Lampung, 18.71.01): a point and points so many metres east of it.
    static let spot = (lat: -5.391116, lng: 105.259692)
    static func east(_ metres: Double) -> (lat: Double?, lng: Double?) {
        (spot.lat, spot.lng + metres / (111_320 * cos(spot.lat * .pi / 180)))
    }

    func file(_ f: Fixture, _ category: String, at local: String, place: (lat: Double?, lng: Double?)? = nil, region: String? = nil)
        async throws -> Complaint
    {
        let filing = try Intake(catalog: catalog).file(
            SubmissionInput(category: category, description: "Keluhan warga tentang \(category) di sini.", region: region, location: place),
            now: wib(local)
        ).get()
        guard case .created(let complaint) = try await f.store.file(filing) else { throw FixtureFailure() }
        return complaint
    }

    func quarter(store: Store? = nil) async throws -> Fixture {
        let f = try await Fixture(store: store)
        // Q2: one road complaint 80 m east of the spot, resolved in June: the hotspot's "before".
        let q = try await self.file(f, "jalan_rusak", at: "2026-06-02T10:00", place: Self.east(80))
        try await f.act(.accept(note: nil), on: q, at: "2026-06-02T11:00")
        try await f.act(.resolve(note: "Ditambal."), on: q, at: "2026-06-05T10:00")

        // H1, a road hotspot: A1-A4 at 0, 50, 100 and 150 m east (centre 75 m east; Q at 80 m is within 300 m).
        // A1 resolved in time; A2 resolved, then reopened by its reporter; A3 and A4 never answered. At the end:
        // open A2, A3, A4 (3), overdue the same three (due in July), reopened A2 (1). A duplicate of A2 at the spot
        // is merged: not counted itself, its reporter's +1 carried to A2 (support 1). Score
        // (4 + 1/5) × (1 + 3/4) × (1 + 1/4) × (1 + min(1, (4 − 1)/1)) = 18.375, printed 18.4.
        let a1 = try await self.file(f, "jalan_rusak", at: "2026-07-06T10:00", place: Self.east(0))
        try await f.act(.accept(note: nil), on: a1, at: "2026-07-06T11:00")
        try await f.act(.resolve(note: "Ditambal."), on: a1, at: "2026-07-08T10:00")
        let a2 = try await self.file(f, "jalan_rusak", at: "2026-07-07T10:00", place: Self.east(50))
        try await f.act(.accept(note: nil), on: a2, at: "2026-07-07T11:00")
        try await f.act(.resolve(note: "Ditambal."), on: a2, at: "2026-07-08T10:00")
        try await f.reporter(.reopen(reason: "Lubangnya masih ada."), on: a2, at: "2026-07-09T10:00")
        _ = try await self.file(f, "jalan_rusak", at: "2026-07-08T10:00", place: Self.east(100))
        _ = try await self.file(f, "jalan_rusak", at: "2026-07-09T10:00", place: Self.east(150))
        let copy = try await self.file(f, "jalan_rusak", at: "2026-07-09T11:00", place: Self.east(50))
        try await f.act(.merge(into: a2.ticket, note: nil), on: copy, at: "2026-07-09T12:00")
        // B, 1 km east: alone, no hotspot. With A2-A4 it makes the road backlog of Bandar Lampung: 4 open at the end,
        // all overdue, one reopened, one +1, none open on 1 Jul. Score (4 + 1/5) × 2 × 1.25 × 2 = 21.
        _ = try await self.file(f, "jalan_rusak", at: "2026-07-10T10:00", place: Self.east(1000))

        // H2, rubbish with no point, three times in Kelurahan Kedaton (18.71.01.1003) in late September: a hotspot by
        // its kelurahan (3, none before, all open and overdue: 3 × 2 × 1 × 2 = 12) and the rubbish backlog (also 12).
        for day in 21...23 { _ = try await self.file(f, "sampah", at: "2026-09-\(day)T09:00", region: "18.71.01.1003") }

        // C1-C3, roads in Metro Pusat forwarded by PUPR-1872 to BMBK-18 (provincial roads): cross-level, 3 forwarded,
        // all now at the province. C1 resolved in time by BMBK-18; C2, C3 overdue: 3 × (1 + 2/3) × 1 × 2 = 10.
        for day in 3...5 {
            let c = try await self.file(f, "jalan_rusak", at: "2026-08-0\(day)T09:00", region: "18.72.01")
            let moved = try await f.act(.forward(to: "BMBK-18", note: "Jalan provinsi."), on: c, at: "2026-08-0\(day)T10:00")
            if day == 3 {
                try await f.act(.accept(note: nil), on: moved, at: "2026-08-03T11:00")
                try await f.act(.resolve(note: "Ditambal."), on: moved, at: "2026-08-06T10:00")
            }
        }

        // S, schools in Kedaton on 1 Sep: two SD/SMP (DISDIK-1871) and one SMA/SMK (DISDIKBUD-18), a split authority:
        // one cross-level issue of 3, 1 at the province and 2 at the kota, all overdue by 1 Oct: 3 × 2 × 1 × 2 = 12.
        for category in ["sekolah_sd_smp", "sekolah_sd_smp", "sekolah_sma_smk"] {
            _ = try await self.file(f, category, at: "2026-09-01T09:00", region: "18.71.01")
        }
        return f
    }

    func pack(_ f: Fixture, opd: String? = nil, desk: String? = nil, kabupatenKota: String? = nil) async throws -> RakorPack {
        try await RakorPackBuilder(catalog: catalog, store: f.store).build(
            period: RakorPeriod(quarter: "2026Q3")!, opd: opd, desk: desk, kabupatenKota: kabupatenKota, now: wib("2026-10-05T12:00"),
            generatedBy: "test")
    }

    func issue(_ pack: RakorPack, _ kind: StrategicIssue.Kind, _ category: String, _ area: String) -> StrategicIssue? {
        pack.desks.flatMap(\.issues).first { $0.kind == kind && $0.category == category && $0.area == area }
    }

    @Test("hotspots by distance and by kelurahan, with their trend, open, overdue and reopened counts and score")
    func hotspots() async throws {
        let pack = try await self.pack(try await self.quarter())
        let road = try #require(self.issue(pack, .hotspot, "jalan_rusak", "18.71"))
        let roadFigures: [Int] = [road.count, road.previous, road.open, road.overdue, road.reopened, road.support]
        #expect(roadFigures == [4, 1, 3, 3, 1, 1])
        #expect(road.score == 18.4)
        #expect(road.desk == "pu" && road.place.contains("Kedaton") && road.tickets.count == 3)
        let centre = try #require(road.latitude.flatMap { lat in road.longitude.map { (lat: lat, lng: $0) } })
        #expect(abs(centre.lng - Self.east(75).lng!) < 2e-5 && abs(centre.lat - Self.spot.lat) < 2e-5)
        // B, 1 km away, is no hotspot of its own, and the merged duplicate counts nowhere.
        let roadHotspots = pack.desks.flatMap(\.issues).filter { $0.kind == StrategicIssue.Kind.hotspot && $0.category == "jalan_rusak" }
        #expect(roadHotspots.count == 1)
        let rubbish = try #require(self.issue(pack, .hotspot, "sampah", "18.71"))
        let rubbishFigures: [Int] = [rubbish.count, rubbish.previous, rubbish.open, rubbish.overdue]
        #expect(rubbishFigures == [3, 0, 3, 3] && rubbish.score == 12)
        #expect(rubbish.latitude == nil && rubbish.place == "Kel. Kedaton, Kec. Kedaton")
        #expect(pack.areas.first { $0.code == "18.71" }?.hotspots == 2)
    }

    @Test("persistent backlogs: open at the period's end and overdue, with their median age")
    func backlogs() async throws {
        let pack = try await self.pack(try await self.quarter())
        let road = try #require(self.issue(pack, .backlog, "jalan_rusak", "18.71"))
        let backlogFigures: [Int] = [road.count, road.previous, road.overdue, road.reopened]
        #expect(backlogFigures == [4, 0, 4, 1] && road.support == 1 && road.score == 21)
        // Ages at 1 Oct 00:00 of A2, A3, A4 and B, filed 7-10 Jul at 10:00: 85.6, 84.6, 83.6 and 82.6 days.
        #expect(road.medianOpenDays == 84.1)
        // Metro's roads: two open, under the threshold of three.
        #expect(self.issue(pack, .backlog, "jalan_rusak", "18.72") == nil)
        #expect(self.issue(pack, .backlog, "sampah", "18.71")?.score == 12)
    }

    @Test("cross-level issues: forwards between the levels, and a split authority of two categories")
    func crossLevel() async throws {
        let pack = try await self.pack(try await self.quarter())
        let forwarded = try #require(self.issue(pack, .crossLevel, "jalan_rusak", "18.72"))
        let forwardFigures: [Int?] = [forwarded.count, forwarded.forwardedAcrossLevels, forwarded.atProvince, forwarded.atKabupatenKota]
        #expect(forwardFigures == [3, 3, 3, 0])
        #expect(forwarded.overdue == 2 && forwarded.score == 10)
        #expect(forwarded.provinceOffices.first == "BMBK-18" && forwarded.kabupatenKotaOffices.first == "PUPR-1872")
        let schools = try #require(self.issue(pack, .crossLevel, "sekolah_sd_smp+sekolah_sma_smk", "18.71"))
        let schoolFigures: [Int?] = [schools.count, schools.atProvince, schools.atKabupatenKota, schools.forwardedAcrossLevels]
        #expect(schoolFigures == [3, 1, 2, 0] && schools.score == 12)
        #expect(
            schools.desk == "pendidikan" && schools.provinceOffices == ["DISDIKBUD-18"] && schools.kabupatenKotaOffices == ["DISDIK-1871"])
        // Bandar Lampung's roads were never forwarded: no cross-level issue there.
        #expect(self.issue(pack, .crossLevel, "jalan_rusak", "18.71") == nil)
    }

    @Test("ranking by score, draft points of agreement per desk, and the areas on the maps")
    func rankingAndAgreements() async throws {
        let pack = try await self.pack(try await self.quarter())
        let pu = try #require(pack.desks.first { $0.code == "pu" })
        #expect(pu.issues.map(\.score) == [21, 18.4, 10])
        #expect(pu.agreements.map(\.number) == [1, 2, 3] && pu.agreements[0].issue.kind == .backlog)
        #expect(pu.agreements[1].evidence.contains("4 aduan jalan rusak (periode sebelumnya: 1)"))
        // Roads filed in Q3: A1-A4 and B in Bandar Lampung, C1-C3 in Metro; Q in Q2.
        #expect(pu.received == 8 && pu.previousReceived == 1)
        #expect(pack.topIssues.first?.score == 21 && pack.topIssues.count == 6)
        let kota = try #require(pack.areas.first { $0.code == "18.71" })
        // Filed in Q3 in Bandar Lampung: A1-A4, B, three rubbish, three schools (the duplicate not counted).
        #expect(kota.received == 11 && kota.population == 1_077_664)
        // Settled in Q3: A1 (in time); A2 was settled and reopened, so it is open at the end.
        #expect(kota.settled == 1 && kota.settledInTime == 1)
        #expect(pack.period == "2026-07/2026-09" && pack.previousPeriod == "2026-04/2026-06" && !pack.provisional)
    }

    @Test("scoping: one office's pack, one desk, one kabupaten/kota")
    func scoping() async throws {
        let f = try await self.quarter()
        // PUPR-1872 forwarded Metro's roads to the province: they stay in its pack as cross-level issues.
        let metro = try await self.pack(f, opd: "PUPR-1872")
        #expect(metro.scope.code == "PUPR-1872" && metro.desks.flatMap(\.issues).map(\.kind) == [.crossLevel])
        let pupr = try await self.pack(f, opd: "PUPR-1871")
        #expect(pupr.desks.flatMap(\.issues).allSatisfy { $0.category == "jalan_rusak" && $0.area == "18.71" })
        let desk = try await self.pack(f, desk: "pendidikan")
        #expect(desk.desks.map(\.code) == ["pendidikan"] && desk.topIssues.count == 1)
        let area = try await self.pack(f, kabupatenKota: "18.72")
        #expect(area.areas.map(\.code) == ["18.72"] && area.desks.flatMap(\.issues).allSatisfy { $0.area == "18.72" })
        await #expect(throws: RakorError.unknownDesk("jalan")) { try await self.pack(f, desk: "jalan") }
        await #expect(throws: RakorError.unknownKabupatenKota("18.99")) { try await self.pack(f, kabupatenKota: "18.99") }
    }

    @Test("kept in versions; every format renders, the HTML with its maps and one page per desk")
    func versionsAndFormats() async throws {
        let f = try await self.quarter()
        let packs = RakorPacks(catalog: catalog, store: f.store)
        let period = RakorPeriod(quarter: "2026Q3")!
        let first = try await packs.generate(
            period: period, opd: nil, desk: nil, kabupatenKota: nil, now: wib("2026-10-05T12:00"), generatedBy: "a")
        let second = try await packs.generate(
            period: period, opd: nil, desk: nil, kabupatenKota: nil, now: wib("2026-10-06T12:00"), generatedBy: "b")
        #expect(first.version == 1 && second.version == 2)
        let kept = try await packs.kept(period: period, opd: nil, desk: nil, kabupatenKota: nil, version: 1)
        #expect(kept == first)
        let html = try ReportFormat.html.render(first, catalog: catalog)
        #expect(html.components(separatedBy: "<svg").count - 1 == 2 && html.contains("Desk Pekerjaan Umum dan Penataan Ruang"))
        #expect(html.components(separatedBy: "<section class=\"new-page\">").count - 1 == catalog.rakor.desks.count)
        #expect(html.contains("Rancangan butir kesepakatan") && html.contains("Target yang disepakati") && !html.contains("<script"))
        let csv = try ReportFormat.csv.render(first, catalog: catalog)
        #expect(csv.split(separator: "\r\n").count == 1 + first.desks.flatMap(\.issues).count + first.areas.count)
        let md = try ReportFormat.md.render(first, catalog: catalog)
        #expect(md.contains("## Desk Pendidikan") && md.contains("skor = (aduan"))
        #expect(try RakorJSON.decode(try ReportFormat.json.render(first, catalog: catalog)) == first)
    }

    @Test("periods: quarters, spans of months and the last full quarter")
    func periods() {
        #expect(RakorPeriod(quarter: "2026Q3")?.description == "2026-07/2026-09")
        #expect(RakorPeriod(quarter: "2026q1")?.previous.description == "2025-10/2025-12")
        #expect(RakorPeriod(quarter: "2026Q5") == nil && RakorPeriod(quarter: "26Q1") == nil)
        #expect(RakorPeriod.lastFullQuarter(before: LocalDate(year: 2026, month: 12, day: 6)!).description == "2026-07/2026-09")
        #expect(RakorPeriod.lastFullQuarter(before: LocalDate(year: 2027, month: 1, day: 2)!).description == "2026-10/2026-12")
        #expect(RakorPeriod(quarter: "2026Q3")?.nameID == "Triwulan III 2026")
        #expect(RakorPeriod(first: ReportMonth("2026-09")!, last: ReportMonth("2026-07")!) == nil)
    }
}
