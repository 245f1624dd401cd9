import AduanAPI
import AduanCore
import AduanStore
import AduanWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@Suite("HTTP API: filing and following complaints")
struct ComplaintsAPITests {
    @Test("POST /v1/complaints files, routes and times a complaint and shows the token once")
    func submit() async throws {
        try await withAPI { client, store in
            let response = try await client.execute(uri: "/v1/complaints", method: .post, headers: jsonHeaders, body: body(validComplaint))
            #expect(response.status == .created)
            let created = try decode(SubmittedComplaint.self, response)
            #expect(Ticket.isWellFormed(created.ticket))
            #expect(response.headers[.location] == "/v1/complaints/\(created.ticket)")
            #expect(created.status == "submitted")
            #expect(created.opd.code == "DLH-1871")
            #expect(created.region.name == "Kedaton")
            #expect(created.sla.response_due_at.hasSuffix("16:00:00+07:00"))
            #expect(created.tracking_token.count == 43)
            #expect(try await store.complaintCount() == 1)
        }
    }

    @Test("the public view never shows the reporter; the reporter's token shows everything and the history")
    func views() async throws {
        try await withAPI { client, _ in
            let created = try await file(client)

            let publicView = try await client.execute(uri: "/v1/complaints/\(created.ticket)", method: .get)
            #expect(publicView.status == .ok)
            let shown = try decode(ComplaintView.self, publicView)
            #expect(shown.reporter == nil && shown.address == nil && shown.history == nil && shown.anonymous == nil)
            // The raw bytes too: what must be absent is absent from the JSON, not only from the decoded fields.
            let publicText = String(buffer: publicView.body)
            #expect(!publicText.contains("Siti"))
            #expect(!publicText.contains("812"))
            #expect(!publicText.contains("Teuku Umar"))
            #expect(!publicText.contains("history"))

            let own = try await client.execute(
                uri: "/v1/complaints/\(created.ticket)", method: .get, headers: [.authorization: "Bearer \(created.tracking_token)"])
            #expect(own.status == .ok)
            let ownView = try decode(ComplaintView.self, own)
            #expect(ownView.reporter?.name == "Siti Rahma")
            #expect(ownView.address == "Jl. Teuku Umar No. 5")
            let history = try #require(ownView.history)
            #expect(history.map(\.kind) == ["submitted", "routed"])

            let wrong = try await client.execute(
                uri: "/v1/complaints/\(created.ticket)", method: .get, headers: [.authorization: "Bearer not-the-token"])
            #expect(wrong.status == .unauthorized)
            #expect(try problem(wrong).type == "/problems/invalid-tracking-token")
        }
    }

    @Test("a private complaint does not exist for the public, but does for its reporter")
    func privateComplaint() async throws {
        try await withAPI { client, _ in
            let created = try await file(client, validComplaint.with(visibility: "private"))
            #expect(created.visibility == "private")
            let hidden = try await client.execute(uri: "/v1/complaints/\(created.ticket)", method: .get)
            #expect(hidden.status == .notFound)
            #expect(hidden.headers[.contentType] == "application/problem+json")
            let own = try await client.execute(
                uri: "/v1/complaints/\(created.ticket)", method: .get, headers: [.authorization: "Bearer \(created.tracking_token)"])
            #expect(own.status == .ok)
            #expect(try decode(ComplaintView.self, own).ticket == created.ticket)
        }
    }

    @Test("pungli is private by default, whatever the category of the OPD")
    func pungliPrivate() async throws {
        try await withAPI { client, _ in
            let input = SubmitComplaintRequest(
                category: "pungli", description: "Diminta uang di loket pelayanan.", region: "18.04.04", anonymous: true)
            let created = try await file(client, input)
            #expect(created.visibility == "private")
            #expect(created.anonymous == true)
            #expect(created.opd.code == "INSPEKTORAT-18")
        }
    }

