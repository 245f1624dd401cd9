import AduanCore
import AduanReport
import Foundation
import GRDB
import Testing

@testable import AduanStore

/// The monthly counters written change by change must equal a replay of the stored history: that is what the
/// migration backfills from, and what makes the counters trustworthy.
@Suite("Monthly counters: what the changes wrote equals a replay of the history")
struct CounterReplayTests {
    static let supervisor = StaffMember(
        id: 99, name: "Biro Pemerintahan", role: .supervisor, opd: nil, createdAt: wib("2026-07-01T08:00"), revokedAt: nil)

    /// The October story, then cycles the counters must not lose: two reopens, a flagged resolution validated and one
    /// rejected, a breach followed by a pause, and complaints open across several month ends and forwarded meanwhile.
    static func history() async throws -> (Fixture, last: Date) {
        let f = try await Fixture.october()
        // Reopened twice: resolved in time 4 Nov, reopened 6 Nov, resolved late 19 Nov (due 11 Nov), reopened 23 Nov,
        // resolved 1 Dec.
        let twice = try await f.file("sampah", in: Fixture.kedaton, at: "2026-11-02T08:00")
        try await f.act(.accept(note: nil), on: twice, at: "2026-11-02T10:00")
        try await f.act(.resolve(note: "Diangkut."), on: twice, at: "2026-11-04T10:00")
        try await f.reporter(.reopen(reason: "Masih ada."), on: twice, at: "2026-11-06T09:00")
        // A flagged resolution validated, and one rejected then resolved again after its deadline.
        let photo = { (sha: Character, taken: String) in
            let name = String(repeating: sha, count: 64)
            return ProcessedPhoto(
                format: .jpeg, originalSHA256: name, originalBytes: 1000, publicSHA256: name, thumbnailSHA256: name, width: 640,
                height: 480,
                takenAt: wib(taken), location: nil, perceptualHash: UInt64(sha.asciiValue!) * 0x0101_0101_0101_0101)
        }
        let validated = try await f.file("sampah", in: Fixture.kedaton, at: "2026-11-09T09:00")
        let rejected = try await f.file("sampah", in: Fixture.kedaton, at: "2026-11-09T10:00")
        try await f.act(.accept(note: nil), on: validated, at: "2026-11-09T11:00")
        try await f.act(.accept(note: nil), on: rejected, at: "2026-11-09T11:30")
        let flagged = try await f.act(
            .resolve(note: "Diangkut.", photos: [photo("e", "2026-11-01T08:00")]), on: validated, at: "2026-11-10T09:00")
        let flaggedToo = try await f.act(
            .resolve(note: "Diangkut.", photos: [photo("f", "2026-11-01T08:00")]), on: rejected, at: "2026-11-10T09:30")
        try await f.act(.validate(note: nil), on: flagged, at: "2026-11-12T09:00", by: Self.supervisor)
        let back = try await f.act(.rejectResolution(reason: "Foto lama."), on: flaggedToo, at: "2026-11-13T09:00", by: Self.supervisor)
        // A breach, then a question: the deadline moves when the reporter answers, the complaint stays breached.
        let paused = try await f.file("sampah", in: Fixture.metroPusat, at: "2026-11-16T09:00")
        try await f.act(.accept(note: nil), on: paused, at: "2026-11-16T10:00")
        try await f.act(.resolve(note: "Diangkut."), on: twice, at: "2026-11-19T10:00")
        try await f.act(.resolve(note: "Diangkut lagi."), on: back, at: "2026-11-20T09:00")
        try await f.act(.askInfo(question: "Di mana tepatnya?"), on: paused, at: "2026-11-20T10:00")
        try await f.reporter(.reopen(reason: "Belum juga."), on: twice, at: "2026-11-23T09:00")
        try await f.reporter(.reply(text: "Depan pasar."), on: paused, at: "2026-11-25T09:00")
        // Open across month ends, forwarded in between.
        let roaming = try await f.file("jalan_rusak", in: Fixture.kedaton, at: "2026-11-26T09:00")
        try await f.act(.resolve(note: "Diangkut."), on: twice, at: "2026-12-01T10:00")
        try await f.act(.forward(to: "BMBK-18", note: "Jalan provinsi."), on: roaming, at: "2026-12-02T09:00")
        // A long deadline (pungli: 40 working days) that passes while nothing else happens: the next change, months
        // later, closes December, January and February at once, each against its own end.
        let slow = try await f.file("pungli", in: Fixture.kedaton, at: "2026-12-02T10:00")
        try await f.act(.accept(note: nil), on: slow, at: "2026-12-03T08:00", by: Self.supervisor)
        try await f.reporter(.confirm(rating: 4, comment: nil), on: twice, at: "2026-12-03T09:00")
        let last = wib("2027-03-02T09:00")
        try await f.sweep(last)
        return (f, last)
    }

