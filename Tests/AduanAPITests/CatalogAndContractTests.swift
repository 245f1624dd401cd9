import AduanAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("HTTP API: catalog, health and the OpenAPI contract")
struct CatalogAndContractTests {
    @Test("GET /v1/categories lists every category with names in both languages and its SLA")
    func categories() async throws {
        try await withAPI { client, _ in
            let body = try decode(try await client.execute(uri: "/v1/categories", method: .get, headers: [.acceptLanguage: "en"]))
            let categories = try #require(body["categories"] as? [[String: Any]])
            #expect(categories.count == bundledCatalog.categories.count)
            let banjir = try #require(categories.first { $0["code"] as? String == "banjir" })
            #expect(banjir["name"] as? String == banjir["name_en"] as? String)
            #expect(((banjir["sla"] as? [String: Any])?["response"] as? [String: Int])?["hours"] != nil)
        }
    }

    @Test("GET /v1/regions walks the official tree")
    func regions() async throws {
        try await withAPI { client, _ in
            let top = try decode(try await client.execute(uri: "/v1/regions", method: .get))
            #expect((top["regions"] as? [[String: Any]])?.first?["code"] as? String == "18")
            let province = try decode(try await client.execute(uri: "/v1/regions?parent=18", method: .get))
            let kabkota = try #require(province["regions"] as? [[String: Any]])
            #expect(kabkota.count == 15)
            #expect(kabkota.contains { $0["code"] as? String == "18.71" && $0["name"] as? String == "Kota Bandar Lampung" })
            let kedaton = try decode(try await client.execute(uri: "/v1/regions?parent=18.71.01", method: .get))
            #expect((kedaton["regions"] as? [[String: Any]])?.allSatisfy { $0["has_children"] as? Bool == false } == true)
            let unknown = try await client.execute(uri: "/v1/regions?parent=99", method: .get)
            #expect(unknown.status == .notFound)
        }
    }

    @Test("healthz and readyz answer")
    func health() async throws {
        try await withAPI { client, _ in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            let ready = try decode(try await client.execute(uri: "/readyz", method: .get))
            #expect(ready["status"] as? String == "ready")
        }
    }

    /// Every operation in /openapi.json is served, with a documented status, and the 201's fields are the documented ones.
    @Test("the routes match the OpenAPI document")
    func contract() async throws {
        try await withAPI { client, _ in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok)
            let document = try decode(response)
            #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let staffActions = ["accept", "forward", "reject", "ask-info", "resolve", "comment", "merge", "reopen"]
                .map { "/v1/staff/complaints/{ticket}/\($0)" }
            #expect(
                Set(paths.keys)
                    == Set([
                        "/healthz", "/readyz", "/openapi.json", "/v1/complaints", "/v1/complaints/{ticket}", "/v1/categories",
                        "/v1/regions", "/v1/complaints/{ticket}/comments", "/v1/complaints/{ticket}/feedback", "/v1/staff/me",
                        "/v1/staff/complaints", "/v1/staff/complaints/{ticket}", "/v1/staff/complaints/{ticket}/audit",
                        "/v1/reports/monthly",
                    ] + staffActions))
            for (path, operations) in paths {
                for (method, operation) in operations where ["get", "post"].contains(method) {
                    let uri = path.replacingOccurrences(of: "{ticket}", with: "2611-00001")
                    let answer = try await client.execute(
                        uri: uri, method: method == "post" ? .post : .get, headers: jsonHeaders,
                        body: method == "post" ? json(validComplaint) : ByteBuffer())
                    let documented = Set(((operation as? [String: Any])?["responses"] as? [String: Any])?.keys.map { $0 } ?? [])
                    #expect(documented.contains(String(answer.status.code)), "\(method.uppercased()) \(path) answered \(answer.status.code), documented \(documented.sorted())")
                }
            }
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let submitted = try #require(schemas["SubmittedComplaint"] as? [String: Any])
            let documentedFields = Set((submitted["properties"] as? [String: Any])?.keys.map { $0 } ?? [])
            let created = try decode(
                try await client.execute(uri: "/v1/complaints", method: .post, headers: jsonHeaders, body: json(validComplaint)))
            #expect(Set(created.keys) == documentedFields)
            #expect(Set(submitted["required"] as? [String] ?? []).isSubset(of: Set(created.keys)))
        }
    }
}