    @Test("a retry with the same Idempotency-Key gets the same complaint and token; another body with it is 422")
    func idempotency() async throws {
        try await withAPI { client, store in
            var headers = jsonHeaders
            headers[HTTPField.Name("Idempotency-Key")!] = "0b8f3c1e-2d4a-4c55-9a1f-7e2b6c0d9f11"
            let first = try await client.execute(uri: "/v1/complaints", method: .post, headers: headers, body: body(validComplaint))
            // The retry's JSON is laid out differently (indented, keys in declaration order): the same request all the same.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted]
            let retryBody = ByteBuffer(bytes: try encoder.encode(validComplaint))
            #expect(retryBody != body(validComplaint))
            let again = try await client.execute(uri: "/v1/complaints", method: .post, headers: headers, body: retryBody)
            #expect(first.status == .created)
            #expect(again.status == .created)
            let (a, b) = (try decode(SubmittedComplaint.self, first), try decode(SubmittedComplaint.self, again))
            #expect(a.ticket == b.ticket)
            #expect(a.tracking_token == b.tracking_token)
            #expect(again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            let other = validComplaint.with(description: "Keluhan yang lain sama sekali.")
            let reused = try await client.execute(uri: "/v1/complaints", method: .post, headers: headers, body: body(other))
            #expect(reused.status == .unprocessableContent)
            #expect(try problem(reused).type == "/problems/idempotency-key-reused")
            #expect(try await store.complaintCount() == 1)
            // A key shorter than 16 characters is easy to guess or to share by accident: refused.
            headers[HTTPField.Name("Idempotency-Key")!] = "retry-0000001"
            let short = try await client.execute(uri: "/v1/complaints", method: .post, headers: headers, body: body(validComplaint))
            #expect(short.status == .badRequest)
            #expect(try problem(short).type == "/problems/invalid-idempotency-key")
        }
    }

    struct BadInput: CustomTestStringConvertible, Sendable {
        let name: String
        let body: String
        let status: HTTPResponse.Status
        let type: String
        let field: String?
        var testDescription: String { self.name }
    }

    static let badInputs: [BadInput] = [
        BadInput(name: "malformed JSON", body: "{\"category\": ", status: .badRequest, type: "malformed-json", field: nil),
        BadInput(name: "not an object", body: "[1,2]", status: .badRequest, type: "invalid-body", field: nil),
        BadInput(name: "empty body", body: "", status: .badRequest, type: "malformed-json", field: nil),
        BadInput(
            name: "wrong type", body: #"{"category": 5, "description": "cukup panjang ya", "region": "18.71.01"}"#, status: .badRequest,
            type: "invalid-body", field: "category"),
        BadInput(
            name: "wrong nested type",
            body: #"{"category": "sampah", "description": "cukup panjang ya", "location": {"lat": "x", "lng": 1}}"#, status: .badRequest,
            type: "invalid-body", field: "location.lat"),
        BadInput(
            name: "unknown category", body: #"{"category": "ufo", "description": "cukup panjang ya", "region": "18.71.01"}"#,
            status: .unprocessableContent, type: "validation-failed", field: "category"),
        BadInput(
            name: "unknown region", body: #"{"category": "sampah", "description": "cukup panjang ya", "region": "18.99.99"}"#,
            status: .unprocessableContent, type: "validation-failed", field: "region"),
        BadInput(
            name: "short description", body: #"{"category": "sampah", "description": "pendek", "region": "18.71.01"}"#,
            status: .unprocessableContent, type: "validation-failed", field: "description"),
        BadInput(
            name: "long description",
            body: #"{"category": "sampah", "description": "\#(String(repeating: "x", count: 4001))", "region": "18.71.01"}"#,
            status: .unprocessableContent, type: "validation-failed", field: "description"),
        BadInput(
            name: "control characters", body: #"{"category": "sampah", "description": "sampah di \u001b[31m pasar", "region": "18.71.01"}"#,
            status: .unprocessableContent, type: "validation-failed", field: "description"),
        BadInput(
            name: "coordinates out of range",
            body: #"{"category": "sampah", "description": "cukup panjang ya", "location": {"lat": -95, "lng": 105}}"#,
            status: .unprocessableContent, type: "validation-failed", field: "location.lat"),
        BadInput(
            name: "outside the province",
            body: #"{"category": "sampah", "description": "cukup panjang ya", "location": {"lat": -6.2, "lng": 106.8}}"#,
            status: .unprocessableContent, type: "validation-failed", field: "location"),
        BadInput(
            name: "phone padded with dashes past the stored length",
            body:
                #"{"category": "sampah", "description": "cukup panjang ya", "region": "18.71.01", "reporter": {"phone": "0812------------------------------34567890"}}"#,
            status: .unprocessableContent, type: "validation-failed", field: "reporter.phone"),
        BadInput(
            name: "huge number",
            body: #"{"category": "sampah", "description": "cukup panjang ya", "location": {"lat": 1e999, "lng": 105}}"#,
            status: .badRequest, type: "malformed-json", field: nil),
    ]

    /// The bodies are written out as text on purpose: malformed JSON and wrong types cannot be wire values.
    @Test("bad input gets a 4xx problem document, never a 500", arguments: badInputs)
    func badInput(_ c: BadInput) async throws {
        try await withAPI { client, store in
            let response = try await client.execute(
                uri: "/v1/complaints", method: .post, headers: jsonHeaders, body: ByteBuffer(string: c.body))
            #expect(response.status == c.status, "\(c.name): \(String(buffer: response.body))")
            #expect(response.headers[.contentType] == "application/problem+json")
            let document = try problem(response)
            #expect(document.type == "/problems/\(c.type)")
            #expect(document.status == Int(c.status.code))
            if let field = c.field {
                let errors = try #require(document.errors, "\(c.name)")
                #expect(errors.contains { $0.field == field }, "\(c.name): \(errors)")
            }
            #expect(try await store.complaintCount() == 0)
        }
    }

