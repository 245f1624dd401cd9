import AduanCore
import AduanReport
@testable import AduanStore
import Foundation
import GRDB
import Testing

/// The figures of the October 2026 story (see `Fixture.october`), worked out by hand there.
@Suite("Monthly SLA report: hand-computed figures on a real database")
struct MonthlyReportTests {
    @Test("the province's October figures, and September's for the change")
    func provinceTotals() async throws {
        let fixture = try await Fixture.october()
        let report = try await fixture.report("2026-10")
        #expect(report.period == "2026-10")
        #expect(report.asOf == "2026-11-01T00:00:00+07:00")
        #expect(!report.provisional)
        let october = report.total.current
        // Filed in October: A, B, C, D, E, G (a duplicate, counted as merged too) and H; F, I and K are older.
        #expect(october.received == 7)
        // Latest resolution in October: A (5 Oct), F (6 Oct), E (19 Oct); C's is in November.
        #expect(october.resolved == 3)
        // Response clocks decided in October: answered in time A, C, D, E, G (merged), H; B's deadline passed unanswered.
        #expect(october.responseDue == 7)
        #expect(october.respondedInTime == 6)
        // Resolution clocks decided in October: A (in time), E (late), F (its reopened cycle, in time); D waits for the
        // reporter, C's deadline moved to November, H was rejected, G merged.
        #expect(october.resolutionDue == 3)
        #expect(october.resolvedInTime == 2)
        // First responses in October: C 0.04, G 0.04, D 0.08, A 0.17, H 0.25, E 0.96 (F's and K's were in September).
        #expect(october.responseDays == distribution(count: 6, median: 0.125, p90: 0.96))
        // Resolutions in October: A 2.04, F 6.04, E 12.0.
        #expect(october.resolutionDays == distribution(count: 3, median: 6.04, p90: 12.0))
        // Open at the end of October: B and C (0-7 days), D (8-14), I (over 30); B and I overdue.
        #expect(october.backlog == backlog(2, 1, 0, 1))
        #expect(october.overdue == 2)
        #expect(october.forwarded == 1)
        #expect(october.reopened == 1)
        #expect(october.reopenRate == 1.0 / 3)
        #expect(october.rejected == 1)
        #expect(october.merged == 1)
        #expect(october.ratings == 2)
        #expect(october.meanRating == 4)

        let september = report.total.previous
        #expect(september.received == 2)
        // K's resolution (21 Sep) and F's first (30 Sep): F's reopen in October does not take it back.
        #expect(september.resolved == 2)
        #expect(september.responseDue == 2)
        #expect(september.respondedInTime == 2)
        // K was late; F's first cycle was resolved in time (its second is October's).
        #expect(september.resolutionDue == 2)
        #expect(september.resolvedInTime == 1)
        #expect(september.responseDays == distribution(count: 2, median: 0.54, p90: 1.04))
        // Times come from each complaint's latest resolution: F's is in October, so September's median has K's only.
        #expect(september.resolutionDays == distribution(count: 1, median: 4.04, p90: 4.04))
        // At the end of September only I was open: F had been resolved (its reopen came on 2 Oct).
        #expect(september.backlog == backlog(0, 0, 0, 1))
        #expect(september.overdue == 1)
        #expect(september.reopened == 0)
        #expect(september.reopenRate == 0)
        #expect(september.merged == 0)
        #expect(september.ratings == 1)
        #expect(september.meanRating == 2)
    }

    @Test("the most overdue list, and the six-month trend of compliance")
    func overdueAndTrend() async throws {
        let report = try await Fixture.october().report("2026-10")
        #expect(report.mostOverdue.map(\.opd) == ["PUPR-1872", "PUPR-1871"])
        #expect(report.mostOverdue.map(\.clock) == ["response", "response"])
        #expect(report.mostOverdue.map(\.dueAt) == ["2026-08-04T16:00:00+07:00", "2026-10-27T16:00:00+07:00"])
        #expect(report.mostOverdue.map(\.workingDaysOverdue) == [61.33, 3.33])
        #expect(report.mostOverdue.map(\.status) == ["submitted", "submitted"])

        #expect(report.trend.map(\.period) == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"])
        // August: I's two deadlines passed; September: K and F; October: see the totals.
        #expect(report.trend.map(\.responseDue) == [0, 0, 0, 1, 2, 7])
        #expect(report.trend.map(\.respondedInTime) == [0, 0, 0, 0, 2, 6])
        #expect(report.trend.map(\.resolutionDue) == [0, 0, 0, 1, 2, 3])
        #expect(report.trend.map(\.resolvedInTime) == [0, 0, 0, 0, 1, 2])
        #expect(report.trend[0].responseCompliance == nil)
    }

