import AduanCore
import Foundation
import Testing

/// Deadlines across the year end and Idul Fitri 2027, worked out by hand from the 2027 SKB list (holidays.csv):
/// Thu 24 Dec 2026 cuti bersama, Fri 25 Dec Natal; Fri 1 Jan 2027 Tahun Baru, Tue 5 Jan Isra Mikraj; Mon 8 Mar Nyepi,
/// Tue 9 Mar cuti bersama, Wed-Thu 10-11 Mar Idul Fitri (provisional), Fri 12 Mar and Mon 15 Mar cuti bersama.
/// Working days close at 16:00 WIB.
@Suite("The 2027 calendar: deadlines across the year end and Idul Fitri")
struct Calendar2027Tests {
    /// Rows of the working calendar's own deadline table (`WorkingCalendarTests.deadline` runs them): a filing instant,
    /// a target and the deadline worked out by hand.
    typealias Case = WorkingCalendarTests.Case

    static let cases: [Case] = [
        Case(name: "24 Dec 2026 (cuti bersama): received Mon 28 Dec, 1 working day due Tue 29 Dec",
             filed: "2026-12-24T10:00:00+07:00", target: .workingDays(1), due: "2026-12-29T16:00:00+07:00"),
        Case(name: "24 Dec 2026, 5 working days: 29, 30, 31 Dec, 4 Jan, then 6 Jan (5 Jan is Isra Mikraj)",
             filed: "2026-12-24T10:00:00+07:00", target: .workingDays(5), due: "2027-01-06T16:00:00+07:00"),
        Case(name: "31 Dec 2026 morning, 1 working day: New Year's Day and the weekend skipped, due Mon 4 Jan",
             filed: "2026-12-31T10:00:00+07:00", target: .workingDays(1), due: "2027-01-04T16:00:00+07:00"),
        Case(name: "31 Dec 2026 morning, 2 working days: due Wed 6 Jan, past Isra Mikraj",
             filed: "2026-12-31T10:00:00+07:00", target: .workingDays(2), due: "2027-01-06T16:00:00+07:00"),
        Case(name: "31 Dec 2026 after close: received Mon 4 Jan, 1 working day due Wed 6 Jan",
             filed: "2026-12-31T17:00:00+07:00", target: .workingDays(1), due: "2027-01-06T16:00:00+07:00"),
        Case(name: "Mon 4 Jan 2027, before Isra Mikraj: 1 working day due Wed 6 Jan",
             filed: "2027-01-04T09:00:00+07:00", target: .workingDays(1), due: "2027-01-06T16:00:00+07:00"),
        Case(name: "Mon 4 Jan 2027, 3 working days: 6, 7, 8 Jan",
             filed: "2027-01-04T09:00:00+07:00", target: .workingDays(3), due: "2027-01-08T16:00:00+07:00"),
        Case(name: "a long target from 1 Dec 2026: the 21st working day is 4 Jan 2027, not New Year's Day",
             filed: "2026-12-01T09:00:00+07:00", target: .workingDays(21), due: "2027-01-04T16:00:00+07:00"),
        Case(name: "Fri 5 Mar 2027 before Nyepi and Idul Fitri: 8-15 March are off, 1 working day due Tue 16 Mar",
             filed: "2027-03-05T15:00:00+07:00", target: .workingDays(1), due: "2027-03-16T16:00:00+07:00"),
        Case(name: "Fri 5 Mar 2027 after close: received Tue 16 Mar, due Wed 17 Mar",
             filed: "2027-03-05T17:00:00+07:00", target: .workingDays(1), due: "2027-03-17T16:00:00+07:00"),
        Case(name: "filed during Idul Fitri 2027: received Tue 16 Mar, 3 working days due Fri 19 Mar",
             filed: "2027-03-10T08:00:00+07:00", target: .workingDays(3), due: "2027-03-19T16:00:00+07:00"),
        Case(name: "hours targets run through New Year's Day",
             filed: "2026-12-31T20:00:00+07:00", target: .hours(6), due: "2027-01-01T02:00:00+07:00"),
    ]

