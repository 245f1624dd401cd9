import Hummingbird

/// The languages the API answers in: Indonesian by default, English on request.
enum Language: String, Sendable {
    case id, en

    /// The best match for an `Accept-Language` header (RFC 9110 §12.5.4), Indonesian when nothing matches.
    init(acceptLanguage header: String?) {
        var best: (Language, Double)?
        for part in (header ?? "").split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let tag = pieces.first else { continue }
            let q = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            let primary = tag.split(separator: "-").first.map(String.init) ?? tag
            guard let language = Language(rawValue: primary == "in" ? "id" : primary), q > 0 else { continue }
            if best == nil || q > best!.1 { best = (language, q) }
        }
        self = best?.0 ?? .id
    }

    init(_ request: Request) {
        self.init(acceptLanguage: request.headers[.acceptLanguage])
    }
}