    @Test("per office: each change counts for the office that had the complaint then; a forward for the office that forwarded")
    func perOffice() async throws {
        let report = try await Fixture.october().report("2026-10")
        let offices = Dictionary(uniqueKeysWithValues: report.byOPD.map { ($0.code, $0.current) })
        #expect(Set(offices.keys) == ["DLH-1871", "PUPR-1871", "BMBK-18", "DLH-1872", "PUPR-1872"])
        // A, G and C were received by DLH-1871.
        #expect(offices["DLH-1871"]?.received == 3)
        #expect(offices["DLH-1871"]?.resolutionDue == 2)
        #expect(offices["DLH-1871"]?.reopened == 1)
        #expect(offices["DLH-1871"]?.merged == 1)
        #expect(offices["PUPR-1871"]?.forwarded == 1)
        // E was received by PUPR-1871 and forwarded from there, B too; BMBK-18 answered and resolved E (late).
        #expect(offices["PUPR-1871"]?.received == 2)
        #expect(offices["BMBK-18"]?.received == 0)
        #expect(offices["BMBK-18"]?.respondedInTime == 1)
        #expect(offices["BMBK-18"]?.resolutionDue == 1)
        #expect(offices["BMBK-18"]?.resolvedInTime == 0)
        #expect(offices["BMBK-18"]?.resolutionDays == distribution(count: 1, median: 12.0, p90: 12.0))
        #expect(offices["DLH-1872"]?.backlog == backlog(0, 1, 0, 0))
        #expect(offices["PUPR-1872"]?.overdue == 1)
        #expect(report.byRegion.map(\.code).sorted() == ["18.71", "18.72"])
        #expect(report.byRegion.first { $0.code == "18.72" }?.name == "Kota Metro")
        #expect(report.byCategory.map(\.code).sorted() == ["jalan_rusak", "sampah"])
    }

    @Test("every breakdown adds up to the total, in both months")
    func breakdownsAddUp() async throws {
        let report = try await Fixture.october().report("2026-10")
        for lines in [report.byOPD, report.byRegion, report.byCategory] {
            for month in [\Breakdown.current, \Breakdown.previous] {
                let sum = lines.map { $0[keyPath: month] }
                let total = report.total[keyPath: month]
                #expect(sum.map(\.received).reduce(0, +) == total.received)
                #expect(sum.map(\.resolved).reduce(0, +) == total.resolved)
                #expect(sum.map(\.responseDue).reduce(0, +) == total.responseDue)
                #expect(sum.map(\.respondedInTime).reduce(0, +) == total.respondedInTime)
                #expect(sum.map(\.resolutionDue).reduce(0, +) == total.resolutionDue)
                #expect(sum.map(\.resolvedInTime).reduce(0, +) == total.resolvedInTime)
                #expect(sum.map(\.backlog.total).reduce(0, +) == total.backlog.total)
                #expect(sum.map(\.overdue).reduce(0, +) == total.overdue)
                #expect(sum.map(\.forwarded).reduce(0, +) == total.forwarded)
                #expect(sum.map(\.reopened).reduce(0, +) == total.reopened)
                #expect(sum.map(\.rejected).reduce(0, +) == total.rejected)
                #expect(sum.map(\.ratings).reduce(0, +) == total.ratings)
                #expect(sum.map(\.ratingSum).reduce(0, +) == total.ratingSum)
                #expect(sum.map(\.responseDays.count).reduce(0, +) == total.responseDays.count)
                #expect(sum.map(\.resolutionDays.count).reduce(0, +) == total.resolutionDays.count)
            }
        }
    }

    @Test("month boundaries are WIB: 23:30 WIB on 31 October is October, 00:30 WIB on 1 November is November")
    func monthBoundaries() async throws {
        let fixture = try await Fixture()
        // 31 Oct 23:30 WIB is 16:30 UTC, 1 Nov 00:30 WIB is 31 Oct 17:30 UTC: October in UTC both.
        _ = try await fixture.file("sampah", in: Fixture.kedaton, at: "2026-10-31T23:30")
        _ = try await fixture.file("sampah", in: Fixture.kedaton, at: "2026-11-01T00:30")
        let october = try await fixture.report("2026-10")
        let november = try await fixture.report("2026-11")
        #expect(october.total.current.received == 1)
        #expect(november.total.current.received == 1)
        // At the end of October the first was open, 0 days old; the second did not exist yet.
        #expect(october.total.current.backlog == backlog(1, 0, 0, 0))
        #expect(november.total.previous.received == 1)
    }

    @Test("a month not over is provisional, its figures taken now; one not started is refused; an office's report is its own")
    func provisionalAndScoped() async throws {
        let fixture = try await Fixture.october()
        let november = try await fixture.report("2026-11", at: "2026-11-20T12:00")
        #expect(november.provisional)
        #expect(november.asOf == "2026-11-20T12:00:00+07:00")
        // C was resolved 3 Nov, in time (its deadline moved to 4 Nov by the pause), after 2.04 working days.
        #expect(november.total.current.resolved == 1)
        #expect(november.total.current.resolutionDays == distribution(count: 1, median: 2.04, p90: 2.04))
        // B's response (27 Oct) is October's; its resolution (9 Nov) is November's, unanswered.
        #expect(november.total.current.resolutionDue == 2)
        #expect(november.total.current.resolvedInTime == 1)
        await #expect(throws: ReportError.monthNotStarted("2026-12")) { try await fixture.report("2026-12") }
        await #expect(throws: ReportError.invalidMonth("2026-13")) { try await fixture.report("2026-13") }
        await #expect(throws: ReportError.unknownOPD("NOPE")) { try await fixture.report("2026-10", opd: "NOPE") }

        let office = try await fixture.report("2026-10", opd: "DLH-1871")
        #expect(office.scope.code == "DLH-1871")
        #expect(office.total.current.received == 3)
        #expect(office.byOPD.map(\.code) == ["DLH-1871"])
        #expect(office.mostOverdue.isEmpty)
        let forwarding = try await fixture.report("2026-10", opd: "PUPR-1871")
        #expect(forwarding.total.current.forwarded == 1)
        #expect(forwarding.mostOverdue.map(\.opd) == ["PUPR-1871"])
    }

