import Foundation

/// An Indonesian mobile number in one form, `62` then the number without its trunk `0` (`6281234567890`): `0812…`,
/// `+62812…`, `62812…` and `+62 812-3456-7890` are the same phone. Sign-in codes go only to mobiles (`8` after the
/// country code), which is what SMS and WhatsApp reach.
public struct PhoneNumber: Hashable, Sendable, CustomStringConvertible {
    /// Digits only, starting `628`.
    public let digits: String

    /// Nil when `text` is not an Indonesian mobile number: separators (space, dash, dot, parentheses) are allowed, a
    /// `+` only in front, and the number after `62` must be 9 to 12 digits starting with 8.
    public init?(_ text: String) {
        var raw = Substring(text.trimmingCharacters(in: .whitespaces))
        if raw.hasPrefix("+") { raw = raw.dropFirst() }
        var digits = ""
        for character in raw {
            if let ascii = character.asciiValue, (0x30...0x39).contains(ascii) {
                digits.append(character)
            } else if !" -.()".contains(character) {
                return nil
            }
        }
        if digits.hasPrefix("0") {
            digits = "62" + digits.dropFirst()
        } else if !digits.hasPrefix("62") {
            return nil
        }
        let national = digits.dropFirst(2)
        guard national.hasPrefix("8"), (9...12).contains(national.count) else { return nil }
        self.digits = digits
    }

    /// The international form people read: `+6281234567890`.
    public var international: String { "+" + self.digits }
    public var description: String { self.international }

    /// Enough to tell numbers apart in a log or a view, not enough to call: `+62812*****890`.
    public var masked: String {
        let text = self.international
        return String(text.prefix(6)) + String(repeating: "*", count: max(0, text.count - 9)) + String(text.suffix(3))
    }
}
