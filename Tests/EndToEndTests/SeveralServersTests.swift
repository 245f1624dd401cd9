import AduanCore
import AduanTestSupport
import AduanWire
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

extension EndToEnd {
    @Suite(
        "The real binaries: two aduan-servers on one PostgreSQL",
        .enabled(if: testDatabaseURL != nil, "set ADUAN_TEST_DATABASE_URL (ops/postgres.sh) to run"))
    struct SeveralServersTests {
        /// Files one complaint; its ticket, or nil when the server did not acknowledge it (it was killed).
        static func file(port: Int, index: Int, key: String) async -> String? {
            try? await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                let response = try await client.post(
                    "/v1/complaints", headers: [.contentType: "application/json", HTTPField.Name("Idempotency-Key")!: key],
                    body: body(
                        SubmitComplaintRequest(
                            category: "drainase", description: "Saluran tersumbat di gang nomor \(index).", region: "18.71.01")))
                guard response.status == .created else { return nil }
                return try decode(SubmittedComplaint.self, response).ticket
            }
        }

        @Test(
            "two servers file at once and one is killed with kill -9: tickets unique and contiguous, keys replay across servers, one SLA mark, every event delivered"
        )
        func twoServers() async throws {
            let name = "aduan_e2e_\(UInt32.random(in: 0...UInt32.max))"
            _ = try psql("CREATE DATABASE \(name)")
            defer { _ = try? psql("DROP DATABASE \(name) WITH (FORCE)") }
            let server = try #require(testDatabaseURL)
            var components = try #require(URLComponents(string: server))
            components.path = "/" + name
            let url = try #require(components.string)
            let directory = try temporaryDirectory()
            let db = directory.appendingPathComponent("aduan.sqlite").path
            let admin = binary("aduan-admin")
            #expect(try run(admin, ["db", "migrate", "--database-url", url]).status == 0)

            // A receiver for the whole province, subscribed through the admin on the same database.
            let receiver = try await WebhookReceiver.start()
            defer { Task { await receiver.stop() } }
            let environment = [
                "ADUAN_WEBHOOK_ALLOW_PRIVATE": "true", "ADUAN_DATABASE_URL": url, "ADUAN_SLA_CHECK_INTERVAL": "1", "ADUAN_WEBHOOK_TIMEOUT": "2",
            ]
            let added = try run(admin, ["webhooks", "add", "--db", db, "--url", receiver.url(), "--province", "--json"], environment: environment)
            #expect(added.status == 0, "\(added.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])
            let secret = try #require(object["secret"] as? String)
            receiver.setSecrets([try #require(WebhookSecret(secret))])

            // Two servers (the same key file beside --db, as two servers of one install share it).
            let first = try ServerProcess(arguments: ["--db", db], environment: environment)
            let second = try ServerProcess(arguments: ["--db", db], environment: environment)
            defer { _ = second.terminate() }
            // 40 filings on each at once; the first 10 keys go to both, as a client retrying on the other would.
            let ports = [first.port, second.port]
            let outcomes = await withTaskGroup(of: (key: String, ticket: String?).self) { group in
                for (server, port) in ports.enumerated() {
                    for index in 0..<40 {
                        let key = index < 10 ? "e2e-shared-\(name)-\(index)" : "e2e-\(server)-\(name)-\(index)"
                        group.addTask { (key, await Self.file(port: port, index: index < 10 ? index : 100 * (server + 1) + index, key: key)) }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            // The first server dies with deliveries possibly in flight; the second goes on alone.
            first.kill()
            var late: [String] = []
            for index in 0..<10 { if let ticket = await Self.file(port: second.port, index: 500 + index, key: "e2e-late-\(name)-\(index)") { late.append(ticket) } }

            let acknowledged = outcomes.compactMap(\.ticket) + late
            #expect(acknowledged.count == 90, "every filing acknowledged: \(acknowledged.count)")
            var byKey: [String: Set<String>] = [:]
            for outcome in outcomes { if let ticket = outcome.ticket { byKey[outcome.key, default: []].insert(ticket) } }
            #expect(byKey.values.allSatisfy { $0.count == 1 }, "a key gave two tickets")
            let tickets = Set(acknowledged)
            #expect(tickets.count == 80, "80 complaints, the 10 shared keys replayed: \(tickets.count)")
            let numbers = tickets.map { Int($0.split(separator: "-").last!)! }.sorted()
            #expect(numbers == Array(1...80), "tickets contiguous from 1")
            #expect(try psql("SELECT count(*) FROM complaint", database: name) == "80")

            // One complaint's response deadline put in the past: both monitors run every second; one mark is made.
            let marked = tickets.sorted().first!
            _ = try psql(
                "UPDATE complaint SET response_due_at = '2026-01-01 00:00:00.000', response_at_risk_at = '2025-12-31 00:00:00.000' WHERE ticket = '\(marked)'",
                database: name)
            let deadline = Date().addingTimeInterval(30)
            var marks = "0"
            while Date() < deadline {
                marks = try psql(
                    "SELECT count(*) FROM complaint_event e JOIN complaint c ON c.id = e.complaint_id WHERE c.ticket = '\(marked)' AND e.kind = 'sla_breached'",
                    database: name)
                if marks != "0" { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            try await Task.sleep(for: .seconds(2))
            #expect(
                try psql(
                    "SELECT count(*) FROM complaint_event e JOIN complaint c ON c.id = e.complaint_id WHERE c.ticket = '\(marked)' AND e.kind = 'sla_breached'",
                    database: name) == "1", "one mark, not one per server")

            // Every filing's event reaches the receiver, signed; once each, apart from what the killed server had in
            // flight (sent again when its lease ran out: at least once).
            let received = try await receiver.wait(timeout: .seconds(90), for: "every filing's event") { received in
                Set(received.filter { $0.type == "complaint.filed" }.compactMap(\.ticket)) == tickets
            }
            let filed = received.filter { $0.type == "complaint.filed" }
            #expect(filed.allSatisfy { $0.signedBy == [0] })
            let repeats = filed.count - Set(filed.map(\.id)).count
            #expect(repeats <= 8, "\(repeats) deliveries repeated: more than the killed server could have had in flight")
            #expect(Set(filed.map(\.id)).count == 80, "one delivery per event, whichever server sent it")
        }
    }
}
