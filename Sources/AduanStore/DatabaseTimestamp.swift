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
}

/// A flat string map as a JSON object with sorted keys, for event details.
enum DetailsJSON {
    static func encode(_ details: [String: String]) -> String {
        "{" + details.keys.sorted().map { "\(self.quote($0)):\(self.quote(details[$0]!))" }.joined(separator: ",") + "}"
    }

    static func quote(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
