import AduanAPI
import AduanCore
import AduanReport
import AduanStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Reports API: the rakor pack, scoped as the monthly report and kept as versions")
struct RakorAPITests {
    static func get(_ client: any TestClientProtocol, _ query: String, token: String?, method: HTTPRequest.Method = .get) async throws
        -> TestResponse
    {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: "/v1/reports/rakor?\(query)", method: method, headers: headers)
    }

    @Test("an office's staff get their own office's pack, supervisors the province's and may make a new version")
    func scopingAndVersions() async throws {
        try await withAPI(now: clock(startingAt: ReportsAPITests.midMonth)) { client, store in
            let staff = try await StaffFixture.make(store)
            _ = try await fileComplaint(client, own: true)
            _ = try await fileComplaint(client, own: false)
            // November is not over: the pack is provisional, and holds both complaints for the province.
            let province = try await Self.get(client, "from=2026-11&to=2026-11", token: staff.tokens[.supervisor])
            #expect(province.status == .ok && province.headers[HTTPField.Name("Aduan-Report-Version")!] == "1")
            let pack = try RakorJSON.decode(String(buffer: province.body))
            #expect(pack.scope.code == ReportScope.provinceCode && pack.provisional && pack.period == "2026-11/2026-11")
            #expect(pack.areas.reduce(0) { $0 + $1.received } == 2 && pack.desks.count == catalogDeskCount)

            let own = try RakorJSON.decode(String(buffer: try await Self.get(client, "from=2026-11&to=2026-11", token: staff.tokens[.triage]).body))
            #expect(own.scope.code == StaffFixture.ownOPD && own.areas.reduce(0) { $0 + $1.received } == 1)
            #expect(try await Self.get(client, "from=2026-11&to=2026-11&opd=DLH-1871", token: staff.tokens[.officer]).status == .forbidden)
            #expect(try await Self.get(client, "from=2026-11&to=2026-11", token: staff.tokens[.triage], method: .post).status == .forbidden)
            #expect(try await Self.get(client, "from=2026-11&to=2026-11", token: nil).status == .unauthorized)

            let made = try await Self.get(client, "from=2026-11&to=2026-11&format=html", token: staff.tokens[.supervisor], method: .post)
            #expect(made.status == .created && made.headers[.location] == "/v1/reports/rakor?from=2026-11&to=2026-11&version=2")
            let html = String(buffer: made.body)
            #expect(html.hasPrefix("<!doctype html>") && html.contains("<svg") && made.headers[.contentType] == "text/html; charset=utf-8")
            let first = try await Self.get(client, "from=2026-11&to=2026-11&version=1", token: staff.tokens[.supervisor])
            #expect(String(buffer: first.body) == String(buffer: province.body))
        }
    }

    @Test("bad periods, desks and kabupaten/kota are 400 problems")
    func badInput() async throws {
        try await withAPI(now: clock(startingAt: ReportsAPITests.midMonth)) { client, store in
            let token = try await StaffFixture.make(store).tokens[.supervisor]
            for query in ["quarter=2026Q5", "from=2026-09", "from=2026-09&to=2026-07", "quarter=2026Q3&from=2026-07&to=2026-09",
                          "quarter=2027Q1", "desk=jalan", "kabkota=18.99", "from=2024-01&to=2026-09"] {
                let answer = try await Self.get(client, query, token: token)
                #expect(answer.status == .badRequest, "\(query): \(answer.status)")
                #expect(answer.headers[.contentType] == "application/problem+json", "\(query)")
            }
        }
    }
}

let catalogDeskCount = try! CatalogLoader.bundled().rakor.desks.count
