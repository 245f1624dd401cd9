import AduanAPI
import AduanCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("HTTP API: filing and following complaints")
struct ComplaintsAPITests {
    @Test("POST /v1/complaints files, routes and times a complaint and shows the token once")
    func submit() async throws {
        try await withAPI { client, store in
            let response = try await client.execute(uri: "/v1/complaints", method: .post, headers: jsonHeaders, body: json(validComplaint))
            #expect(response.status == .created)
            let body = try decode(response)
            let ticket = try #require(body["ticket"] as? String)
            #expect(Ticket.isWellFormed(ticket))
            #expect(response.headers[.location] == "/v1/complaints/\(ticket)")
            #expect(body["status"] as? String == "submitted")
            #expect((body["opd"] as? [String: Any])?["code"] as? String == "DLH-1871")
            #expect((body["region"] as? [String: Any])?["name"] as? String == "Kedaton")
            let sla = try #require(body["sla"] as? [String: String])
            #expect(sla["response_due_at"]?.hasSuffix("16:00:00+07:00") == true)
            let token = try #require(body["tracking_token"] as? String)
            #expect(token.count == 43)
            #expect(try await store.complaintCount() == 1)
        }
    }

    @Test("the public view never shows the reporter; the reporter's token shows everything and the history")
    func views() async throws {
        try await withAPI { client, _ in
            let created = try decode(
                try await client.execute(uri: "/v1/complaints", method: .post, headers: jsonHeaders, body: json(validComplaint)))
            let ticket = created["ticket"] as! String
            let token = created["tracking_token"] as! String

            let publicView = try await client.execute(uri: "/v1/complaints/\(ticket)", method: .get)
            #expect(publicView.status == .ok)
            let publicText = String(buffer: publicView.body)
            #expect(!publicText.contains("Siti"))
            #expect(!publicText.contains("812"))
            #expect(!publicText.contains("Teuku Umar"))
            #expect(!publicText.contains("history"))

            let own = try await client.execute(
                uri: "/v1/complaints/\(ticket)", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(own.status == .ok)
            let ownBody = try decode(own)
            #expect((ownBody["reporter"] as? [String: Any])?["name"] as? String == "Siti Rahma")
            let history = try #require(ownBody["history"] as? [[String: Any]])
            #expect(history.map { $0["kind"] as? String } == ["submitted", "routed"])

            let wrong = try await client.execute(
                uri: "/v1/complaints/\(ticket)", method: .get, headers: [.authorization: "Bearer not-the-token"])
            #expect(wrong.status == .unauthorized)
            #expect(try decode(wrong)["type"] as? String == "/problems/invalid-tracking-token")
        }
    }

    @Test("a private complaint does not exist for the public, but does for its reporter")
    func privateComplaint() async throws {
        try await withAPI { client, _ in
            var input = validComplaint
            input["visibility"] = "private"
            let created = try decode(try await client.execute(uri: "/v1/complaints", method: .post, headers: jsonHeaders, body: json(input)))
            let ticket = created["ticket"] as! String
            let hidden = try await client.execute(uri: "/v1/complaints/\(ticket)", method: .get)
            #expect(hidden.status == .notFound)
            #expect(hidden.headers[.contentType] == "application/problem+json")
            let own = try await client.execute(
                uri: "/v1/complaints/\(ticket)", method: .get, headers: [.authorization: "Bearer \(created["tracking_token"] as! String)"])
            #expect(own.status == .ok)
        }
    }

    @Test("pungli is private by default, whatever the category of the OPD")
    func pungliPrivate() async throws {
        try await withAPI { client, _ in
            let input: [String: Any] = ["category": "pungli", "description": "Diminta uang di loket pelayanan.", "region": "18.04.04", "anonymous": true]
            let body = try decode(try await client.execute(uri: "/v1/complaints", method: .post, headers: jsonHeaders, body: json(input)))
            #expect(body["visibility"] as? String == "private")
            #expect(body["anonymous"] as? Bool == true)
            #expect((body["opd"] as? [String: Any])?["code"] as? String == "INSPEKTORAT-18")
        }
    }

    @Test("a retry with the same Idempotency-Key gets the same complaint and token; another body with it is 422")
    func idempotency() async throws {
        try await withAPI { client, store in
            var headers = jsonHeaders
            headers[HTTPField.Name("Idempotency-Key")!] = "0b8f3c1e-2d4a-4c55-9a1f-7e2b6c0d9f11"
            let first = try await client.execute(uri: "/v1/complaints", method: .post, headers: headers, body: json(validComplaint))
            // The retry's JSON is laid out differently: the same request all the same.
            let retryBody = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: validComplaint, options: [.prettyPrinted]))
            let again = try await client.execute(uri: "/v1/complaints", method: .post, headers: headers, body: retryBody)
            #expect(first.status == .created)
            #expect(again.status == .created)
            let (a, b) = (try decode(first), try decode(again))
            #expect(a["ticket"] as? String == b["ticket"] as? String)
            #expect(a["tracking_token"] as? String == b["tracking_token"] as? String)
            #expect(again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            var other = validComplaint
            other["description"] = "Keluhan yang lain sama sekali."
            let reused = try await client.execute(uri: "/v1/complaints", method: .post, headers: headers, body: json(other))
            #expect(reused.status == .unprocessableContent)
            #expect(try decode(reused)["type"] as? String == "/problems/idempotency-key-reused")
            #expect(try await store.complaintCount() == 1)
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
        BadInput(name: "wrong type", body: #"{"category": 5, "description": "cukup panjang ya", "region": "18.71.01"}"#, status: .badRequest, type: "invalid-body", field: "category"),
        BadInput(name: "wrong nested type", body: #"{"category": "sampah", "description": "cukup panjang ya", "location": {"lat": "x", "lng": 1}}"#, status: .badRequest, type: "invalid-body", field: "location.lat"),
        BadInput(name: "unknown category", body: #"{"category": "ufo", "description": "cukup panjang ya", "region": "18.71.01"}"#, status: .unprocessableContent, type: "validation-failed", field: "category"),
        BadInput(name: "unknown region", body: #"{"category": "sampah", "description": "cukup panjang ya", "region": "18.99.99"}"#, status: .unprocessableContent, type: "validation-failed", field: "region"),
        BadInput(name: "short description", body: #"{"category": "sampah", "description": "pendek", "region": "18.71.01"}"#, status: .unprocessableContent, type: "validation-failed", field: "description"),
        BadInput(name: "long description", body: #"{"category": "sampah", "description": "\#(String(repeating: "x", count: 4001))", "region": "18.71.01"}"#, status: .unprocessableContent, type: "validation-failed", field: "description"),
        BadInput(name: "control characters", body: #"{"category": "sampah", "description": "sampah di \u001b[31m pasar", "region": "18.71.01"}"#, status: .unprocessableContent, type: "validation-failed", field: "description"),
        BadInput(name: "coordinates out of range", body: #"{"category": "sampah", "description": "cukup panjang ya", "location": {"lat": -95, "lng": 105}}"#, status: .unprocessableContent, type: "validation-failed", field: "location.lat"),
        BadInput(name: "outside the province", body: #"{"category": "sampah", "description": "cukup panjang ya", "location": {"lat": -6.2, "lng": 106.8}}"#, status: .unprocessableContent, type: "validation-failed", field: "location"),
        BadInput(name: "phone padded with dashes past the stored length", body: #"{"category": "sampah", "description": "cukup panjang ya", "region": "18.71.01", "reporter": {"phone": "0812------------------------------34567890"}}"#, status: .unprocessableContent, type: "validation-failed", field: "reporter.phone"),
        BadInput(name: "huge number", body: #"{"category": "sampah", "description": "cukup panjang ya", "location": {"lat": 1e999, "lng": 105}}"#, status: .badRequest, type: "malformed-json", field: nil),
    ]

    @Test("bad input gets a 4xx problem document, never a 500", arguments: badInputs)
    func badInput(_ c: BadInput) async throws {
        try await withAPI { client, store in
            let response = try await client.execute(uri: "/v1/complaints", method: .post, headers: jsonHeaders, body: ByteBuffer(string: c.body))
            #expect(response.status == c.status, "\(c.name): \(String(buffer: response.body))")
            #expect(response.headers[.contentType] == "application/problem+json")
            let problem = try decode(response)
            #expect(problem["type"] as? String == "/problems/\(c.type)")
            #expect(problem["status"] as? Int == Int(c.status.code))
            if let field = c.field {
                let errors = try #require(problem["errors"] as? [[String: Any]], "\(c.name)")
                #expect(errors.contains { $0["field"] as? String == field }, "\(c.name): \(errors)")
            }
            #expect(try await store.complaintCount() == 0)
        }
    }

    @Test("a body over the configured limit is 413, declared or not")
    func tooLarge() async throws {
        try await withAPI(maxBodyBytes: 2048) { client, _ in
            var input = validComplaint
            input["description"] = String(repeating: "panjang ", count: 400)
            let response = try await client.execute(uri: "/v1/complaints", method: .post, headers: jsonHeaders, body: json(input))
            #expect(response.status == .contentTooLarge)
            #expect(try decode(response)["type"] as? String == "/problems/payload-too-large")
        }
    }

    @Test("problems are Indonesian by default and English with Accept-Language: en")
    func languages() async throws {
        try await withAPI { client, _ in
            let body = json(["category": "sampah", "description": "pendek", "region": "18.71.01"])
            let id = try decode(try await client.execute(uri: "/v1/complaints", method: .post, headers: jsonHeaders, body: body))
            #expect(id["title"] as? String == "Data aduan tidak valid")
            #expect(((id["errors"] as? [[String: Any]])?.first?["detail"] as? String)?.contains("Minimal 10 karakter") == true)
            var headers = jsonHeaders
            headers[.acceptLanguage] = "en-US,en;q=0.9,id;q=0.5"
            let en = try decode(try await client.execute(uri: "/v1/complaints", method: .post, headers: headers, body: body))
            #expect(en["title"] as? String == "Invalid complaint")
        }
    }

    @Test("unknown tickets and paths are 404 problems")
    func notFound() async throws {
        try await withAPI { client, _ in
            for uri in ["/v1/complaints/2611-99999", "/v1/complaints/..%2F..", "/v1/nothing"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .notFound, "\(uri)")
                #expect(try decode(response)["type"] as? String == "/problems/not-found")
            }
        }
    }
}
