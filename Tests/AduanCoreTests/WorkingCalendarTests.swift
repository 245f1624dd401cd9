import AduanCore
import Foundation
import Testing

@Suite("Working calendar and SLA deadlines (Asia/Jakarta, Lampung holidays)")
struct WorkingCalendarTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let filed: String
        let target: SLATarget
        let due: String
        var testDescription: String { self.name }
    }

    static let cases: [Case] = [
        Case(
            name: "Friday evening, 1 working day: received Monday, due Tuesday close",
            filed: "2026-11-20T19:00:00+07:00", target: .workingDays(1), due: "2026-11-24T16:00:00+07:00"),
        Case(
            name: "Friday evening, 3 working days: due Thursday close",
            filed: "2026-11-20T19:00:00+07:00", target: .workingDays(3), due: "2026-11-26T16:00:00+07:00"),
        Case(
            name: "Friday morning counts Friday as the day received",
            filed: "2026-11-20T09:00:00+07:00", target: .workingDays(1), due: "2026-11-23T16:00:00+07:00"),
        Case(
            name: "filed at the close of the working day counts from the next day",
            filed: "2026-11-23T16:00:00+07:00", target: .workingDays(1), due: "2026-11-25T16:00:00+07:00"),
        Case(
            name: "filed a minute before close counts that day",
            filed: "2026-11-23T15:59:00+07:00", target: .workingDays(1), due: "2026-11-24T16:00:00+07:00"),
        Case(
            name: "eve of Nyepi and Idul Fitri 2026 cuti bersama: 18-24 March are off, due 25 March",
            filed: "2026-03-17T14:00:00+07:00", target: .workingDays(1), due: "2026-03-25T16:00:00+07:00"),
        Case(
            name: "eve of Idul Fitri 2026, 3 working days: due Friday 27 March",
            filed: "2026-03-17T14:00:00+07:00", target: .workingDays(3), due: "2026-03-27T16:00:00+07:00"),
        Case(
            name: "eve of Idul Fitri 2025 cuti bersama (28 March to 7 April off): due 8 April",
            filed: "2025-03-27T10:00:00+07:00", target: .workingDays(1), due: "2025-04-08T16:00:00+07:00"),
        Case(
            name: "across the year end: 1 January is a holiday, due Monday 5 January 2026",
            filed: "2025-12-31T15:00:00+07:00", target: .workingDays(2), due: "2026-01-05T16:00:00+07:00"),
        Case(
            name: "Christmas eve after close: Christmas, cuti bersama and the weekend are skipped",
            filed: "2025-12-24T17:00:00+07:00", target: .workingDays(1), due: "2025-12-30T16:00:00+07:00"),
        Case(
            name: "hours target runs through the weekend",
            filed: "2026-11-21T23:00:00+07:00", target: .hours(6), due: "2026-11-22T05:00:00+07:00"),
        Case(
            name: "hours target runs through holidays",
            filed: "2026-03-19T10:00:00+07:00", target: .hours(72), due: "2026-03-22T10:00:00+07:00"),
        Case(
            name: "a UTC instant on Friday that is already Saturday in WIB",
            filed: "2026-11-20T17:30:00Z", target: .workingDays(1), due: "2026-11-24T16:00:00+07:00"),
    ]

    @Test("deadline", arguments: cases + Calendar2027Tests.cases)
    func deadline(_ c: Case) {
        let due = lampung.calendar.deadline(from: instant(c.filed), target: c.target)
        #expect(due == instant(c.due), "\(c.name): got \(lampung.calendar.iso8601(due))")
    }

    @Test(
        "holidays, cuti bersama and weekends are not working days",
        arguments: [
            ("2026-03-20", false), ("2026-03-21", false), ("2026-03-24", false), ("2026-03-25", true),
            ("2026-11-21", false), ("2026-11-22", false), ("2026-11-23", true), ("2026-01-01", false), ("2025-12-26", false),
        ])
    func workingDays(_ date: String, _ expected: Bool) throws {
        let day = try #require(LocalDate(iso: date))
        #expect(lampung.calendar.isWorkingDay(day) == expected)
    }

    @Test("deadlines are shown in WIB with their offset")
    func iso8601() {
        #expect(lampung.calendar.iso8601(instant("2026-11-24T09:00:00Z")) == "2026-11-24T16:00:00+07:00")
        #expect(lampung.calendar.iso8601(instant("2026-12-31T17:00:00Z")) == "2027-01-01T00:00:00+07:00")
        #expect(lampung.calendar.iso8601(Date(timeIntervalSince1970: 1_790_000_009.999)) == "2026-09-21T21:13:29+07:00")
        // Other zones, both signs and a half hour, as Foundation's formatter writes them.
        let formatter = ISO8601DateFormatter()
        for zone in ["America/Sao_Paulo", "Asia/Kolkata", "UTC", "Asia/Jayapura"] {
            let calendar = WorkingCalendar(timeZone: TimeZone(identifier: zone)!, closeMinute: 960, daysOff: [])
            formatter.timeZone = TimeZone(identifier: zone)!
            for seconds in stride(from: 1_700_000_000.0, to: 1_800_000_000, by: 9_876_543.21) {
                let moment = Date(timeIntervalSince1970: seconds)
                let expected = formatter.string(from: moment).replacingOccurrences(of: "Z", with: "+00:00")
                #expect(calendar.iso8601(moment) == expected, "\(zone)")
            }
        }
    }

    @Test("local dates: weekdays and round trips")
    func localDates() throws {
        #expect(try #require(LocalDate(iso: "2026-11-23")).isoWeekday == 1)
        #expect(try #require(LocalDate(iso: "2024-02-29")).adding(days: 366).description == "2025-03-01")
        #expect(LocalDate(iso: "2025-02-29") == nil)
        #expect(LocalDate(iso: "2025-1-05") == nil)
    }
}

@Suite("Working calendar in a zone with daylight saving time")
struct DaylightSavingTests {
    @Test("the close of the working day is local time on both sides of a DST change")
    func dst() throws {
        // Europe/Amsterdam moves to UTC+2 on 2026-03-29: the deadline is 16:00 local, i.e. 14:00Z.
        let calendar = WorkingCalendar(timeZone: try #require(TimeZone(identifier: "Europe/Amsterdam")), closeMinute: 16 * 60, daysOff: [])
        #expect(calendar.deadline(from: instant("2026-03-27T10:00:00+01:00"), target: .workingDays(1)) == instant("2026-03-30T14:00:00Z"))
        #expect(calendar.deadline(from: instant("2026-03-26T10:00:00+01:00"), target: .workingDays(1)) == instant("2026-03-27T15:00:00Z"))
    }
}