    @Test("the counters written by each change equal a replay of the history, month ends and most overdue included")
    func replayEqualsCounters() async throws {
        let (fixture, last) = try await Self.history()
        let stored = try await fixture.store.counterTables()
        let replayed = try await fixture.store.replayCounters(now: last)
        let months = ["2026-08", "2026-09", "2026-10", "2026-11", "2026-12", "2027-01", "2027-02"]
        #expect(stored.closedMonths == ["2026-07"] + months)
        #expect(replayed.closedMonths == months)
        for key in Set(stored.counts.keys).union(replayed.counts.keys).sorted() {
            #expect(stored.counts[key] == replayed.counts[key], "\(key)")
        }
        for month in replayed.closedMonths {
            #expect(stored.mostOverdue[month, default: []] == replayed.mostOverdue[month, default: []], "\(month)")
        }
        // The cycles are there: two reopens of one complaint in November, resolutions in three months.
        let november = stored.counts.filter { $0.key.month == "2026-11" }.values.reduce(
            into: Array(repeating: 0, count: CounterField.allCases.count)
        ) {
            for index in $0.indices { $0[index] += $1[index] }
        }
        #expect(november[CounterField.reopened.rawValue] == 2)
        #expect(november[CounterField.resolutionsRejected.rawValue] == 1)
        #expect(november[CounterField.evidenceFlagged.rawValue] == 2)
        // The pungli complaint: open and not overdue at the end of December, overdue (resolution) by the end of February.
        let slowKey = { (month: String) in stored.counts.first { $0.key.month == month && $0.key.category == "pungli" }?.value }
        #expect(slowKey("2026-12")?[CounterField.overdue.rawValue] == 0)
        #expect(slowKey("2027-02")?[CounterField.overdue.rawValue] == 1)
    }

    @Test("a database from before the counters gets them from its history when migrated, and a recount gives the same")
    func migrationBackfills() async throws {
        let (fixture, last) = try await Self.history()
        let path = fixture.store.path
        let replayed = try await fixture.store.replayCounters(now: Date())
        // Back to schema 10: the counters' tables gone, the migration not applied.
        try await fixture.store.writer.write { db in
            try db.execute(
                sql: """
                    DROP TABLE report_month_overdue; DROP TABLE report_month_end; DROP TABLE report_counter; DROP TABLE report_counter_zone;
                    DROP INDEX complaint_next_sla_mark; DROP INDEX complaint_confirmation_start;
                    DROP INDEX complaint_response_times; DROP INDEX complaint_resolution_times;
                    CREATE INDEX complaint_responded_at ON complaint (responded_at) WHERE responded_at IS NOT NULL;
                    CREATE INDEX complaint_settled_at ON complaint (settled_at) WHERE settled_at IS NOT NULL;
                    DELETE FROM grdb_migrations WHERE identifier = 'aduan_0011_counters'
                    """)
        }
        let upgraded = try Store.open(path: path)
        let backfilled = try await upgraded.counterTables()
        #expect(backfilled.counts == replayed.counts)
        #expect(backfilled.closedMonths == replayed.closedMonths)
        #expect(backfilled.mostOverdue == replayed.mostOverdue)
        try await upgraded.recountCounters(now: last)
        #expect(try await upgraded.counterTables() == (try await upgraded.replayCounters(now: last)))
    }
}
