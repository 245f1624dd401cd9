import AduanCore
import Foundation

/// Timestamps as GRDB stores them (`YYYY-MM-DD HH:MM:SS.SSS`, UTC), formatted by hand: GRDB's own encoding goes
/// through Foundation's DateFormatter (ICU), which was the largest single cost of filing a complaint.
enum DatabaseTimestamp {
    static func string(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let days = Int(milliseconds.quotientAndRemainder(dividingBy: 86_400_000).quotient
            - (milliseconds < 0 && milliseconds % 86_400_000 != 0 ? 1 : 0))
        let inDay = Int(milliseconds - Int64(days) * 86_400_000)
        let day = LocalDate(dayNumber: days)
        return "\(day) \(zeroPadded(inDay / 3_600_000, 2)):\(zeroPadded(inDay / 60_000 % 60, 2)):\(zeroPadded(inDay / 1000 % 60, 2))"
            + ".\(zeroPadded(inDay % 1000, 3))"
    }

    static func string(millis: Int64) -> String { self.string(Date(timeIntervalSince1970: Double(millis) / 1000)) }

    /// A stored timestamp (`YYYY-MM-DD HH:MM:SS[.SSS]`, UTC) in milliseconds since 1970, parsed from its bytes
    /// without a String or a formatter (the monthly report reads millions); nil when too short to be one.
    static func millis(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard text.count >= 19, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"), text[13] == UInt8(ascii: ":"),
            text[16] == UInt8(ascii: ":")
        else { return nil }
        for index in 0..<19 where index != 4 && index != 7 && index != 10 && index != 13 && index != 16 {
            guard text[index] >= 0x30 && text[index] <= 0x39 else { return nil }
        }
        func number(_ from: Int, _ count: Int) -> Int64 {
            var value: Int64 = 0
            for index in from..<from + count { value = value * 10 + Int64(text[index] &- 48) }
            return value
        }
        let days = Int64(LocalDate.dayNumber(year: Int(number(0, 4)), month: Int(number(5, 2)), day: Int(number(8, 2))))
        var millis = ((days * 24 + number(11, 2)) * 60 + number(14, 2)) * 60_000 + number(17, 2) * 1000
        if text.count >= 23 && text[19] == UInt8(ascii: ".") { millis += number(20, 3) }
        return millis
    }

    static func millis(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { self.millis($0) }
    }

    /// The instant of a stored timestamp, whole milliseconds as filed; nil when the text is not one.
    static func date(_ text: String) -> Date? {
        self.millis(text).map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }
}
