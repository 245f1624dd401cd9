import AduanCore
import Foundation

/// A flat string map as a JSON object with sorted keys, for event details.
enum DetailsJSON {
    static func encode(_ details: [String: String]) -> String {
        "{" + details.keys.sorted().map { "\(JSONText.quote($0)):\(JSONText.quote(details[$0]!))" }.joined(separator: ",") + "}"
    }

    /// The map back; an empty one for text that is not such an object. What `encode` wrote is read by hand (the
    /// dispatcher reads every announcement's fields); anything else goes through JSONDecoder.
    static func decode(_ text: String) -> [String: String] {
        if let map = self.decodeOwn(text) { return map }
        return (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }

    /// `{"k":"v",...}` with only the escapes `quote` writes; nil for anything else.
    static func decodeOwn(_ text: String) -> [String: String]? {
        var scalars = text.unicodeScalars.makeIterator()
        func string() -> String? {
            var out = String.UnicodeScalarView()
            while let scalar = scalars.next() {
                switch scalar {
                case "\"": return String(out)
                case "\\":
                    switch scalars.next() {
                    case "\"": out.append("\"")
                    case "\\": out.append("\\")
                    case "n": out.append("\n")
                    case "r": out.append("\r")
                    case "t": out.append("\t")
                    case "u":
                        var hex = ""
                        for _ in 0..<4 { guard let digit = scalars.next() else { return nil }; hex.unicodeScalars.append(digit) }
                        guard let value = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(value) else { return nil }
                        out.append(decoded)
                    default: return nil
                    }
                default: out.append(scalar)
                }
            }
            return nil
        }
        guard scalars.next() == "{" else { return nil }
        var map: [String: String] = [:]
        var next = scalars.next()
        if next == "}" { return scalars.next() == nil ? map : nil }
        while true {
            guard next == "\"", let key = string(), scalars.next() == ":", scalars.next() == "\"", let value = string() else { return nil }
            map[key] = value
            next = scalars.next()
            if next == "}" { return scalars.next() == nil ? map : nil }
            guard next == "," else { return nil }
            next = scalars.next()
        }
    }

}
