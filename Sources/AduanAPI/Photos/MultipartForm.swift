import AduanCore
import Foundation
import HTTPTypes
import Hummingbird
import MultipartKit

/// One part of a `multipart/form-data` body.
struct FormPart {
    let name: String?
    let filename: String?
    let body: ByteBuffer
}

/// A `multipart/form-data` body, parsed whole (its size was bounded when it was collected).
enum MultipartForm {
    /// Whether the request says it carries a form.
    static func isMultipart(_ request: Request) -> Bool {
        guard let type = request.headers[.contentType] else { return false }
        return type.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() == "multipart/form-data"
    }

    /// The boundary the Content-Type names.
    static func boundary(_ request: Request) throws -> String {
        let parameters = (request.headers[.contentType] ?? "").split(separator: ";").dropFirst()
        for parameter in parameters {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                if (1...70).contains(value.count) { return value }
            }
        }
        throw Problem(.badRequest, context: "multipart/form-data without a boundary")
    }

    /// The parts, in order; a body that is not a well-formed form is a 400.
    static func parts(of request: Request, limit: Int) async throws -> [FormPart] {
        let boundary = try Self.boundary(request)
        let body = try await request.collectBody(limit: limit)
        var parts: [FormPart] = []
        var headers: [(String, String)] = []
        var current = ByteBuffer()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in headers.append((name, value)) }
        parser.onBody = { chunk in current.writeBuffer(&chunk) }
        parser.onPartComplete = {
            let disposition = headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
            parts.append(FormPart(name: Self.parameter("name", disposition), filename: Self.parameter("filename", disposition), body: current))
            headers = []
            current = ByteBuffer()
        }
        do {
            try parser.execute(body)
        } catch {
            throw Problem(.badRequest, context: "malformed multipart/form-data body")
        }
        // A body cut before its closing boundary leaves a part open: it is not a complete form.
        guard headers.isEmpty, current.readableBytes == 0, !parts.isEmpty || body.readableBytes == 0 else {
            throw Problem(.badRequest, context: "multipart/form-data body ends inside a part")
        }
        return parts
    }

    /// The one part named `name` (a form's JSON): a missing one is `required`, a second one `too_many`.
    static func onePart(named name: String, in parts: [FormPart]) throws -> FormPart {
        let named = parts.filter { $0.name == name }
        guard named.count == 1, let part = named.first else {
            throw Problem(.validationFailed, fieldErrors: [FieldError(field: name, code: named.isEmpty ? .required : .tooMany, limit: 1)])
        }
        return part
    }

    /// A form part this endpoint does not know is refused by name, rather than silently dropped.
    static func refuseUnknownParts(_ parts: [FormPart], known: Set<String>) throws {
        if let unknown = parts.first(where: { !known.contains($0.name ?? "") }) {
            throw Problem(.validationFailed, fieldErrors: [FieldError(field: unknown.name ?? "(unnamed part)", code: .invalidValue)])
        }
    }

    /// A parameter of a Content-Disposition header (`form-data; name="photo"; filename="a.jpg"`).
    static func parameter(_ key: String, _ header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == key {
                return pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2
                    ? String(pair[1].dropFirst().dropLast()) : pair[1]
            }
        }
        return nil
    }
}
