import Foundation

/// A calendar date without a time or a zone, as written in the holiday list ("2026-03-20").
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= LocalDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`; anything else, including impossible dates, is nil.
    public init?(iso string: String) {
        let parts = string.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var description: String {
        "\(zeroPadded(self.year, 4))-\(zeroPadded(self.month, 2))-\(zeroPadded(self.day, 2))"
    }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (civil-from-days algorithm by Howard Hinnant).
    public var dayNumber: Int { Self.dayNumber(year: self.year, month: self.month, day: self.day) }

    /// The same for a date not validated first: for parsing stored timestamps in bulk (the monthly report).
    public static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public init(dayNumber z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: self.dayNumber + days) }

    /// The first day of the month `months` after (or before) this date's month.
    public func firstOfMonth(adding months: Int) -> LocalDate {
        let index = self.year * 12 + (self.month - 1) + months
        return LocalDate(year: index / 12, month: index % 12 + 1, day: 1)!
    }

    /// ISO weekday: 1 = Monday ... 7 = Sunday.
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday (4).
        let w = (self.dayNumber % 7 + 7) % 7
        return (w + 3) % 7 + 1
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.dayNumber < rhs.dayNumber }
}

/// `value` in decimal with leading zeros to `width` digits; cheaper than `String(format:)` on hot paths.
public func zeroPadded(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

extension Date {
    /// This instant to whole milliseconds, the precision the database keeps; values read back compare equal.
    public var wholeMilliseconds: Date {
        Date(timeIntervalSince1970: (self.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }

    /// Like `wholeMilliseconds`, for a value parsed from storage that may be a hair below its millisecond.
    public var nearestMillisecond: Date {
        Date(timeIntervalSince1970: (self.timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}