    @Test("the bundled 2027 list: holidays, cuti bersama and the provisional Idul Fitri and Idul Adha")
    func bundled2027() throws {
        let days2027 = lampung.holidays.filter { $0.date.year == 2027 }
        // 18 holidays (Isra Mikraj twice) and 8 cuti bersama, as in the SKB for 2027.
        #expect(days2027.filter { $0.kind == .libur }.count == 18)
        #expect(days2027.filter { $0.kind == .cutiBersama }.count == 8)
        #expect(Set(days2027.filter(\.provisional).map(\.date.description)) == ["2027-03-10", "2027-03-11", "2027-05-17"])
        #expect(lampung.calendarReach?.description == "2027-12-31")
        let newYear = try #require(LocalDate(iso: "2027-01-01"))
        #expect(!lampung.calendar.isWorkingDay(newYear))
    }

    @Test("the coverage warning starts 90 days before the calendar ends")
    func coverageWarning() throws {
        #expect(lampung.calendarCoverageWarning(now: instant("2027-10-01T12:00:00+07:00")) == nil)
        let warning = try #require(lampung.calendarCoverageWarning(now: instant("2027-10-04T12:00:00+07:00")))
        #expect(warning.contains("2027-12-31") && warning.contains("add 2028"))
    }
}

@Suite("Calendar changes by operators")
struct CalendarChangeTests {
    static let at = instant("2026-12-15T10:00:00+07:00")

    static func change(
        _ id: Int64, _ action: CalendarChange.Action, _ date: String, region: String? = nil, kind: Holiday.Kind = .libur,
        name: String = "Hari libur"
    ) -> CalendarChange {
        CalendarChange(
            id: id, action: action, date: LocalDate(iso: date)!, region: region.map(RegionCode.init), kind: kind, name: name,
            note: nil, actor: "operator", at: Self.at)
    }

    @Test("a day added changes the deadline of a complaint filed after it; the one computed before keeps its value")
    func addedDay() {
        let filed = instant("2027-01-06T09:00:00+07:00")
        let before = lampung.calendar.deadline(from: filed, target: .workingDays(1))
        let amended = lampung.applying([Self.change(1, .add, "2027-01-07")])
        let after = amended.calendar.deadline(from: filed, target: .workingDays(1))
        #expect(before == instant("2027-01-07T16:00:00+07:00"))
        #expect(after == instant("2027-01-08T16:00:00+07:00"))
        #expect(amended.calendarVersion == 1)
        // The base catalog is a value: what was computed with it stays as it was.
        #expect(lampung.calendar.deadline(from: filed, target: .workingDays(1)) == before)
    }

    @Test("a day removed after the isbat becomes a working day again, and a later add restores it")
    func removedDay() throws {
        let day = try #require(LocalDate(iso: "2027-03-11"))
        let removed = lampung.applying([Self.change(1, .remove, "2027-03-11")])
        #expect(removed.calendar.isWorkingDay(day))
        #expect(removed.holidays.count == lampung.holidays.count - 1)
        let restored = lampung.applying([Self.change(2, .add, "2027-03-11", name: "Idul Fitri (isbat)"), Self.change(1, .remove, "2027-03-11")])
        #expect(!restored.calendar.isWorkingDay(day))
        let entry = try #require(restored.holidays.first { $0.date == day })
        #expect(entry.nameID == "Idul Fitri (isbat)" && !entry.provisional)
        guard case .added(let change) = entry.origin else {
            Issue.record("the restored day should say it was added")
            return
        }
        #expect(change.id == 2)
    }

    @Test("one day added early in a later year does not make that year look listed; its whole decree does")
    func reachNeedsAYearsList() {
        let early = lampung.applying([Self.change(1, .add, "2028-01-01", name: "Tahun Baru Masehi")])
        #expect(early.calendarReach?.description == "2027-12-31")
        #expect(early.calendarCoverageWarning(now: instant("2027-11-01T12:00:00+07:00")) != nil)
        let days = (1...Catalog.holidaysInAListedYear).map { Self.change(Int64($0), .add, "2028-02-\(10 + $0)") }
        #expect(lampung.applying(days).calendarReach?.description == "2028-12-31")
    }

