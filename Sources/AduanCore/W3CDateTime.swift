import Foundation

/// W3C date-times (the ISO 8601 profile Open311 uses) as clients send them: `2026-12-01T08:30:00+07:00`, with `Z` or
/// an offset, seconds and fractions optional; a date alone (`2026-12-01`) is midnight UTC. What Aduan writes has an
/// offset and no fractions (`WorkingCalendar.iso8601`).
public enum W3CDateTime {
    public static func parse(_ text: String) -> Date? {
        let scalars = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= scalars.count else { return nil }
            var value = 0
            for byte in scalars[index..<index + digits] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += digits
            return value
        }
        func expect(_ character: UInt8) -> Bool {
            guard index < scalars.count, scalars[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(UInt8(ascii: "-")), let month = number(2), expect(UInt8(ascii: "-")),
            let day = number(2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var components = DateComponents(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        var offsetSeconds = 0
        var fraction = 0.0
        if index < scalars.count {
            guard expect(UInt8(ascii: "T")) || expect(UInt8(ascii: "t")) || expect(UInt8(ascii: " ")), let hour = number(2), expect(UInt8(ascii: ":")),
                let minute = number(2), hour < 24, minute < 60
            else { return nil }
            components.hour = hour
            components.minute = minute
            if expect(UInt8(ascii: ":")) {
                guard let second = number(2), second < 61 else { return nil }
                components.second = min(second, 59)
                if expect(UInt8(ascii: ".")) {
                    let start = index
                    while index < scalars.count, scalars[index] >= 48, scalars[index] <= 57 { index += 1 }
                    guard index > start, let value = Double("0." + String(decoding: scalars[start..<index], as: UTF8.self)) else { return nil }
                    fraction = value
                }
            }
            // A time needs its zone: a local time alone names no instant.
            if expect(UInt8(ascii: "Z")) || expect(UInt8(ascii: "z")) {
                offsetSeconds = 0
            } else {
                let sign: Int
                if expect(UInt8(ascii: "+")) { sign = 1 } else if expect(UInt8(ascii: "-")) { sign = -1 } else { return nil }
                guard let hours = number(2) else { return nil }
                _ = expect(UInt8(ascii: ":"))
                guard let minutes = number(2), hours <= 14, minutes < 60 else { return nil }
                offsetSeconds = sign * (hours * 3600 + minutes * 60)
            }
            guard index == scalars.count else { return nil }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: components), calendar.component(.day, from: date) == day else { return nil }
        return date.addingTimeInterval(fraction - Double(offsetSeconds))
    }
}
