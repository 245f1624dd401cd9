import AduanBundledCatalog
import AduanCore
import AduanReport
import AduanStore
import Foundation

/// Roads (`jalan_rusak`) are filed and resolved without photo files here: the report's counting is the subject.
let catalog = try! CatalogLoader.bundled().waivingPhotoRequirements()

struct FixtureFailure: Error {}

/// A temporary database file path (the directory is removed with the machine's temp files).
func temporaryDatabasePath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("aduan-report-\(UUID().uuidString)/aduan.sqlite").path
}

/// A WIB wall-clock time, e.g. `wib("2026-10-01T09:00")`.
func wib(_ local: String) -> Date {
    guard let date = ISO8601DateFormatter().date(from: local + ":00+07:00") else { fatalError("bad test date \(local)") }
    return date
}

/// Files complaints and works them through the real intake and workflow at chosen WIB times, on a real SQLite file.
/// Steps go in time order, as they happen in service (the monthly counters count each change when it is stored), and
/// the SLA monitor sweeps before each, as it would have done by then.
struct Fixture {
    let store: Store
    let workflow = Workflow(catalog: catalog)
    var staff: [String: StaffMember] = [:]

    static let kedaton = "18.71.01"
    static let metroPusat = "18.72.01"

    /// On a new SQLite file, or on `store` (another engine's).
    init(store: Store? = nil) async throws {
        self.store = try store ?? Store.open(path: temporaryDatabasePath())
        for opd in ["DLH-1871", "PUPR-1871", "BMBK-18", "DLH-1872", "PUPR-1872"] {
            self.staff[opd] = try await self.store.addStaff(
                name: "Meja \(opd)", role: .triage, opd: opd, tokenHash: Secrets.sha256Hex(UUID().uuidString), now: wib("2026-07-01T08:00"))
        }
    }

    /// The SLA monitor's pass at `now`: the deadlines passed by then are marked (and counted) as they would have been.
    func sweep(_ now: Date) async throws {
        let workflow = self.workflow
        _ = try await self.store.sweep(now: now, closeResolvedBefore: now.addingTimeInterval(-Workflow.confirmationWindow)) {
            workflow.sweep($0, now: now)
        }
    }

    func file(_ category: String, in region: String, at local: String) async throws -> Complaint {
        try await self.sweep(wib(local))
        let filing = try Intake(catalog: catalog).file(
            SubmissionInput(category: category, description: "Keluhan warga tentang \(category) di sini.", region: region),
            now: wib(local)
        ).get()
        guard case .created(let complaint) = try await self.store.file(filing) else { throw FixtureFailure() }
        return complaint
    }

    /// A staff command by the desk of the complaint's current office, or by `member`.
    @discardableResult
    func act(_ command: StaffCommand, on complaint: Complaint, at local: String, by member: StaffMember? = nil) async throws -> Complaint {
        let now = wib(local)
        try await self.sweep(now)
        let workflow = self.workflow
        let staff = self.staff
        guard
            let updated = try await self.store.update(
                ticket: complaint.ticket,
                { current, lookup in
                    var target: Complaint?
                    if case .merge(let into, _) = command { target = try lookup(into) }
                    return try workflow.apply(command, by: member ?? staff[current.opd]!, to: current, mergeTarget: target, now: now)
                })
        else { throw FixtureFailure() }
        return updated
    }

    @discardableResult
    func reporter(_ command: CitizenCommand, on complaint: Complaint, at local: String) async throws -> Complaint {
        let now = wib(local)
        try await self.sweep(now)
        let workflow = self.workflow
        guard
            let updated = try await self.store.update(
                ticket: complaint.ticket,
                { current, _ in
                    try workflow.apply(command, to: current, now: now)
                })
        else { throw FixtureFailure() }
        return updated
    }

    func report(_ month: String, opd: String? = nil, at local: String = "2026-11-20T12:00") async throws -> MonthlyReport {
        try await self.sweep(wib(local))
        return try await MonthlyReportBuilder(catalog: catalog, store: self.store).build(
            month: month, opd: opd, now: wib(local), generatedBy: "test")
    }

