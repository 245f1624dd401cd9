import AduanAPI
import AduanCore
import AduanPhotos
import AduanWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The bytes of a committed test image (`Tests/Fixtures/photos`, described in its README).
func photoFixture(_ name: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/photos/\(name)")
    guard let data = FileManager.default.contents(atPath: url.path) else { throw FixtureMissing(path: url.path) }
    return Array(data)
}

struct FixtureMissing: Error, CustomStringConvertible {
    let path: String
    var description: String { "no fixture at \(self.path)" }
}

/// One part of a test form.
struct Part {
    let name: String
    let filename: String?
    let contentType: String
    let bytes: [UInt8]

    static func json(_ name: String, _ value: some Encodable) -> Part {
        Part(name: name, filename: nil, contentType: "application/json", bytes: Array(body(value).readableBytesView))
    }

    /// A photo part; the file name and Content-Type are what a phone might send, and never decide anything.
    static func photo(_ fixture: String, contentType: String = "image/jpeg") throws -> Part {
        Part(name: "photo", filename: fixture, contentType: contentType, bytes: try photoFixture(fixture))
    }
}

/// A `multipart/form-data` body and the Content-Type that names its boundary.
func form(_ parts: [Part], boundary: String = "aduan-test-\(UUID().uuidString)") -> (ByteBuffer, HTTPFields) {
    var buffer = ByteBuffer()
    for part in parts {
        let filename = part.filename.map { "; filename=\"\($0)\"" } ?? ""
        buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\"\(filename)\r\n")
        buffer.writeString("Content-Type: \(part.contentType)\r\n\r\n")
        buffer.writeBytes(part.bytes)
        buffer.writeString("\r\n")
    }
    buffer.writeString("--\(boundary)--\r\n")
    return (buffer, [.contentType: "multipart/form-data; boundary=\(boundary)"])
}

/// Posts a form; `extra` adds headers (a token).
func postForm(_ client: any TestClientProtocol, _ uri: String, _ parts: [Part], headers extra: HTTPFields = [:]) async throws -> TestResponse {
    let (buffer, contentType) = form(parts)
    var headers = contentType
    // `bearer()` also says JSON: the form's own Content-Type is the one that counts.
    for field in extra where field.name != .contentType { headers.append(field) }
    return try await client.execute(uri: uri, method: .post, headers: headers, body: buffer)
}

/// Files a complaint with photos; it must be accepted.
func fileWithPhotos(
    _ client: any TestClientProtocol, _ request: SubmitComplaintRequest, photos: [String]
) async throws -> SubmittedComplaint {
    let response = try await postForm(client, "/v1/complaints", [.json("complaint", request)] + (try photos.map { try Part.photo($0) }))
    #expect(response.status == .created, "\(String(buffer: response.body))")
    return try decode(SubmittedComplaint.self, response)
}

/// A `jalan_rusak` in Metro with no location of its own: the photo's GPS places it.
let roadWithoutLocation = SubmitComplaintRequest(
    category: "jalan_rusak", description: "Jalan berlubang besar di depan pasar, membahayakan pengendara.")

/// The field names of a 422's errors.
func errorFields(_ response: TestResponse) throws -> [String: String] {
    let problem = try decode(ProblemDocument.self, response)
    return Dictionary((problem.errors ?? []).map { ($0.field, $0.code) }, uniquingKeysWith: { a, _ in a })
}

/// What a JPEG served as a public copy or thumbnail holds: its size, and any EXIF left in it.
func inspect(_ bytes: [UInt8]) throws -> ProcessedImage {
    try PhotoProcessor(limits: PhotoLimits()).process(bytes)
}
