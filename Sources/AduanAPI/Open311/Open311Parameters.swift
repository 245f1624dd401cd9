import AduanCore
import Foundation
import Hummingbird

/// The parameters of an Open311 request, from the query string and, for a POST, the form body
/// (`application/x-www-form-urlencoded`, or the text parts of `multipart/form-data`). A name may repeat: FixMyStreet
/// repeats `attribute[code]` for a multi-value answer, where the spec writes `attribute[code][]`.
struct Open311Parameters: Sendable {
    private(set) var pairs: [(name: String, value: String)] = []

    init(pairs: [(name: String, value: String)] = []) { self.pairs = pairs }

    init(query request: Request) throws {
        self.pairs = try Self.decode(request.uri.query ?? "")
    }

    mutating func append(urlEncoded body: String) throws { self.pairs += try Self.decode(body) }
    mutating func append(_ name: String, _ value: String) { self.pairs.append((name, value)) }

    /// The first value of a parameter, trimmed; nil when absent or empty.
    subscript(_ name: String) -> String? {
        self.pairs.first { $0.name == name }.map { $0.value.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Every value of a parameter, in order.
    func all(_ name: String) -> [String] { self.pairs.filter { $0.name == name }.map(\.value) }

    /// A comma-separated parameter as its items (`status=open,closed`), trimmed and without empties; nil when absent.
    func list(_ name: String) -> [String]? {
        guard let raw = self[name] else { return nil }
        return raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The answers in `attribute[code]=v`, `attribute[code][]=v` and repeated `attribute[code]=v`.
    var attributes: AttributeAnswers {
        var answers: AttributeAnswers = [:]
        for (name, value) in self.pairs where name.hasPrefix("attribute[") {
            var code = name.dropFirst("attribute[".count)
            if code.hasSuffix("][]") { code = code.dropLast(3) } else if code.hasSuffix("]") { code = code.dropLast() } else { continue }
            guard !code.isEmpty, !code.contains("[") else { continue }
            answers[String(code), default: []].append(value)
        }
        return answers
    }

    /// `a=1&b=2`, with `+` as a space and percent-escapes decoded (names too: `attribute%5Bsize%5D`). An escape that
    /// is not UTF-8 is refused rather than stored as typed.
    static func decode(_ text: String) throws -> [(name: String, value: String)] {
        try text.split(separator: "&", omittingEmptySubsequences: true).map { piece in
            let parts = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ part: Substring) throws -> String {
                guard let text = part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
                    throw Open311Error.badRequest("\(parts[0].prefix(40)): not percent-encoded UTF-8")
                }
                return text
            }
            return (try decoded(parts[0]), parts.count > 1 ? try decoded(parts[1]) : "")
        }
    }
}
