import AduanCore
import Foundation
import HTTPTypes
import Hummingbird

/// Open311's two formats, chosen by the path's suffix (`services.xml`, `requests/2612-00001.json`).
enum Open311Format: String, Sendable {
    case xml, json

    var contentType: String { self == .xml ? "text/xml; charset=utf-8" : "application/json; charset=utf-8" }

    /// The format a path asks for: its last segment's suffix; XML when it has none (the spec's default).
    init(path: String) {
        let last = path.split(separator: "/").last ?? ""
        self = last.hasSuffix(".json") ? .json : .xml
    }
}

/// A document in Open311's shape, written once and rendered in either format: an object's fields keep their order;
/// a list is a JSON array and, in XML, a wrapper element around one element per item (the spec's wrappers are there
/// even for one item, which clients such as FixMyStreet rely on).
indirect enum Open311Node: Sendable {
    case text(String?)
    case integer(Int)
    case decimal(Double)
    case boolean(Bool)
    case object([(String, Open311Node)])
    case list(item: String, [Open311Node])

    /// The whole response: `root` is the outermost XML element (`services`, `service_requests`, `errors`...).
    func response(root: String, _ format: Open311Format, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var out = ""
        switch format {
        case .xml:
            out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            self.xml(root, into: &out)
            out += "\n"
        case .json:
            self.json(into: &out)
        }
        var headers = headers
        headers[.contentType] = format.contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: out)))
    }

    func xml(_ name: String, into out: inout String) {
        switch self {
        case .text(let value):
            guard let value, !value.isEmpty else {
                out += "<\(name)/>"
                return
            }
            out += "<\(name)>\(Self.escapeXML(value))</\(name)>"
        case .integer(let value): out += "<\(name)>\(value)</\(name)>"
        case .decimal(let value): out += "<\(name)>\(Self.decimal(value))</\(name)>"
        case .boolean(let value): out += "<\(name)>\(value)</\(name)>"
        case .object(let fields):
            out += "<\(name)>"
            for (key, value) in fields { value.xml(key, into: &out) }
            out += "</\(name)>"
        case .list(let item, let values):
            out += "<\(name)>"
            for value in values { value.xml(item, into: &out) }
            out += "</\(name)>"
        }
    }

    func json(into out: inout String) {
        switch self {
        case .text(let value): out += value.map(JSONText.quote) ?? "null"
        case .integer(let value): out += String(value)
        case .decimal(let value): out += Self.decimal(value)
        case .boolean(let value): out += value ? "true" : "false"
        case .object(let fields):
            out += "{"
            for (index, (key, value)) in fields.enumerated() {
                if index > 0 { out += "," }
                out += JSONText.quote(key) + ":"
                value.json(into: &out)
            }
            out += "}"
        case .list(_, let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                value.json(into: &out)
            }
            out += "]"
        }
    }

    /// Coordinates and numbers as plain decimals, never in exponent form.
    static func decimal(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(format: "%.7f", value)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// Text as XML character data. Characters XML 1.0 cannot carry at all (C0 controls other than tab and newlines)
    /// are dropped; intake refuses them, so none should be stored.
    static func escapeXML(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

}
