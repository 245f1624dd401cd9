import Foundation

/// How long an SLA target allows: a number of working days, or of elapsed hours for urgent matters.
public enum SLATarget: Hashable, Sendable, CustomStringConvertible {
    case workingDays(Int)
    case hours(Int)

    public var description: String {
        switch self {
        case .workingDays(let n): return "\(n) working day(s)"
        case .hours(let n): return "\(n) hour(s)"
        }
    }
}

/// The response and resolution targets of a category.
public struct SLAPolicy: Hashable, Sendable {
    public let response: SLATarget
    public let resolution: SLATarget

    public init(response: SLATarget, resolution: SLATarget) {
        self.response = response
        self.resolution = resolution
    }
}

/// A region's working-day calendar: its time zone, the close of the working day, and its days off.
///
/// A target of N working days ends at the close of the N-th working day after the day the complaint counts as
/// received. A complaint counts as received on the day it was filed if that is a working day and the office has
/// not yet closed; otherwise on the next working day. An hours target is elapsed time, because the categories
/// that use it (floods, disasters) do not wait for Monday.
public struct WorkingCalendar: Sendable {
    public let timeZone: TimeZone
    /// Minutes after local midnight at which the working day ends.
    public let closeMinute: Int
    public let daysOff: Set<LocalDate>

    /// The zone's offset when it has none of its own transitions ahead or behind in the years that matter (WIB has
    /// been UTC+7 since 1964); then conversions skip Foundation's TimeZone, which is costly per call on Linux.
    let fixedOffset: Int?

    public init(timeZone: TimeZone, closeMinute: Int, daysOff: Set<LocalDate>) {
        self.timeZone = timeZone
        self.closeMinute = closeMinute
        self.daysOff = daysOff
        // Sampled in January and July of 2000-2050 rather than through nextDaylightSavingTimeTransition, which
        // crashed when several threads loaded catalogs at once (Foundation on Linux).
        let samples = (0...100).map { timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: 946_684_800 + Double($0) * 15_778_800)) }
        self.fixedOffset = Set(samples).count == 1 ? samples[0] : nil
    }

    private init(timeZone: TimeZone, closeMinute: Int, daysOff: Set<LocalDate>, fixedOffset: Int?) {
        self.timeZone = timeZone
        self.closeMinute = closeMinute
        self.daysOff = daysOff
        self.fixedOffset = fixedOffset
    }

    /// The same zone and close with other days off (without sampling the zone again).
    public func with(daysOff: Set<LocalDate>) -> WorkingCalendar {
        WorkingCalendar(timeZone: self.timeZone, closeMinute: self.closeMinute, daysOff: daysOff, fixedOffset: self.fixedOffset)
    }

    func offset(at instant: Date) -> Int { self.fixedOffset ?? self.timeZone.secondsFromGMT(for: instant) }

    public func isWorkingDay(_ date: LocalDate) -> Bool {
        date.isoWeekday <= 5 && !self.daysOff.contains(date)
    }

    public func nextWorkingDay(onOrAfter date: LocalDate) -> LocalDate {
        var day = date
        var steps = 0
        // Bounded: no calendar has a year of days off in a row.
        while !self.isWorkingDay(day) && steps < 366 {
            day = day.adding(days: 1)
            steps += 1
        }
        return day
    }

    /// The local date and minute of the day of an instant.
    public func local(_ instant: Date) -> (date: LocalDate, minute: Int) {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + self.offset(at: instant)
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let minute = (seconds - days * 86_400) / 60
        return (LocalDate(dayNumber: days), minute)
    }

    /// The instant of a local date and minute of the day.
    public func instant(_ date: LocalDate, minute: Int) -> Date {
        let naive = Double(date.dayNumber * 86_400 + minute * 60)
        // Asia/Jakarta has no DST; the two-step offset still gives the right instant where a zone has one.
        let guess = Date(timeIntervalSince1970: naive - Double(self.offset(at: Date(timeIntervalSince1970: naive))))
        return Date(timeIntervalSince1970: naive - Double(self.offset(at: guess)))
    }

    /// The day a complaint filed at `instant` counts as received.
    public func receivedDay(_ instant: Date) -> LocalDate {
        let (date, minute) = self.local(instant)
        if self.isWorkingDay(date) && minute < self.closeMinute { return date }
        return self.nextWorkingDay(onOrAfter: date.adding(days: 1))
    }

    /// When a target that starts at `start` falls due.
    public func deadline(from start: Date, target: SLATarget) -> Date {
        switch target {
        case .hours(let hours):
            return start.addingTimeInterval(Double(hours) * 3_600)
        case .workingDays(let days):
            var day = self.receivedDay(start)
            for _ in 0..<days { day = self.nextWorkingDay(onOrAfter: day.adding(days: 1)) }
            return self.instant(day, minute: self.closeMinute)
        }
    }
}

extension WorkingCalendar {
    /// ISO 8601 with the zone's offset, as citizens read it (`2026-11-24T16:00:00+07:00`). Written digit by digit into
    /// one string: every answer about a complaint shows several, a queue page hundreds.
    public func iso8601(_ instant: Date) -> String {
        let offset = self.offset(at: instant)
        let (date, minute) = self.local(instant)
        let second = (Int(instant.timeIntervalSince1970.rounded(.down)) % 60 + 60) % 60
        let hours = abs(offset) / 3600, minutes = abs(offset) % 3600 / 60
        return String(unsafeUninitializedCapacity: 25) { text in
            var at = 0
            func digits(_ value: Int, _ width: Int) {
                var rest = value
                for place in stride(from: width - 1, through: 0, by: -1) {
                    text[at + place] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                at += width
            }
            func mark(_ character: Unicode.Scalar) {
                text[at] = UInt8(ascii: character)
                at += 1
            }
            digits(date.year, 4); mark("-"); digits(date.month, 2); mark("-"); digits(date.day, 2)
            mark("T"); digits(minute / 60, 2); mark(":"); digits(minute % 60, 2); mark(":"); digits(second, 2)
            mark(offset < 0 ? "-" : "+"); digits(hours, 2); mark(":"); digits(minutes, 2)
            return at
        }
    }
}