    @Test("a complaint open and overdue at month end, reopened since, counts in the backlog and in the overdue list")
    func reopenedAfterMonthEnd() async throws {
        let fixture = try await Fixture()
        // Resolved 30 Sep, reopened 2 Oct (new resolution deadline Wed 7 Oct 16:00) and left: settled at the end of
        // September, so not in September's backlog; open, 33 days old and overdue at the end of October.
        let settled = try await fixture.file("sampah", in: Fixture.kedaton, at: "2026-09-28T09:00")
        try await fixture.act(.accept(note: nil), on: settled, at: "2026-09-28T10:00")
        try await fixture.act(.resolve(note: "Sudah diangkut."), on: settled, at: "2026-09-30T10:00")
        try await fixture.reporter(.reopen(reason: "Masih ada."), on: settled, at: "2026-10-02T10:00")
        // Filed Mon 26 Oct 10:00 (response due Tue 27 Oct 16:00), unanswered at month end; accepted Mon 2 Nov,
        // resolved Tue 3 Nov, reopened by the reporter Fri 6 Nov.
        let late = try await fixture.file("sampah", in: Fixture.kedaton, at: "2026-10-26T10:00")
        try await fixture.act(.accept(note: nil), on: late, at: "2026-11-02T09:00")
        try await fixture.act(.resolve(note: "Sudah diangkut."), on: late, at: "2026-11-03T09:00")
        try await fixture.reporter(.reopen(reason: "Masih ada."), on: late, at: "2026-11-06T09:00")

        let report = try await fixture.report("2026-10")
        #expect(report.total.current.backlog == backlog(1, 0, 0, 1))
        #expect(report.total.current.overdue == 2)
        #expect(report.mostOverdue.map(\.ticket) == [settled.ticket.rawValue, late.ticket.rawValue])
        #expect(report.mostOverdue.map(\.clock) == ["resolution", "response"])
        #expect(report.total.previous.backlog.total == 0)
    }

    @Test("a kept report never changes; generating again adds a version; the JSON reads back as it was")
    func snapshots() async throws {
        let fixture = try await Fixture.october()
        let report = try await fixture.report("2026-10")
        for expected in 1...2 {
            let kept = try await fixture.store.saveReport(period: "2026-10", scope: "province", generatedAt: wib("2026-11-20T12:00"), generatedBy: "test") {
                var versioned = report
                versioned.version = $0
                return try ReportJSON.encode(versioned)
            }
            #expect(kept.version == expected)
        }
        let latest = try #require(try await fixture.store.report(period: "2026-10", scope: "province"))
        #expect(latest.version == 2)
        var second = report
        second.version = 2
        #expect(try ReportJSON.decode(latest.body) == second)
        #expect(try await fixture.store.reportVersions(period: "2026-10", scope: "province").map(\.version) == [1, 2])
        #expect(try await fixture.store.report(period: "2026-10", scope: "province", version: 3) == nil)
        // A reader that saw version 1 keeps nothing when version 2 was kept meanwhile: it gets version 2.
        let raced = try await fixture.store.saveReport(
            period: "2026-10", scope: "province", generatedAt: wib("2026-11-21T12:00"), generatedBy: "other", replacing: 1
        ) { _ in "{}" }
        #expect(raced.version == 2 && raced.generatedBy == "test" && !raced.isNew)
        #expect(try await fixture.store.reportVersions(period: "2026-10", scope: "province").map(\.version) == [1, 2])
        await #expect(throws: DatabaseError.self) {
            try await fixture.store.writer.write { db in try db.execute(sql: "UPDATE report_snapshot SET body = '{}'") }
        }
        await #expect(throws: DatabaseError.self) {
            try await fixture.store.writer.write { db in try db.execute(sql: "DELETE FROM report_snapshot") }
        }
    }
}

func distribution(count: Int, median: Double?, p90: Double?) -> Distribution {
    var distribution = Distribution()
    distribution.count = count
    distribution.median = median
    distribution.p90 = p90
    return distribution
}

func backlog(_ days0to7: Int, _ days8to14: Int, _ days15to30: Int, _ daysOver30: Int) -> Backlog {
    var backlog = Backlog()
    backlog.days0to7 = days0to7
    backlog.days8to14 = days8to14
    backlog.days15to30 = days15to30
    backlog.daysOver30 = daysOver30
    return backlog
}
