import AduanAPI
import AduanCore
import AduanStore
import AduanWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("HTTP API: rate limits on public writes, by client address and token, behind trusted proxies")
struct RateLimitTests {
    static let start = instant("2026-12-07T10:00:00+07:00")

    @Test("filing beyond the minute's allowance is 429 with Retry-After; it refills; reads and staff are not limited")
    func filing() async throws {
        let time = TestClock(Self.start)
        try await withAPI(now: time.now, configure: { $0.rateLimits.perMinute[.filing] = 3 }) { client, store in
            for _ in 0..<3 { _ = try await file(client) }
            let refused = try await client.execute(uri: "/v1/complaints", method: .post, headers: jsonHeaders, body: body(validComplaint))
            #expect(refused.status == .tooManyRequests)
            // 3 a minute: one more after 20 seconds.
            #expect(refused.headers[.retryAfter] == "20")
            #expect(try problem(refused).type == "/problems/too-many-requests")
            #expect(try await store.complaintCount() == 3)
            // Reading and staff work are not public writes.
            let staff = try await StaffFixture.make(store)
            for _ in 0..<5 {
                #expect(try await client.execute(uri: "/v1/categories", method: .get).status == .ok)
                #expect(
                    try await client.execute(uri: "/v1/staff/complaints", method: .get, headers: bearer(staff.adminToken)).status == .ok)
            }
            time.set(Self.start + 19)
            #expect(
                try await client.execute(uri: "/v1/complaints", method: .post, headers: jsonHeaders, body: body(validComplaint)).status
                    == .tooManyRequests)
            time.set(Self.start + 20)
            _ = try await file(client)
            #expect(try await store.complaintCount() == 4)
        }
    }

    @Test("one tracking token's writes are limited whatever the address; another token still writes")
    func perToken() async throws {
        try await withAPI(configure: { $0.rateLimits.perMinute[.token] = 2 }) { client, _ in
            let (first, second) = (try await file(client), try await file(client))
            func comment(_ filed: SubmittedComplaint) async throws -> HTTPResponse.Status {
                try await client.execute(
                    uri: "/v1/complaints/\(filed.ticket)/comments", method: .post, headers: reporterHeaders(filed.tracking_token),
                    body: body(ReporterMessage(text: "Mohon segera ditangani."))
                ).status
            }
            #expect(try await comment(first) == .created)
            #expect(try await comment(first) == .created)
            #expect(try await comment(first) == .tooManyRequests)
            #expect(try await comment(second) == .created)
        }
    }

    @Test("an Open311 key is limited as one client wherever it files from; the answer is Open311's error list")
    func open311Key() async throws {
        try await withTestStore { store in
            let (_, key) = try await addAPIKey(store)
            try await withLiveAPI(
                store: store,
                configure: {
                    $0.rateLimits.perMinute[.open311] = 2
                    $0.trustedProxies = NetworkList(parsing: "127.0.0.1")!
                }
            ) { client in
                func post(from address: String) async throws -> TestResponse {
                    try await client.execute(
                        uri: "/open311/v2/requests.json", method: .post,
                        headers: [.contentType: "application/x-www-form-urlencoded", HTTPField.Name("X-Forwarded-For")!: address],
                        body: urlEncoded([
                            ("api_key", key), ("service_code", "sampah"), ("description", "Sampah menumpuk di pasar."),
                            ("address_id", "18.71.01"),
                        ]))
                }
                #expect(try await post(from: "203.0.113.5").status == .created)
                #expect(try await post(from: "203.0.113.6").status == .created)
                // A third address has its whole allowance, but the key has used its own.
                let refused = try await post(from: "203.0.113.7")
                #expect(refused.status == .tooManyRequests)
                // 2 a minute: a token every 30 seconds, less the time the test took since the first filing.
                #expect((25...30).contains(Int(refused.headers[.retryAfter] ?? "") ?? 0), "\(refused.headers)")
                #expect(try jsonList(refused).first?["code"] as? Int == 429)
            }
        }
    }

    @Test("X-Forwarded-For names the client only from a trusted proxy; a forged left part changes nothing")
    func forwardedFor() async throws {
        @Sendable func filing(_ client: any TestClientProtocol, from forwarded: String?) async throws -> HTTPResponse.Status {
            var headers = jsonHeaders
            if let forwarded { headers[HTTPField.Name("X-Forwarded-For")!] = forwarded }
            return try await client.execute(uri: "/v1/complaints", method: .post, headers: headers, body: body(validComplaint)).status
        }
        // The test client connects from 127.0.0.1, here the trusted proxy.
        try await withLiveAPI(configure: {
            $0.rateLimits.perMinute[.filing] = 2
            $0.trustedProxies = NetworkList(parsing: "127.0.0.1, ::1, 10.0.0.0/8")!
        }) { client async throws in
            #expect(try await filing(client, from: "203.0.113.5") == .created)
            // A client cannot escape by sending its own header: the proxy appends what it saw, and that is who it is.
            #expect(try await filing(client, from: "198.51.100.77, 203.0.113.5") == .created)
            #expect(try await filing(client, from: "203.0.113.5, 10.1.2.3") == .tooManyRequests)
            #expect(try await filing(client, from: "203.0.113.6") == .created)
            // An IPv6 subscriber is its /64.
            #expect(try await filing(client, from: "2001:db8:1:2::10") == .created)
            #expect(try await filing(client, from: "2001:db8:1:2::99") == .created)
            #expect(try await filing(client, from: "2001:db8:1:2:ffff::1") == .tooManyRequests)
        }
        // Without trusted proxies the header is ignored: every request is 127.0.0.1.
        try await withLiveAPI(configure: {
            $0.rateLimits.perMinute[.filing] = 2
            $0.trustedProxies = NetworkList()
        }) { client async throws in
            #expect(try await filing(client, from: "203.0.113.5") == .created)
            #expect(try await filing(client, from: "203.0.113.6") == .created)
            #expect(try await filing(client, from: "203.0.113.7") == .tooManyRequests)
        }
    }

    @Test("the limits and trusted proxies are read from the config; bad values are named")
    func config() throws {
        var config = ServerConfig()
        try config.set("rate_limit_filing_per_minute", "12", source: "test")
        try config.set("rate_limit_token_per_minute", "0", source: "test")
        try config.set("trusted_proxies", "127.0.0.1, fd00::/8", source: "test")
        #expect(config.rateLimits.perMinute[.filing] == 12)
        #expect(config.rateLimits.perMinute[.token] == 0)
        #expect(config.trustedProxies == NetworkList(parsing: "127.0.0.1,fd00::/8"))
        #expect(throws: ServerConfig.Invalid.self) { try config.set("rate_limit_write_per_minute", "-1", source: "test") }
        #expect(throws: ServerConfig.Invalid.self) { try config.set("trusted_proxies", "10.0.0.0/33", source: "test") }
        #expect(throws: ServerConfig.Invalid.self) { try config.set("trusted_proxies", "proxy.local", source: "test") }
    }
}

/// Runs `body` against the real router served on loopback, so that requests come from a real client address.
func withLiveAPI(
    store: Store? = nil,
    now: @escaping @Sendable () -> Date = Date.init,
    configure: (inout ServerConfig) -> Void = { _ in },
    _ body: @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    var config = ServerConfig()
    configure(&config)
    let settings = config
    @Sendable func run(_ store: Store) async throws {
        let router = try buildRouter(config: settings, store: store, catalog: LiveCatalog(bundledCatalog), now: now)
        let app = Application(responder: router.contractChecked(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in try await body(client) }
    }
    if let store { return try await run(store) }
    try await withTestStore(run)
}
