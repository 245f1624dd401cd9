import AduanAPI
import AduanCore
import AduanWire
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
            let list = try decode(
                CategoryList.self, try await client.execute(uri: "/v1/categories", method: .get, headers: [.acceptLanguage: "en"]))
            #expect(list.categories.count == bundledCatalog.categories.count)
            let banjir = try #require(list.categories.first { $0.code == "banjir" })
            #expect(banjir.name == banjir.name_en)
            #expect(banjir.name != banjir.name_id)
            #expect(banjir.sla.response.hours != nil && banjir.sla.response.working_days == nil)
        }
    }

    @Test("GET /v1/regions walks the official tree")
    func regions() async throws {
        try await withAPI { client, _ in
            let top = try decode(RegionList.self, try await client.execute(uri: "/v1/regions", method: .get))
            #expect(top.regions.map(\.code) == ["18"])
            let province = try decode(RegionList.self, try await client.execute(uri: "/v1/regions?parent=18", method: .get))
            #expect(province.regions.count == 15)
            #expect(province.regions.contains { $0.code == "18.71" && $0.name == "Kota Bandar Lampung" })
            let kedaton = try decode(RegionList.self, try await client.execute(uri: "/v1/regions?parent=18.71.01", method: .get))
            #expect(kedaton.parent?.code == "18.71.01")
            #expect(!kedaton.regions.isEmpty)
            #expect(kedaton.regions.allSatisfy { !$0.has_children })
            let unknown = try await client.execute(uri: "/v1/regions?parent=99", method: .get)
            #expect(unknown.status == .notFound)
        }
    }

    @Test("healthz and readyz answer")
    func health() async throws {
        try await withAPI { client, _ in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(try decode(HealthStatus.self, health).status == "ok")
            let ready = try decode(Readiness.self, try await client.execute(uri: "/readyz", method: .get))
            #expect(ready.status == "ready")
            #expect(ready.calendar.reach == "2027-12-31")
        }
    }

    /// One valid, authenticated call per operation of /openapi.json: each answers its documented success code (and
    /// the contract-checking responder holds every body to the document's schema). A 5xx, or an operation the
    /// document names that no call reached, fails.
    @Test("every documented operation answers a valid, authenticated call with its success code")
    func contract() async throws {
        // On a clock started mid-November 2026, so that the report call is of a month long over, whatever the real date.
        let gateway = try await CodeGateway.start()
        // Served on loopback, so that `/metrics` sees a client it lets in; every request is then one client, so no
        // rate limits.
        try await withTestStore { store in
            try await withLiveAPI(
                store: store, now: clock(startingAt: instant("2026-11-18T10:00:00+07:00")),
                configure: {
                    gateway.configure(&$0)
                    $0.rateLimits = RateLimits.off
                }
            ) { client in
                // The OpenAPI document is not a wire type of the API: it is read as the JSON it is.
                let served = try await client.execute(uri: "/openapi.json", method: .get)
                let document = try #require(try JSONSerialization.jsonObject(with: Data(served.body.readableBytesView)) as? [String: Any])
                #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
                let paths = try #require(document["paths"] as? [String: [String: Any]])
                let staff = try await StaffFixture.make(store)
                let admin = bearer(staff.adminToken)
                // Complaints in the statuses each call needs, filed and worked through the API.
                func file() async throws -> SubmittedComplaint { try await fileComplaint(client, own: true) }
                func act(_ ticket: String, _ action: String, _ request: StaffActionRequest = .init()) async throws {
                    _ = try await staffAct(client, ticket, action, token: staff.adminToken, body: request)
                }
                let filed = try await file()
                let (ticket, token) = (filed.ticket, filed.tracking_token)
                let accepted = try await file(), toForward = try await file(), toReject = try await file(), toAsk = try await file()
                let toResolve = try await file(), toMerge = try await file(), resolved = try await file(), rated = try await file()
                try await act(accepted.ticket, "accept")
                for item in [resolved, rated] {
                    try await act(item.ticket, "accept")
                    try await act(item.ticket, "resolve", .init(note: "Lubang sudah ditambal."))
                }
                try await act(toResolve.ticket, "accept")
                // Photos: a complaint filed with one (whose public copy is fetched), and two resolutions awaiting validation
                // because their after-photo was taken before the complaint was filed.
                let pictured = try await fileWithPhotos(client, validComplaint.with(category: "drainase"), photos: ["after_bare.jpg"])
                let photoURL = try #require(pictured.photos.first?.url)
                let toValidate = try await file(), toRejectResolution = try await file()
                for item in [toValidate, toRejectResolution] {
                    try await act(item.ticket, "accept")
                    let flagged = try await postForm(
                        client, "/v1/staff/complaints/\(item.ticket)/resolve",
                        [.json("resolution", StaffActionRequest(note: "Saluran sudah dibersihkan.")), Part.photo("after_old.jpg")],
                        // Resolved by a supervisor, so that the admin's validation below is not of their own evidence.
                        headers: [.authorization: "Bearer \(staff.tokens[.supervisor]!)"])
                    #expect(try decode(StaffComplaintView.self, flagged).resolution_review == "pending")
                }
                let (photoForm, photoFormType) = try form([Part.photo("photo.png", contentType: "image/png")])
                var photoHeaders = photoFormType
                photoHeaders[.authorization] = "Bearer \(pictured.tracking_token)"
                // Citizens: one signed in for their own routes, one to sign out, and a code waiting to be checked.
                let citizen = try await signIn(client, gateway, "081270001111", index: 0)
                let leaving = try await signIn(client, gateway, "081270002222", index: 1)
                _ = try await askCode(client, "081270003333")
                let waitingCode = try await gateway.code(2)
                let owned = try await fileAs(client, citizen, validComplaint)
                let device: HTTPFields = [HTTPField.Name("X-Device-Id")!: "device-contract-0001"]
                let month = "2026-10"
                // Open311: a key, and a request filed with it (the token is read from the answer).
                let (_, apiKey) = try await addAPIKey(store)
                let open311Ticket = try await open311File(client, schoolRequest(key: apiKey))
                let open311Complaint = try #require(try await store.complaint(ticket: AduanCore.Ticket(open311Ticket)))
                let open311Token = try #require(try await store.filingClient(complaintID: open311Complaint.id)?.token)
                let reporter: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
                let rater: HTTPFields = [.authorization: "Bearer \(rated.tracking_token)", .contentType: "application/json"]
                let calls: [String: (uri: String, headers: HTTPFields, body: ByteBuffer?)] = [
                    "GET /healthz": ("/healthz", [:], nil),
                    "GET /readyz": ("/readyz", [:], nil),
                    "GET /metrics": ("/metrics", [:], nil),
                    "GET /openapi.json": ("/openapi.json", [:], nil),
                    "POST /v1/complaints": ("/v1/complaints", jsonHeaders, body(validComplaint)),
                    "GET /v1/complaints/{ticket}": ("/v1/complaints/\(ticket)", reporter, nil),
                    "POST /v1/complaints/{ticket}/comments": (
                        "/v1/complaints/\(ticket)/comments", reporter, body(ReporterMessage(text: "Masih berlubang."))
                    ),
                    "POST /v1/complaints/{ticket}/feedback": (
                        "/v1/complaints/\(rated.ticket)/feedback", rater, body(FeedbackRequest(rating: 5))
                    ),
                    "POST /v1/complaints/{ticket}/photos": ("/v1/complaints/\(pictured.ticket)/photos", photoHeaders, photoForm),
                    "PUT /v1/complaints/{ticket}/notifications":
                        ("/v1/complaints/\(ticket)/notifications", reporter, body(ReporterNotifications(enabled: false))),
                    "GET /v1/complaints/{ticket}/photos/{id}": (photoURL, [:], nil),
                    "HEAD /v1/complaints/{ticket}/photos/{id}": (photoURL, [:], nil),
                    "GET /v1/complaints": ("/v1/complaints?near=-5.38,105.26&radius_m=2000", [:], nil),
                    "GET /v1/complaints/similar": ("/v1/complaints/similar?category=drainase&lat=-5.38&lng=105.26", [:], nil),
                    "POST /v1/complaints/{ticket}/support": ("/v1/complaints/\(accepted.ticket)/support", device, nil),
                    "DELETE /v1/complaints/{ticket}/support": ("/v1/complaints/\(accepted.ticket)/support", device, nil),
                    "POST /v1/auth/otp": ("/v1/auth/otp", jsonHeaders, body(SignInCodeRequest(phone: "081270004444"))),
                    "POST /v1/auth/otp/verify": (
                        "/v1/auth/otp/verify", jsonHeaders, body(SignInCodeCheck(phone: "081270003333", code: waitingCode))
                    ),
                    "POST /v1/auth/signout": ("/v1/auth/signout", bearer(leaving), nil),
                    "GET /v1/me": ("/v1/me", bearer(citizen), nil),
                    "GET /v1/me/complaints": ("/v1/me/complaints", bearer(citizen), nil),
                    "POST /v1/me/complaints/claim":
                        (
                            "/v1/me/complaints/claim", bearer(citizen),
                            body(ClaimRequest(ticket: owned.ticket, tracking_token: owned.tracking_token))
                        ),
                    "GET /v1/categories": ("/v1/categories", [:], nil),
                    "GET /v1/regions": ("/v1/regions?parent=18.71", [:], nil),
                    "GET /v1/staff/me": ("/v1/staff/me", admin, nil),
                    "GET /v1/staff/complaints": ("/v1/staff/complaints", admin, nil),
                    "GET /v1/staff/complaints/{ticket}": ("/v1/staff/complaints/\(ticket)", admin, nil),
                    "GET /v1/staff/complaints/{ticket}/audit": ("/v1/staff/complaints/\(ticket)/audit", admin, nil),
                    "POST /v1/staff/complaints/{ticket}/accept": (
                        "/v1/staff/complaints/\(ticket)/accept", admin, body(StaffActionRequest(note: "Tim survei."))
                    ),
                    "POST /v1/staff/complaints/{ticket}/forward":
                        (
                            "/v1/staff/complaints/\(toForward.ticket)/forward", admin,
                            body(StaffActionRequest(note: "Jalan provinsi.", to: "BMBK-18"))
                        ),
                    "POST /v1/staff/complaints/{ticket}/reject":
                        ("/v1/staff/complaints/\(toReject.ticket)/reject", admin, body(StaffActionRequest(reason: "Di luar kewenangan."))),
                    "POST /v1/staff/complaints/{ticket}/ask-info":
                        (
                            "/v1/staff/complaints/\(toAsk.ticket)/ask-info", admin,
                            body(StaffActionRequest(question: "Di depan nomor berapa?"))
                        ),
                    "POST /v1/staff/complaints/{ticket}/resolve":
                        ("/v1/staff/complaints/\(toResolve.ticket)/resolve", admin, body(StaffActionRequest(note: "Sudah ditambal."))),
                    "POST /v1/staff/complaints/{ticket}/comment":
                        ("/v1/staff/complaints/\(accepted.ticket)/comment", admin, body(StaffActionRequest(text: "Menunggu alat berat."))),
                    "POST /v1/staff/complaints/{ticket}/merge":
                        ("/v1/staff/complaints/\(toMerge.ticket)/merge", admin, body(StaffActionRequest(into: accepted.ticket))),
                    "POST /v1/staff/complaints/{ticket}/reopen":
                        ("/v1/staff/complaints/\(resolved.ticket)/reopen", admin, body(StaffActionRequest(reason: "Belum diperbaiki."))),
                    "POST /v1/staff/complaints/{ticket}/validate":
                        (
                            "/v1/staff/complaints/\(toValidate.ticket)/validate", admin,
                            body(StaffActionRequest(note: "Dicek di lapangan: sudah bersih."))
                        ),
                    "POST /v1/staff/complaints/{ticket}/reject-resolution":
                        (
                            "/v1/staff/complaints/\(toRejectResolution.ticket)/reject-resolution", admin,
                            body(StaffActionRequest(reason: "Foto diambil sebelum aduan masuk."))
                        ),
                    "GET /v1/reports/monthly": ("/v1/reports/monthly?month=\(month)&format=json", admin, nil),
                    "POST /v1/reports/monthly": ("/v1/reports/monthly?month=\(month)&format=json", admin, nil),
                    "GET /v1/reports/rakor": ("/v1/reports/rakor?from=\(month)&to=\(month)&format=json", admin, nil),
                    "POST /v1/reports/rakor": ("/v1/reports/rakor?from=\(month)&to=\(month)&desk=pu&format=json", admin, nil),
                    "GET /open311/v2/discovery.{format}": ("/open311/v2/discovery.json", [:], nil),
                    "GET /open311/v2/services.{format}": ("/open311/v2/services.json", [:], nil),
                    "GET /open311/v2/services/{service_code}.{format}": ("/open311/v2/services/sekolah_sd_smp.json", [:], nil),
                    "GET /open311/v2/requests.{format}": ("/open311/v2/requests.json?api_key=\(apiKey)", [:], nil),
                    "POST /open311/v2/requests.{format}": (
                        "/open311/v2/requests.json", formHeaders, urlEncoded(schoolRequest(key: apiKey))
                    ),
                    "GET /open311/v2/requests/{service_request_id}.{format}": (
                        "/open311/v2/requests/\(open311Ticket).json?api_key=\(apiKey)", [:], nil
                    ),
                    "GET /open311/v2/tokens/{token}.{format}": ("/open311/v2/tokens/\(open311Token).json", [:], nil),
                    "GET /open311/v2/servicerequestupdates.{format}": ("/open311/v2/servicerequestupdates.json", [:], nil),
                    "POST /open311/v2/servicerequestupdates.{format}":
                        (
                            "/open311/v2/servicerequestupdates.json", formHeaders,
                            urlEncoded([
                                ("api_key", apiKey), ("service_request_id", open311Ticket), ("description", "Atapnya makin parah."),
                            ])
                        ),
                ]
                var called: Set<String> = []
                for (path, operations) in paths {
                    for (method, operation) in operations where ["get", "head", "post", "put", "patch", "delete"].contains(method) {
                        let name = "\(method.uppercased()) \(path)"
                        guard let call = calls[name] else {
                            Issue.record("no call for the documented operation \(name)")
                            continue
                        }
                        let codes = ((operation as? [String: Any])?["responses"] as? [String: Any])?.keys.compactMap { Int($0) } ?? []
                        let success = try #require(codes.filter { (200..<300).contains($0) }.min(), "\(name) documents no success")
                        let answer = try await client.execute(
                            uri: call.uri, method: try #require(HTTPRequest.Method(method.uppercased())), headers: call.headers,
                            body: call.body ?? ByteBuffer())
                        #expect(answer.status.code == success, "\(name) answered \(answer.status.code), expected \(success)")
                        #expect(answer.status.code < 500, "\(name) failed on the server")
                        called.insert(name)
                    }
                }
                #expect(
                    called == Set(calls.keys), "calls for operations the document does not have: \(Set(calls.keys).subtracting(called))")
            }
            await gateway.receiver.stop()
        }
    }

    @Test("a response unlike the document is reported: the contract check can fail")
    func contractCheckFails() async throws {
        let router = Router(context: AppRequestContext.self)
        router.get("healthz") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"fine"}"#))
            )
        }
        try await Application(responder: router.contractChecked()).test(.router) { client in
            await withKnownIssue("the body's status is not one of the documented values") {
                _ = try await client.execute(uri: "/healthz", method: .get)
            }
        }
    }
}
