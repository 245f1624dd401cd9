import AduanCore
import Foundation
import HTTPTypes
import Hummingbird

extension Response {
    /// A JSON response written by the API's encoder (`APIJSON`).
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try APIJSON.encode(value))))
    }
}

extension Request {
    /// The token of an `Authorization: Bearer TOKEN` header.
    var bearerToken: String? {
        guard let header = self.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// The body, refused with 413 past `limit` bytes whether or not the client declared its length.
    func collectBody(limit: Int) async throws -> ByteBuffer {
        if let declared = self.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw Problem(.payloadTooLarge, context: "max \(limit) bytes")
        }
        do {
            return try await self.body.collect(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            // Past the limit, `collect(upTo:)` throws NIO's NIOTooManyBytesError (an HTTPResponseError), not an HTTPError.
            throw Problem(.payloadTooLarge, context: "max \(limit) bytes")
        }
    }

    /// Decodes a JSON body, telling malformed JSON (400) from a field of the wrong type (400, with the field).
    func decodeJSON<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
        } catch DecodingError.typeMismatch(_, let context) {
            throw Problem(.invalidBody, fieldErrors: [FieldErrorPath.wrongType(context.codingPath)])
        } catch DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty {
            throw Problem(.invalidBody, fieldErrors: [FieldErrorPath.wrongType(context.codingPath)])
        } catch {
            throw Problem(.malformedJSON)
        }
    }
}

/// A field of the wrong type, named by its path in the body (`location.lat`).
enum FieldErrorPath {
    static func wrongType(_ path: [any CodingKey]) -> FieldError {
        let name = path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        return FieldError(field: name.isEmpty ? "body" : name, code: .wrongType)
    }
}
