import Foundation

/// Checks HTTP responses against an OpenAPI 3.1 document, for tests. Foundation only.
///
/// Supported JSON Schema keywords: `$ref` (any local `#/...` pointer), `type` (string or array), `enum`, `const`,
/// `properties`, `required`, `additionalProperties`, `dependentRequired`, `minProperties`/`maxProperties`, `items`,
/// `minItems`/`maxItems`, `uniqueItems`, `minimum`/`maximum`, `exclusiveMinimum`/`exclusiveMaximum`,
/// `minLength`/`maxLength`, `pattern`, `format` (`date-time` and `date`; other formats are ignored),
/// `allOf`/`anyOf`/`oneOf`, boolean schemas. Annotations are ignored; the other assertion keywords
/// (`not`, `if`, `prefixItems`, ...) are reported as problems so that the document cannot silently outgrow the validator.

struct OpenAPIValidationError: Error, CustomStringConvertible {
    let description: String
}

/// A JSON value that keeps booleans and numbers apart (JSONSerialization returns both as NSNumber).
indirect enum JSONValue: Sendable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(data: Data) throws {
        try self.init(foundation: JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
    }

    init(foundation value: Any) throws {
        switch value {
        case is NSNull: self = .null
        case let number as NSNumber: self = JSONValue.isBoolean(number) ? .bool(number.boolValue) : .number(number.doubleValue)
        case let string as String: self = .string(string)
        case let array as [Any]: self = .array(try array.map(JSONValue.init(foundation:)))
        case let object as [String: Any]: self = .object(try object.mapValues(JSONValue.init(foundation:)))
        default: throw OpenAPIValidationError(description: "unexpected \(type(of: value)) from JSONSerialization")
        }
    }

    // `value is Bool` is true for the numbers 0 and 1 too. Booleans come back as a distinct NSNumber subclass
    // (__NSCFBoolean, on Darwin and on Linux); if a platform ever uses one class, fall back to the "c" (char) encoding.
    private static let booleanClass = ObjectIdentifier(type(of: NSNumber(value: true)))
    private static let integerClass = ObjectIdentifier(type(of: NSNumber(value: 1)))
    static func isBoolean(_ number: NSNumber) -> Bool {
        booleanClass != integerClass
            ? ObjectIdentifier(type(of: number)) == booleanClass : String(cString: number.objCType) == "c"
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { object[key] } else { nil }
    }

    /// The JSON Schema type name: null, boolean, integer, number, string, array or object.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number(let x): x.rounded() == x && x.isFinite ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Compact JSON text, shortened to about `limit` characters, for messages.
    func brief(_ limit: Int = 80) -> String {
        let text: String
        switch self {
        case .null: text = "null"
        case .bool(let b): text = String(b)
        case .number(let x): text = x.rounded() == x && abs(x) < 1e15 ? String(Int64(x)) : String(x)
        case .string(let s): text = "\"" + s.unicodeScalars.map(JSONValue.escape).joined() + "\""
        case .array(let items): text = "[" + items.map { $0.brief(limit) }.joined(separator: ",") + "]"
        case .object(let o): text = "{" + o.keys.sorted().map { "\"\($0)\":" + o[$0]!.brief(limit) }.joined(separator: ",") + "}"
        }
        return text.count > limit ? text.prefix(limit - 1) + "…" : text
    }

    private static func escape(_ c: Unicode.Scalar) -> String {
        switch c {
        case "\"", "\\": "\\" + String(c)
        case "\n": "\\n"
        case "\r": "\\r"
        case "\t": "\\t"
        default: c.value < 0x20 || (0x7F...0x9F).contains(c.value) ? "\\u" + String(format: "%04x", c.value) : String(c)
        }
    }
}

struct OpenAPIContract: Sendable {
    /// The whole document, for tests that walk it.
    let root: JSONValue
    private let regexes = RegexCache()

    init(json: Data) throws {
        root = try JSONValue(data: json)
        guard case .object? = root["paths"] else { throw OpenAPIValidationError(description: "not an OpenAPI document: no `paths` object") }
    }