    /// Passes each request on with its `Content-Length` header removed when `declared` is false, as a chunked body
    /// reaches the server, and notes the header each request reached the router with.
    struct ContentLengthControl<Inner: HTTPResponder>: HTTPResponder {
        typealias Context = Inner.Context
        let inner: Inner
        let declared: Bool
        let seen: Recorder

        /// The `Content-Length` of each request as the router got it.
        final class Recorder: Sendable {
            let values = Mutex<[String?]>([])
        }

        func respond(to request: Request, context: Context) async throws -> Response {
            var head = request.head
            if !self.declared { head.headerFields[.contentLength] = nil }
            self.seen.values.withLock { $0.append(head.headerFields[.contentLength]) }
            return try await self.inner.respond(to: Request(head: head, body: request.body), context: context)
        }
    }

    @Test("a body over the configured limit is 413, declared or not", arguments: [true, false])
    func tooLarge(declared: Bool) async throws {
        try await withTestStore { store in
            var config = ServerConfig()
            config.maxBodyBytes = 2048
            let router = try buildRouter(config: config, store: store, catalog: LiveCatalog(bundledCatalog))
            let responder = ContentLengthControl(inner: router.contractChecked(), declared: declared, seen: .init())
            try await Application(responder: responder).test(.router) { client in
                // About 100 kB: more than the limit, and more than one 32 kB chunk of the streamed body.
                let large = validComplaint.with(description: String(repeating: "panjang ", count: 12_500))
                let response = try await client.execute(uri: "/v1/complaints", method: .post, headers: jsonHeaders, body: body(large))
                #expect(response.status == .contentTooLarge)
                #expect(try problem(response).type == "/problems/payload-too-large")
                #expect(try await store.complaintCount() == 0)
                // A body within the limit is read the same way, declared or not.
                let small = try await client.execute(uri: "/v1/complaints", method: .post, headers: jsonHeaders, body: body(validComplaint))
                #expect(small.status == .created)
            }
            let lengths = responder.seen.values.withLock { $0 }
            #expect(lengths.count == 2)
            #expect(lengths.allSatisfy { ($0 != nil) == declared }, "Content-Length as the router saw it: \(lengths)")
        }
    }

    struct LanguageCase: CustomTestStringConvertible, Sendable {
        let header: String?
        let english: Bool
        var testDescription: String { "Accept-Language: \(self.header ?? "(none)")" }
    }

    static let languageCases: [LanguageCase] = [
        LanguageCase(header: nil, english: false),
        LanguageCase(header: "en", english: true),
        LanguageCase(header: "en-US,en;q=0.9,id;q=0.5", english: true),
        LanguageCase(header: "id;q=0.5, en;q=0.9", english: true),
        LanguageCase(header: "en;q=0.5, id;q=0.9", english: false),
        LanguageCase(header: "fr, en;q=0.1", english: true),
        LanguageCase(header: "en;q=0", english: false),
        LanguageCase(header: "fr", english: false),
        LanguageCase(header: "id", english: false),
    ]

    @Test(
        "problems are Indonesian by default and English when Accept-Language prefers it, q-values weighed",
        arguments: languageCases)
    func languages(_ c: LanguageCase) async throws {
        try await withAPI { client, _ in
            var headers = jsonHeaders
            if let header = c.header { headers[.acceptLanguage] = header }
            let short = SubmitComplaintRequest(category: "sampah", description: "pendek", region: "18.71.01")
            let response = try await client.execute(uri: "/v1/complaints", method: .post, headers: headers, body: body(short))
            #expect(response.status == .unprocessableContent)
            let document = try problem(response)
            let field = try #require(document.errors?.first { $0.field == "description" })
            if c.english {
                #expect(document.title == "Invalid data")
                #expect(document.detail == "Check the fields listed and submit again.")
                #expect(field.detail == "Must be at least 10 characters.")
            } else {
                #expect(document.title == "Data tidak valid")
                #expect(document.detail == "Periksa kolom yang ditandai lalu kirim ulang.")
                #expect(field.detail == "Minimal 10 karakter.")
            }
        }
    }

    @Test("unknown tickets and paths are 404 problems")
    func notFound() async throws {
        try await withAPI { client, _ in
            for uri in ["/v1/complaints/2611-99999", "/v1/complaints/..%2F..", "/v1/nothing"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .notFound, "\(uri)")
                #expect(try problem(response).type == "/problems/not-found")
            }
        }
    }
}
