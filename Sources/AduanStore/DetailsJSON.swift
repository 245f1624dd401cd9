import Foundation

/// A flat string map as a JSON object with sorted keys, for event details.
enum DetailsJSON {
    static func encode(_ details: [String: String]) -> String {
        "{" + details.keys.sorted().map { "\(self.quote($0)):\(self.quote(details[$0]!))" }.joined(separator: ",") + "}"
    }

    /// The map back; an empty one for text that is not such an object.
    static func decode(_ text: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
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
