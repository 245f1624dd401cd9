import AduanAPI
import AduanCore
import AduanStore
import AduanWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// Issue 15's parts done so far: the headers every answer carries, and text that reads otherwise than it is.
@Suite("HTTP API: security headers and spoofing characters")
struct HardeningAPITests {
    @Test("every answer says nosniff and, unless public and immutable, no-store; the HTML report has a strict CSP")
    func headers() async throws {
        try await withAPI(now: clock(startingAt: ReportsAPITests.midMonth)) { client, store in
            let staff = try await StaffFixture.make(store)
            let pictured = try await fileWithPhotos(client, validComplaint.with(category: "drainase"), photos: ["after_bare.jpg"])
            let responses = [
                try await client.execute(uri: "/healthz", method: .get),
                try await client.execute(uri: "/v1/nothing", method: .get),
                try await client.execute(uri: "/v1/staff/complaints/\(pictured.ticket)", method: .get, headers: bearer(staff.adminToken)),
                try await client.execute(
                    uri: "/v1/complaints/\(pictured.ticket)", method: .get, headers: reporterHeaders(pictured.tracking_token)),
                try await client.execute(uri: "/open311/v2/services/ufo.xml", method: .get),
            ]
            for response in responses {
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[.cacheControl] == "no-store", "\(response.status)")
                #expect(response.headers[.contentSecurityPolicy] == nil)
            }
            let photo = try await client.execute(uri: try #require(pictured.photos.first?.url), method: .get)
            #expect(photo.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(photo.headers[.xContentTypeOptions] == "nosniff")
            let html = try await ReportsAPITests.get(client, "month=\(ReportsAPITests.thisMonth)&format=html", token: staff.adminToken)
            let policy = try #require(html.headers[.contentSecurityPolicy])
            #expect(policy.hasPrefix("default-src 'none'") && !policy.contains("script"))
            #expect(html.headers[.cacheControl] == "no-store")
        }
    }

    @Test("direction overrides and zero-width characters are refused in a complaint, a staff note and an Open311 field")
    func spoofing() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let refused = try await client.execute(
                uri: "/v1/complaints", method: .post, headers: jsonHeaders,
                body: body(validComplaint.with(description: "Tolong segera \u{202E}nakusiruh\u{202C} sampahnya.")))
            #expect(refused.status == .unprocessableContent)
            #expect(try problem(refused).errors?.first.map { "\($0.field) \($0.code)" } == "description invisible_characters")
            let filed = try await fileComplaint(client, own: true)
            let note = try await staffPost(
                client, filed.ticket, "comment", token: staff.adminToken, body: .init(text: "Su\u{200B}dah dicek"))
            #expect(note.status == .unprocessableContent)
            #expect(try problem(note).errors?.first?.code == "invisible_characters")
            let (_, key) = try await addAPIKey(store)
            let open311 = try await open311Post(
                client,
                [
                    ("api_key", key), ("service_code", "sampah"), ("description", "Sampah \u{2066}menumpuk\u{2069} di pasar."),
                    ("address_id", "18.71.01"),
                ])
            #expect(open311.status == .badRequest)
            #expect((try jsonList(open311).first?["description"] as? String)?.hasPrefix("description: Contains invisible") == true)
            // An emoji family is no spoof.
            _ = try await file(client, validComplaint.with(description: "Sampah menumpuk, anak-anak 👨‍👩‍👧 terganggu baunya."))
        }
    }

    @Test("/readyz takes the write lock and looks at the free disk: below the threshold it is 503 with Retry-After")
    func readiness() async throws {
        try await withAPI { client, _ async throws in
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
        }
        try await withAPI(configure: { $0.readyMinFreeDiskBytes = 1 << 60 }) { client, _ in
            let response = try await client.execute(uri: "/readyz", method: .get, headers: [.acceptLanguage: "en"])
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "30")
            let document = try problem(response)
            #expect(document.type == "/problems/not-ready")
            #expect(document.detail.contains("MiB free on the database's disk"), "\(document.detail)")
        }
    }
}

@Suite("HTTP API: request ids and JSON logs")
struct RequestIDTests {
    @Test("an incoming X-Request-Id is echoed, a forged one replaced; every answer, errors too, carries one")
    func echoed() async throws {
        try await withAPI { client, _ async throws in
            let given = try await client.execute(
                uri: "/v1/nothing", method: .get, headers: [HTTPField.Name("X-Request-Id")!: "lb-7f3a9c-0001"])
            #expect(given.status == .notFound)
            #expect(given.headers[HTTPField.Name("X-Request-Id")!] == "lb-7f3a9c-0001")
            let own = try await client.execute(uri: "/healthz", method: .get)
            let id = try #require(own.headers[HTTPField.Name("X-Request-Id")!])
            #expect(!id.isEmpty)
            let forged = try await client.execute(
                uri: "/healthz", method: .get, headers: [HTTPField.Name("X-Request-Id")!: "a b\u{7f}"])
            #expect(forged.headers[HTTPField.Name("X-Request-Id")!] != "a b\u{7f}")
        }
    }

    @Test("the JSON log handler writes one object per line with the level, message and metadata")
    func jsonLines() throws {
        let lines = Mutex<[String]>([])
        var logger = Logger(label: "aduan") { JSONLogHandler(label: $0, write: { line in lines.withLock { $0.append(line) } }) }
        logger[metadataKey: "request_id"] = "lb-1"
        logger.warning("database unavailable", metadata: ["fault": "disk full"])
        let line = try #require(lines.withLock { $0.first })
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "warning")
        #expect(object["message"] as? String == "database unavailable")
        #expect(object["request_id"] as? String == "lb-1")
        #expect(object["fault"] as? String == "disk full")
        #expect((object["time"] as? String)?.hasSuffix("Z") == true)
    }
}