    /// The value at a local reference such as `#/components/schemas/Problem` (JSON pointer, `~0`/`~1` and %-escapes).
    func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#") else { return nil }
        let pointer = String(reference.dropFirst()).removingPercentEncoding ?? String(reference.dropFirst())
        var node = root
        for token in pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch node {
            case .object(let object): guard let next = object[key] else { return nil }; node = next
            case .array(let items): guard let i = Int(key), items.indices.contains(i) else { return nil }; node = items[i]
            default: return nil
            }
        }
        return node
    }

    /// Validates one response; returns human-readable problems, empty when the response matches the document.
    func problems(method: String, path: String, status: Int, contentType: String?, body: Data) -> [String] {
        let verb = method.lowercased(), path = String(path.prefix { $0 != "?" })
        guard let (template, operation) = operation(method: verb, path: path) else {
            return ["no operation for \(verb.uppercased()) \(path) in the document"]
        }
        let context = "\(template) \(verb.uppercased()) \(status)"
        guard case .object(let responses)? = operation["responses"] else { return ["\(context): the operation has no responses"] }
        let range = "\(status / 100)XX"
        guard let key = [String(status), range, range.lowercased(), "default"].first(where: { responses[$0] != nil }),
            let response = dereference(responses[key]!)
        else {
            let known = responses.keys.sorted().joined(separator: ", ")
            return ["\(context): status \(status) is not documented (documented: \(known))"]
        }
        guard case .object(let content)? = response["content"], !content.isEmpty else {
            return body.isEmpty ? [] : ["\(context): the response documents no content, but the body has \(body.count) bytes"]
        }
        let offered = content.keys.sorted().joined(separator: ", ")
        let mediaType = contentType.flatMap { $0.split(separator: ";").first }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard !mediaType.isEmpty else { return ["\(context): no Content-Type, expected one of \(offered)"] }
        guard let documented = Self.mediaTypeKey(for: mediaType, in: content.keys) else {
            return ["\(context): Content-Type \(mediaType) is not one of \(offered)"]
        }
        let prefix = "\(context) \(mediaType): "
        guard mediaType == "application/json" || mediaType.hasSuffix("+json"),
            let schema = content[documented]?["schema"]
        else { return [] }
        let value: JSONValue
        do { value = try JSONValue(data: body) } catch { return [prefix + "the body is not JSON (\(body.count) bytes)"] }
        return validate(value, against: schema).map { prefix + $0 }
    }

    /// Validates a JSON body against the schema at a local reference, e.g. `#/components/schemas/ComplaintView`.
    func problems(json: Data, schemaAt reference: String) -> [String] {
        do { return problems(value: try JSONValue(data: json), schemaAt: reference) } catch { return ["$: not JSON: \(error)"] }
    }

    func problems(value: JSONValue, schemaAt reference: String) -> [String] {
        guard let schema = resolve(reference) else { return ["no schema at \(reference)"] }
        return validate(value, against: schema)
    }

    /// Validates a value against a schema (which may contain local `$ref`s into this document).
    func validate(_ value: JSONValue, against schema: JSONValue) -> [String] {
        var problems: [String] = []
        check(value, schema, at: "$", visiting: [], into: &problems)
        return problems
    }

    // MARK: - Operations and responses

    /// The operation for a concrete path: templates whose literal segments match, the most literal first.
    private func operation(method: String, path: String) -> (String, JSONValue)? {
        guard case .object(let paths)? = root["paths"] else { return nil }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var best: (template: String, literals: [Bool], operation: JSONValue)?
        for (template, item) in paths {
            let parts = template.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == segments.count, let operation = dereference(item)?[method] else { continue }
            var literals: [Bool] = []
            for (part, segment) in zip(parts, segments) {
                if part.hasPrefix("{") && part.hasSuffix("}") && !segment.isEmpty { literals.append(false) }
                else if part == segment { literals.append(true) }
                else if part.contains("{"), Self.matches(template: part, segment) { literals.append(false) }
                else { literals = []; break }
            }
            guard literals.count == parts.count else { continue }
            // Prefer the most literal segments; on a tie, the template whose first literal comes earlier.
            if let current = best {
                let (a, b) = (literals.filter { $0 }.count, current.literals.filter { $0 }.count)
                let difference = zip(literals, current.literals).first { $0 != $1 }
                guard a > b || (a == b && (difference?.0 ?? (template < current.template))) else { continue }
            }
            best = (template, literals, operation)
        }
        return best.map { ($0.template, $0.operation) }
    }

    /// A segment with parameters inside it (`{service_code}.{format}`): its literal parts in order, each parameter
    /// at least one character.
    private static func matches(template: Substring, _ segment: Substring) -> Bool {
        var pattern = "^"
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            pattern += NSRegularExpression.escapedPattern(for: String(rest[..<open])) + "[^/]+"
            rest = rest[rest.index(after: close)...]
        }
        pattern += NSRegularExpression.escapedPattern(for: String(rest)) + "$"
        return String(segment).range(of: pattern, options: .regularExpression) != nil
    }

    /// Follows `$ref` chains (responses, path items); nil when a reference does not resolve or loops.
    private func dereference(_ value: JSONValue) -> JSONValue? {
        var node = value
        for _ in 0..<32 {
            guard case .string(let reference)? = node["$ref"] else { return node }
            guard let next = resolve(reference) else { return nil }
            node = next
        }
        return nil
    }

    private static func mediaTypeKey(for mediaType: String, in keys: Dictionary<String, JSONValue>.Keys) -> String? {
        let candidates = keys.map { ($0, $0.split(separator: ";").first!.trimmingCharacters(in: .whitespaces).lowercased()) }
        let major = mediaType.split(separator: "/").first.map(String.init) ?? ""
        return candidates.first { $0.1 == mediaType }?.0 ?? candidates.first { $0.1 == major + "/*" }?.0
            ?? candidates.first { $0.1 == "*/*" }?.0
    }

    // MARK: - JSON Schema

    private static let annotationOrHandled: Set<String> = [
        "$ref", "$schema", "$id", "$comment", "$defs", "definitions", "title", "description", "default", "examples",
        "example", "deprecated", "readOnly", "writeOnly", "externalDocs", "discriminator", "xml", "contentMediaType",
        "contentEncoding", "type", "enum", "const", "properties", "required", "additionalProperties",
        "dependentRequired", "minProperties", "maxProperties", "items", "minItems", "maxItems", "uniqueItems",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "format",
        "allOf", "anyOf", "oneOf",
    ]

    private func check(_ value: JSONValue, _ schema: JSONValue, at path: String, visiting: Set<String>, into out: inout [String]) {
        guard case .object(let s) = schema else {
            if case .bool(false) = schema { out.append("\(path): no value is allowed here, got \(value.brief())") }
            return
        }
        if case .string(let reference)? = s["$ref"] {
            let key = reference + " @ " + path  // the same schema at the same place again: a cycle that consumes no data
            if let target = resolve(reference) {
                if !visiting.contains(key) { check(value, target, at: path, visiting: visiting.union([key]), into: &out) }
            } else {
                out.append("\(path): schema error: $ref \(reference) does not resolve")
            }
        }
        for keyword in s.keys.sorted() where !keyword.hasPrefix("x-") && !Self.annotationOrHandled.contains(keyword) {
            out.append("\(path): schema uses the unsupported keyword `\(keyword)`")
        }
        if let type = s["type"] {
            let allowed: [String] = switch type {
            case .string(let t): [t]
            case .array(let ts): ts.compactMap { if case .string(let t) = $0 { t } else { nil } }
            default: []
            }
            let actual = value.typeName
            guard allowed.contains(actual) || (actual == "integer" && allowed.contains("number")) else {
                let got = value == .null ? "null" : "\(actual == "integer" ? "number" : actual) \(value.brief(60))"
                return out.append("\(path): expected \(allowed.joined(separator: " or ")), got \(got)")
            }
        }
        if case .array(let options)? = s["enum"], !options.contains(value) {
            let listed = options.prefix(12).map { $0.brief() }.joined(separator: ", ") + (options.count > 12 ? ", …" : "")
            out.append("\(path): expected one of \(listed), got \(value.brief())")
        }
        if let constant = s["const"], constant != value { out.append("\(path): expected \(constant.brief()), got \(value.brief())") }
        switch value {
        case .string(let string): checkString(string, s, at: path, into: &out)
        case .number(let x):
            let bounds: [(String, String, (Double, Double) -> Bool)] = [
                ("minimum", "less than the minimum", (<)), ("maximum", "more than the maximum", (>)),
                ("exclusiveMinimum", "not more than", (<=)), ("exclusiveMaximum", "not less than", (>=)),
            ]
            for (keyword, words, fails) in bounds {
                if case .number(let bound)? = s[keyword], fails(x, bound) { out.append("\(path): \(value.brief()) is \(words) \(s[keyword]!.brief())") }
            }
        case .array(let items):
            if case .number(let n)? = s["minItems"], Double(items.count) < n { out.append("\(path): \(items.count) items, expected at least \(Int(n))") }
            if case .number(let n)? = s["maxItems"], Double(items.count) > n { out.append("\(path): \(items.count) items, expected at most \(Int(n))") }
            if case .bool(true)? = s["uniqueItems"], let i = items.indices.first(where: { i in items[..<i].contains(items[i]) }) {
                out.append("\(path)[\(i)]: duplicate item \(items[i].brief()), items must be unique")
            }
            if let itemSchema = s["items"] {
                for (i, item) in items.enumerated() { check(item, itemSchema, at: "\(path)[\(i)]", visiting: visiting, into: &out) }
            }
        case .object(let object): checkObject(object, s, at: path, visiting: visiting, into: &out)
        case .null, .bool: break
        }
        if case .array(let all)? = s["allOf"] { for sub in all { check(value, sub, at: path, visiting: visiting, into: &out) } }
        for keyword in ["anyOf", "oneOf"] {
            guard case .array(let alternatives)? = s[keyword] else { continue }
            let results = alternatives.map { sub -> [String] in
                var problems: [String] = []
                check(value, sub, at: path, visiting: visiting, into: &problems)
                return problems
            }
            let matching = results.indices.filter { results[$0].isEmpty }
            if matching.isEmpty {
                let why = results.enumerated().map { "#\($0.offset + 1): \($0.element.prefix(2).joined(separator: "; "))" }
                out.append("\(path): matches none of the \(keyword) alternatives (\(why.joined(separator: " | ")))")
            } else if keyword == "oneOf" && matching.count > 1 {
                let which = matching.map { "#\($0 + 1)" }.joined(separator: ", ")
                out.append("\(path): matches \(matching.count) oneOf alternatives (\(which)), expected exactly one")
            }
        }
    }

    /// The shapes of the checked formats (RFC 3339 `date-time` and `full-date`); other formats are annotations.
    private static let formats = [
        "date-time": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$",
        "date": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
    ]

    private func checkString(_ string: String, _ s: [String: JSONValue], at path: String, into out: inout [String]) {
        let length = string.unicodeScalars.count  // JSON Schema counts code points
        if case .number(let n)? = s["minLength"], Double(length) < n { out.append("\(path): \(length) characters, expected at least \(Int(n))") }
        if case .number(let n)? = s["maxLength"], Double(length) > n { out.append("\(path): \(length) characters, expected at most \(Int(n))") }
        if case .string(let pattern)? = s["pattern"] {
            if let regex = regexes.regex(pattern) {
                if !Self.matches(regex, string) { out.append("\(path): \(JSONValue.string(string).brief()) does not match the pattern \(pattern)") }
            } else {
                out.append("\(path): schema error: invalid pattern \(pattern)")
            }
        }
        if case .string(let format)? = s["format"], let shape = Self.formats[format], let regex = regexes.regex(shape),
            !Self.matches(regex, string)
        {
            out.append("\(path): \(JSONValue.string(string).brief()) is not a \(format == "date" ? "date (YYYY-MM-DD)" : "date-time (RFC 3339)")")
        }
    }

    private func checkObject(
        _ object: [String: JSONValue], _ s: [String: JSONValue], at path: String, visiting: Set<String>, into out: inout [String]
    ) {
        if case .array(let required)? = s["required"] {
            for case .string(let name) in required where object[name] == nil { out.append("\(path): missing required property \"\(name)\"") }
        }
        if case .object(let dependencies)? = s["dependentRequired"] {
            for (trigger, needed) in dependencies.sorted(by: { $0.key < $1.key }) where object[trigger] != nil {
                guard case .array(let names) = needed else { continue }
                for case .string(let name) in names where object[name] == nil {
                    out.append("\(path): missing property \"\(name)\", required when \"\(trigger)\" is present")
                }
            }
        }
        if case .number(let n)? = s["minProperties"], Double(object.count) < n { out.append("\(path): \(object.count) properties, expected at least \(Int(n))") }
        if case .number(let n)? = s["maxProperties"], Double(object.count) > n { out.append("\(path): \(object.count) properties, expected at most \(Int(n))") }
        let properties: [String: JSONValue] = if case .object(let p)? = s["properties"] { p } else { [:] }
        for name in object.keys.sorted() {
            let plain = name.first.map { !$0.isNumber } == true && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            let child = path + (plain ? ".\(name)" : "[\(JSONValue.string(name).brief())]")
            if let sub = properties[name] {
                check(object[name]!, sub, at: child, visiting: visiting, into: &out)
            } else if case .bool(false)? = s["additionalProperties"] {
                out.append("\(child): unexpected property (additionalProperties is false)")
            } else if let extra = s["additionalProperties"] {
                check(object[name]!, extra, at: child, visiting: visiting, into: &out)
            }
        }
    }

    private static func matches(_ regex: NSRegularExpression, _ string: String) -> Bool {
        regex.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) != nil
    }
}

/// Compiled patterns, shared by copies of the document. ECMA-262 `$` (end of input) becomes ICU `\z`:
/// ICU's `$` also matches before a final line terminator, so "2611-00001\n" would pass `^...$`.
private final class RegexCache: @unchecked Sendable {
    private let lock = NSLock()
    private var compiled: [String: NSRegularExpression?] = [:]

    func regex(_ pattern: String) -> NSRegularExpression? {
        lock.lock()
        defer { lock.unlock() }
        if let cached = compiled[pattern] { return cached }
        var icu = "", escaped = false, inClass = false
        for c in pattern {
            defer { escaped = !escaped && c == "\\" }
            switch c {
            case "$" where !escaped && !inClass: icu += "\\z"; continue
            case "[" where !escaped: inClass = true
            case "]" where !escaped: inClass = false
            default: break
            }
            icu.append(c)
        }
        let regex = try? NSRegularExpression(pattern: icu)
        compiled[pattern] = regex
        return regex
    }
}
