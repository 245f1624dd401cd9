import AduanCore
import AduanReport
import AduanStore
import Foundation
import Testing

@Suite("Monthly report: resolutions' evidence per office")
struct EvidenceReportTests {
    /// An after-photo with chosen facts; the report counts what the checks made of it, not its files.
    static func photo(_ sha: Character, taken local: String?, at point: GeoPoint?) -> ProcessedPhoto {
        let name = String(repeating: sha, count: 64)
        return ProcessedPhoto(
            format: .jpeg, originalSHA256: name, originalBytes: 1000, publicSHA256: name, thumbnailSHA256: name, width: 640,
            height: 480, takenAt: local.map(wib), location: point, perceptualHash: UInt64(sha.asciiValue!) * 0x0101_0101_0101_0101)
    }

    static let supervisor = StaffMember(id: 99, name: "Biro Pemerintahan", role: .supervisor, opd: nil, createdAt: wib("2026-07-01T08:00"), revokedAt: nil)

    @Test("clean, flagged and rejected resolutions are counted in the month they happened, for the office handling them")
    func evidenceCounts() async throws {
        let f = try await Fixture()
        let nearby = GeoPoint(lat: -5.37, lng: 105.24)
        // Three sampah complaints with DLH-1871, filed 1 October and accepted.
        var complaints: [Complaint] = []
        for hour in ["09", "10", "11"] {
            let complaint = try await f.file("sampah", in: Fixture.kedaton, at: "2026-10-01T\(hour):00")
            complaints.append(try await f.act(.accept(note: nil), on: complaint, at: "2026-10-01T13:00"))
        }
        // A: resolved with a photo taken after filing, without GPS: clean (no_location does not hold it).
        try await f.act(.resolve(note: "Diangkut.", photos: [Self.photo("a", taken: "2026-10-02T08:00", at: nil)]), on: complaints[0], at: "2026-10-02T09:00")
        // B: a photo taken before the complaint: flagged, then validated.
        let b = try await f.act(
            .resolve(note: "Diangkut.", photos: [Self.photo("b", taken: "2026-09-20T08:00", at: nearby)]), on: complaints[1], at: "2026-10-02T09:00")
        #expect(b.state.awaitsValidation)
        try await f.act(.validate(note: nil), on: b, at: "2026-10-05T09:00", by: Self.supervisor)
        // C: flagged, rejected in October, then resolved without photos (counted only as resolved).
        let c = try await f.act(
            .resolve(note: "Diangkut.", photos: [Self.photo("c", taken: nil, at: nil), Self.photo("d", taken: "2026-09-01T08:00", at: nil)]),
            on: complaints[2], at: "2026-10-02T09:00")
        let back = try await f.act(.rejectResolution(reason: "Foto lama."), on: c, at: "2026-10-06T09:00", by: Self.supervisor)
        #expect(back.status == .inProgress && back.state.rejectedResolutions == 1)
        try await f.act(.resolve(note: "Diangkut lagi."), on: back, at: "2026-11-02T09:00")

        let report = try await f.report("2026-10")
        let office = try #require(report.byOPD.first { $0.code == "DLH-1871" }?.current)
        #expect((office.evidenceClean, office.evidenceFlagged, office.resolutionsRejected) == (1, 2, 1))
        #expect((report.total.current.evidenceClean, report.total.current.evidenceFlagged, report.total.current.resolutionsRejected) == (1, 2, 1))
        let november = try await f.report("2026-11", at: "2026-11-20T12:00")
        #expect((november.total.current.evidenceClean, november.total.current.evidenceFlagged) == (0, 0))
        // Rendered: the CSV has the columns, the text the rows and the definition.
        #expect(ReportCSV.render(report).split(separator: "\r\n")[0].contains(",bukti_bersih,bukti_ditandai,penyelesaian_ditolak,"))
        #expect(ReportText.definitions.contains { $0.term == "Bukti foto" })
    }
}