    @Test("a regional day off is off in the region and everything inside it, and nowhere else")
    func regionalDay() throws {
        let amended = lampung.applying([Self.change(1, .add, "2027-06-22", region: "18.71", name: "HUT Kota Bandar Lampung")])
        let day = try #require(LocalDate(iso: "2027-06-22"))
        #expect(!amended.calendar(for: RegionCode("18.71.01.1001")).isWorkingDay(day))
        #expect(!amended.calendar(for: RegionCode("18.71")).isWorkingDay(day))
        #expect(amended.calendar(for: RegionCode("18.72.01")).isWorkingDay(day))
        #expect(amended.calendar.isWorkingDay(day))
        // National days stay off in the region too.
        #expect(!amended.calendar(for: RegionCode("18.71.01")).isWorkingDay(try #require(LocalDate(iso: "2027-08-17"))))
        let filed = instant("2027-06-21T09:00:00+07:00")
        #expect(amended.calendar(for: RegionCode("18.71.01")).deadline(from: filed, target: .workingDays(1)) == instant("2027-06-23T16:00:00+07:00"))
        #expect(amended.calendar(for: RegionCode("18.72.01")).deadline(from: filed, target: .workingDays(1)) == instant("2027-06-22T16:00:00+07:00"))
    }

    struct Refusal: CustomTestStringConvertible, Sendable {
        let name: String
        let action: CalendarChange.Action
        let date: String
        let region: String?
        let kind: Holiday.Kind?
        let text: String?
        let says: String
        var testDescription: String { self.name }
    }

    @Test("changes the rules refuse, with the reason", arguments: [
        Refusal(name: "a day already off", action: .add, date: "2027-01-01", region: nil, kind: .libur, text: "Tahun Baru", says: "already a day off"),
        Refusal(name: "a regional day on a national one", action: .add, date: "2027-08-17", region: "18.71", kind: .libur, text: "HUT", says: "already a day off everywhere"),
        Refusal(name: "removing a working day", action: .remove, date: "2027-01-07", region: nil, kind: nil, text: nil, says: "is not a day off"),
        Refusal(name: "removing a national day as a regional one", action: .remove, date: "2027-01-01", region: "18.71", kind: nil, text: nil, says: "is not a day off in 18.71"),
        Refusal(name: "an unknown region", action: .add, date: "2027-06-22", region: "18.99", kind: .libur, text: "HUT", says: "unknown region"),
        Refusal(name: "the province as a region", action: .add, date: "2027-06-22", region: "18", kind: .libur, text: "HUT", says: "whole province"),
        Refusal(name: "a blank name", action: .add, date: "2027-06-22", region: nil, kind: .libur, text: "  ", says: "needs a name"),
        Refusal(name: "no kind", action: .add, date: "2027-06-22", region: nil, kind: nil, text: "HUT", says: "libur or cuti_bersama"),
    ])
    func refusals(_ r: Refusal) throws {
        let request = CalendarChangeRequest(
            action: r.action, date: try #require(LocalDate(iso: r.date)), region: r.region.map(RegionCode.init), kind: r.kind,
            name: r.text, note: nil)
        switch lampung.admit(request, actor: "operator", at: Self.at) {
        case .success(let change): Issue.record("\(r.name): admitted \(change)")
        case .failure(let refused): #expect(refused.description.contains(r.says), "\(r.name): \(refused)")
        }
    }

    @Test("an admitted removal keeps the name and kind of the day it removes")
    func admittedRemoval() throws {
        let request = CalendarChangeRequest(
            action: .remove, date: try #require(LocalDate(iso: "2027-03-11")), region: nil, kind: nil, name: nil, note: " isbat ")
        let change = try lampung.admit(request, actor: "operator", at: Self.at).get()
        #expect(change.name == "Hari kedua dari Hari Raya Idul Fitri" && change.kind == .libur && change.note == "isbat")
        #expect(change.id == nil && change.actor == "operator")
    }
}