@Suite("HTTP API: a reporter's comments are capped, and a long history is paged")
struct HistoryPagingTests {
    @Test("the comments per day cap answers 429 until the oldest is a day old; the history pages 100 at a time, both views")
    func capAndPages() async throws {
        let time = TestClock(instant("2026-12-07T09:00:00+07:00"))
        try await withAPI(
            now: time.now,
            configure: {
                $0.reporterCommentsPerDay = 130
                $0.rateLimits = .off
            }
        ) { client, store in
            let staff = try await StaffFixture.make(store)
            let filed = try await fileComplaint(client, own: true)
            func comment(_ index: Int) async throws -> TestResponse {
                try await client.execute(
                    uri: "/v1/complaints/\(filed.ticket)/comments", method: .post, headers: reporterHeaders(filed.tracking_token),
                    body: body(ReporterMessage(text: "Tambahan keterangan nomor \(index).")))
            }
            for index in 0..<130 {
                time.set(instant("2026-12-07T09:00:00+07:00") + Double(index))
                #expect(try await comment(index).status == .created)
            }
            let refused = try await comment(130)
            #expect(refused.status == .tooManyRequests)
            // The oldest comment (09:00:00) is a day old at 09:00:00 tomorrow; it is now 09:02:09.
            #expect(refused.headers[.retryAfter] == String(86_400 - 129))
            time.set(instant("2026-12-08T09:00:01+07:00"))
            #expect(try await comment(131).status == .created)

            // 2 events of filing + 131 comments, all shown to the reporter: pages of 100, 33.
            let first = try decode(
                ComplaintView.self,
                try await client.execute(
                    uri: "/v1/complaints/\(filed.ticket)", method: .get, headers: reporterHeaders(filed.tracking_token)))
            let newest = try #require(first.history)
            #expect(newest.count == 100)
            #expect(newest.last?.details["text"] == "Tambahan keterangan nomor 131.")
            let cursor = try #require(first.history_before)
            let second = try decode(
                ComplaintView.self,
                try await client.execute(
                    uri: "/v1/complaints/\(filed.ticket)?history_before=\(cursor)", method: .get,
                    headers: reporterHeaders(filed.tracking_token)))
            #expect(second.history?.count == 33)
            #expect(second.history?.first?.kind == "submitted")
            #expect(second.history_before == nil)
            // Staff: the view shows the newest 100, the audit log pages back.
            let view = try decode(
                StaffComplaintView.self,
                try await client.execute(uri: "/v1/staff/complaints/\(filed.ticket)", method: .get, headers: bearer(staff.adminToken)))
            #expect(view.history.count == 100)
            let older = try decode(
                AuditLog.self,
                try await client.execute(
                    uri: "/v1/staff/complaints/\(filed.ticket)/audit?before=\(try #require(view.history_before))", method: .get,
                    headers: bearer(staff.adminToken)))
            #expect(older.entries.count == 33 && older.before == nil)
            #expect(older.entries.first?.kind == "submitted")
        }
    }
}

extension HistoryPagingTests {
    @Test(
        "a malformed history cursor is a 400 once the complaint is known to be the asker's; before that, a wrong token is 401 and an unknown complaint 404"
    )
    func malformedCursors() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let filed = try await fileComplaint(client, own: true)
            let path = "/v1/complaints/\(filed.ticket)?history_before=abc"
            #expect(try await client.execute(uri: path, method: .get, headers: reporterHeaders(filed.tracking_token)).status == .badRequest)
            #expect(try await client.execute(uri: path, method: .get, headers: reporterHeaders("bukan-token-ini")).status == .unauthorized)
            // The public view shows no history, so it reads no cursor.
            #expect(try await client.execute(uri: path, method: .get).status == .ok)
            let audit = "/v1/staff/complaints/\(filed.ticket)/audit?before=0"
            #expect(try await client.execute(uri: audit, method: .get, headers: bearer(staff.adminToken)).status == .badRequest)
            let unknown = "/v1/staff/complaints/1901-99999/audit?before=0"
            #expect(try await client.execute(uri: unknown, method: .get, headers: bearer(staff.adminToken)).status == .notFound)
        }
    }
}

@Suite("HTTP API: staff tokens can expire")
struct StaffTokenExpiryTests {
    @Test("with staff_token_days, a token older than that is a 401 saying it expired; without, it works until revoked")
    func expiry() async throws {
        let time = TestClock(Date())
        try await withAPI(now: time.now, configure: { try! $0.set("staff_token_days", "30", source: "test") }) { client, store in
            let staff = try await StaffFixture.make(store)
            #expect(try await client.execute(uri: "/v1/staff/complaints", method: .get, headers: bearer(staff.adminToken)).status == .ok)
            time.advance(days: 31)
            let expired = try await client.execute(
                uri: "/v1/staff/complaints", method: .get, headers: [.authorization: "Bearer \(staff.adminToken)", .acceptLanguage: "en"])
            #expect(expired.status == .unauthorized)
            #expect(try problem(expired).detail.contains("expired"))
            #expect(try await ReportsAPITests.get(client, "", token: staff.adminToken).status == .unauthorized)
        }
        try await withAPI(now: time.now) { client, store in
            let staff = try await StaffFixture.make(store)
            time.advance(days: 3650)
            #expect(try await client.execute(uri: "/v1/staff/complaints", method: .get, headers: bearer(staff.adminToken)).status == .ok)
        }
    }
}