    /// The October 2026 story of the report tests (Lampung has no holidays from September to November 2026; 17 and
    /// 25 August are). sampah: response 1 working day, resolution 3; jalan_rusak: 1 and 10. A working-day deadline
    /// is at 16:00 WIB of the n-th working day after the day received. Working time counts whole days (24 h). The
    /// steps are in time order; each complaint's story is told where it starts.
    static func october(store: Store? = nil) async throws -> Fixture {
        let f = try await Fixture(store: store)
        // I, PUPR-1872: filed Mon 3 Aug 09:00, never answered: response due Tue 4 Aug 16:00, resolution due Tue 18 Aug
        // 16:00 (17 Aug is a holiday): both missed in August. At the end of September 58 days old, at the end of
        // October 89 days old and overdue by 61.33 working days.
        _ = try await f.file("jalan_rusak", in: metroPusat, at: "2026-08-03T09:00")

        // K, DLH-1871: filed Tue 15 Sep 09:00, accepted Wed 16 Sep 10:00 after 25 h (1.04), in time; resolved Mon 21
        // Sep 10:00 after its deadline (Fri 18 Sep 16:00), after 97 h (4.04); rated 2.
        let k = try await f.file("sampah", in: kedaton, at: "2026-09-15T09:00")
        try await f.act(.accept(note: nil), on: k, at: "2026-09-16T10:00")
        try await f.act(.resolve(note: "Sudah diangkut."), on: k, at: "2026-09-21T10:00")
        try await f.reporter(.confirm(rating: 2, comment: nil), on: k, at: "2026-09-22T08:00")

        // F, DLH-1871: filed Mon 28 Sep 09:00, accepted after 1 h (0.04), resolved Wed 30 Sep 10:00 in time (due Thu 1
        // Oct 16:00): a September resolution. Reopened by the reporter Fri 2 Oct 10:00 (new resolution deadline Wed 7
        // Oct 16:00), resolved again Tue 6 Oct 10:00 after 15 + 4 * 24 + 24 + 10 = 145 h (6.04), in time, rated 3. At
        // the end of September it was settled, not open.
        let fc = try await f.file("sampah", in: kedaton, at: "2026-09-28T09:00")
        try await f.act(.accept(note: nil), on: fc, at: "2026-09-28T10:00")
        try await f.act(.resolve(note: "Sudah diangkut."), on: fc, at: "2026-09-30T10:00")

        // A, DLH-1871: filed Thu 1 Oct 09:00; response due Fri 2 Oct 16:00, resolution due Tue 6 Oct 16:00.
        // Accepted after 4 h (0.17); resolved Mon 5 Oct 10:00 after 15 + 24 + 10 = 49 h (2.04); rated 5.
        let a = try await f.file("sampah", in: kedaton, at: "2026-10-01T09:00")
        // E, filed Thu 1 Oct 10:00 with PUPR-1871 (received there), forwarded at 14:00 to BMBK-18 (a forward for
        // PUPR-1871), accepted by BMBK-18 Fri 2 Oct 09:00 after 14 + 9 = 23 h (0.96), in time (due 2 Oct 16:00);
        // resolved Mon 19 Oct 10:00, after its deadline (Thu 15 Oct 16:00), after 14 + 24 + 5 * 24 + 5 * 24 + 10 =
        // 288 h (12.0).
        let e = try await f.file("jalan_rusak", in: kedaton, at: "2026-10-01T10:00")
        // G, a duplicate of A filed at 11:00 and merged at 12:00: received, answered (a merge answers) after 1 h
        // (0.04), and merged; it has nothing to resolve.
        let g = try await f.file("sampah", in: kedaton, at: "2026-10-01T11:00")
        try await f.act(.merge(into: a.ticket, note: nil), on: g, at: "2026-10-01T12:00")
        try await f.act(.accept(note: nil), on: a, at: "2026-10-01T13:00")
        try await f.act(.forward(to: "BMBK-18", note: "Jalan provinsi."), on: e, at: "2026-10-01T14:00")
        try await f.act(.accept(note: nil), on: e, at: "2026-10-02T09:00")
        try await f.reporter(.reopen(reason: "Masih menumpuk."), on: fc, at: "2026-10-02T10:00")
        try await f.act(.resolve(note: "Sampah sudah diangkut."), on: a, at: "2026-10-05T10:00")
        try await f.reporter(.confirm(rating: 5, comment: nil), on: a, at: "2026-10-06T08:00")
        try await f.act(.resolve(note: "Sudah diangkut semua."), on: fc, at: "2026-10-06T10:00")
        try await f.reporter(.confirm(rating: 3, comment: nil), on: fc, at: "2026-10-07T08:00")

        // H, DLH-1872: filed Wed 14 Oct 09:00, rejected at 15:00 (a response after 6 h, 0.25; nothing to resolve).
        let h = try await f.file("sampah", in: metroPusat, at: "2026-10-14T09:00")
        try await f.act(.reject(reason: "Lokasi di luar wilayah layanan."), on: h, at: "2026-10-14T15:00")

        // D, DLH-1872 (Metro): filed Mon 19 Oct 09:00, accepted after 2 h (0.08), waiting for the reporter since Wed 21
        // Oct 09:00, before its resolution deadline (Thu 22 Oct 16:00): not due, not overdue; 12 days old at month end.
        let d = try await f.file("sampah", in: metroPusat, at: "2026-10-19T09:00")
        try await f.act(.resolve(note: "Sudah ditambal."), on: e, at: "2026-10-19T10:00")
        try await f.act(.accept(note: nil), on: d, at: "2026-10-19T11:00")
        try await f.act(.askInfo(question: "Mohon foto lokasinya."), on: d, at: "2026-10-21T09:00")

        // B, PUPR-1871: filed Mon 26 Oct 10:00, never answered. Response due Tue 27 Oct 16:00 (a miss), resolution due
        // Mon 9 Nov. At month end 5 days old and overdue by 8 + 72 = 80 h (3.33 working days).
        _ = try await f.file("jalan_rusak", in: kedaton, at: "2026-10-26T10:00")

        // C, DLH-1871: filed Tue 27 Oct 09:00, accepted after 1 h (0.04), paused Wed 28 Oct 09:00 to Mon 2 Nov 09:00
        // (15 + 24 + 24 + 9 = 72 h): its resolution deadline (Fri 30 Oct 16:00, 55 h away at the pause) moves to Wed
        // 4 Nov 16:00, so it is not due in October. Open, 4 days old and not overdue at month end. Resolved Tue 3 Nov
        // 10:00 after 121 h counted - 72 h paused = 49 h (2.04).
        let c = try await f.file("sampah", in: kedaton, at: "2026-10-27T09:00")
        try await f.act(.accept(note: nil), on: c, at: "2026-10-27T10:00")
        try await f.act(.askInfo(question: "Di RT berapa?"), on: c, at: "2026-10-28T09:00")
        try await f.reporter(.reply(text: "RT 03, depan masjid."), on: c, at: "2026-11-02T09:00")
        try await f.act(.resolve(note: "Sudah diangkut."), on: c, at: "2026-11-03T10:00")
        return f
    }
}
