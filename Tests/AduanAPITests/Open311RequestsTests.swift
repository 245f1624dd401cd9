import AduanAPI
import AduanCore
import AduanStore
import AduanTestSupport
import AduanWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Open311's requests: filing through the same intake as /v1, reading without the reporter, the 90-day window,
/// paging, tokens and status updates.
@Suite("Open311: requests")
struct Open311RequestsTests {
    @Test("a urlencoded POST files a complaint with its answers, attributed to the key; the key sees it, the public does not")
    func fileUrlEncoded() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let (keyID, key) = try await addAPIKey(store, name: "FixMyStreet Lampung")
            let response = try await open311Post(client, schoolRequest(key: key), format: "xml")
            #expect(response.status == .created)
            let created = try #require(try strictXML(response).child("request"))
            let ticket = try #require(created["service_request_id"])
            #expect(try strictXML(response).name == "service_requests")
            #expect(created["service_notice"]?.contains("paling lambat") == true)
            #expect(created["account_id"] == "fms-42")
            // The same routing, clocks and privacy default as /v1.
            let view = try await staffView(client, ticket, token: staff.adminToken)
            #expect(view.opd.code == "DISDIK-1871")
            #expect(view.visibility == "private")
            #expect(view.reporter?.name == "Siti Rahma")
            #expect(view.reporter?.phone == "081270001234")
            #expect(view.attributes.map(\.code) == ["nama_sekolah", "jenjang"])
            #expect(view.attributes[1].values.map(\.key) == ["sd", "smp"])
            #expect(view.filed_via?.api_key == .init(id: keyID, name: "FixMyStreet Lampung"))
            #expect(view.filed_via?.email == "siti.rahma@example.id")
            #expect(view.filed_via?.device_id == "fms-device-1")
            #expect(view.filed_via?.media_urls == ["http://127.0.0.1:9/photo/1.jpeg"])
            let submitted = try #require(view.history.first { $0.kind == "submitted" })
            #expect(submitted.details["channel"] == "open311")
            #expect(submitted.details["api_key"] == String(keyID))
            #expect(submitted.details["api_key_name"] == "FixMyStreet Lampung")
            // Private: the public does not find it; the key that filed it does, at its exact place with its address.
            #expect(try await client.execute(uri: "/open311/v2/requests/\(ticket).json", method: .get).status == .notFound)
            let own = try jsonList(try await client.execute(uri: "/open311/v2/requests/\(ticket).json?api_key=\(key)", method: .get))
            #expect(own.count == 1)
            #expect(own[0]["lat"] as? Double == -5.3702)
            #expect(own[0]["status"] as? String == "open")
            #expect(own[0]["service_code"] as? String == "sekolah_sd_smp")
            #expect(own[0]["agency_responsible"] as? String == view.opd.name)
            // The token stands for the ticket.
            let token = try #require(created["token"])
            let tokens = try strictXML(try await client.execute(uri: "/open311/v2/tokens/\(token).xml", method: .get))
            #expect(tokens.child("request")?["service_request_id"] == ticket)
            #expect(try await client.execute(uri: "/open311/v2/tokens/nope.json", method: .get).status == .notFound)
        }
    }

    @Test("a multipart POST takes the spec's attribute[code][] spelling and photo files; an address alone is placed by name")
    func fileMultipart() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let (_, key) = try await addAPIKey(store)
            let text = { (name: String, value: String) in
                Part(name: name, filename: nil, contentType: "text/plain", bytes: Array(value.utf8))
            }
            let response = try await postForm(
                client, "/open311/v2/requests.json",
                [
                    text("api_key", key), text("service_code", "jalan_rusak"), text("description", "Jalan berlubang besar dekat sekolah."),
                    text("address_string", "Jl. Sultan Agung, Kedaton, Kota Bandar Lampung"), text("attribute[ukuran][]", "besar"),
                    Part(name: "media", filename: "lubang.jpg", contentType: "image/jpeg", bytes: try photoFixture("after_bare.jpg")),
                ])
            #expect(response.status == .created, "\(String(buffer: response.body))")
            let ticket = try #require(try jsonList(response).first?["service_request_id"] as? String)
            let view = try await staffView(client, ticket, token: staff.adminToken)
            #expect(view.region.name == "Kedaton")
            #expect(view.address == "Jl. Sultan Agung, Kedaton, Kota Bandar Lampung")
            #expect(view.photos.count == 1)
            #expect(view.attributes.first?.values.first?.name == "Besar (lebih dari 1 m) atau jalan amblas")
        }
    }

    @Test("linked photos are fetched and kept; a road, which needs a photo, is refused when none can be fetched")
    func linkedPhotos() async throws {
        let host = try await WebhookReceiver.start()
        host.serve("lubang.jpg", try photoFixture("after_bare.jpg"))
        host.redirect("short", to: host.url("lubang.jpg"))
        host.serve("notes.jpg", Array("not an image at all".utf8))
        try await withAPI(configure: { $0.dispatcher.allowPrivateAddresses = true }) { client, store in
            let staff = try await StaffFixture.make(store)
            let (_, key) = try await addAPIKey(store)
            let road = { (links: [String]) in
                [
                    ("api_key", key), ("service_code", "jalan_rusak"), ("description", "Jalan berlubang besar dekat sekolah."),
                    ("lat", "-5.3702"), ("long", "105.2470"),
                ] + links.map { ("media_url", $0) }
            }
            let ticket = try await open311File(client, road([host.url("short"), host.url("notes.jpg")]))
            let view = try await staffView(client, ticket, token: staff.adminToken)
            #expect(view.photos.count == 1, "the redirect is followed; the file that is no image is left as a link")
            #expect(view.filed_via?.media_urls == [host.url("short"), host.url("notes.jpg")])
            for links in [[host.url("missing.jpg")], [host.url("notes.jpg")], []] {
                let refused = try await open311Post(client, road(links))
                #expect(refused.status == .badRequest, "\(links)")
                let description = try #require(try jsonList(refused).first?["description"] as? String)
                #expect(description.hasPrefix(links.isEmpty ? "media:" : "media_url:"), "\(description)")
            }
        }
        // Without private addresses allowed, a loopback link is never fetched.
        try await withAPI { client, store in
            let (_, key) = try await addAPIKey(store)
            let refused = try await open311Post(
                client,
                [
                    ("api_key", key), ("service_code", "jalan_rusak"), ("description", "Jalan berlubang besar dekat sekolah."),
                    ("lat", "-5.3702"), ("long", "105.2470"), ("media_url", host.url("lubang.jpg")),
                ])
            #expect(refused.status == .badRequest)
            #expect((try jsonList(refused).first?["description"] as? String)?.contains("loopback") == true)
        }
        await host.stop()
    }

    @Test("lists show public complaints without their reporter, at their shown point, with media_url and W3C times")
    func publicList() async throws {
        try await withAPI(configure: { $0.open311.publicURL = "https://aduan.example" }) { client, store in
            let (_, key) = try await addAPIKey(store)
            let pictured = try await fileWithPhotos(client, validComplaint.with(category: "drainase"), photos: ["after_bare.jpg"])
            let privateOne = try await file(client, validComplaint.with(visibility: "private"))
            _ = try await open311File(client, schoolRequest(key: key))
            for format in ["xml", "json"] {
                let response = try await client.execute(uri: "/open311/v2/requests.\(format)", method: .get)
                let body = String(buffer: response.body)
                for secret in ["Siti", "Rahma", "1234", "siti.rahma", "Teuku Umar", "fms-device"] {
                    #expect(!body.contains(secret), "\(format) shows \(secret)")
                }
                #expect(!body.contains(privateOne.ticket))
                #expect(body.contains(pictured.ticket))
            }
            let xml = try strictXML(try await client.execute(uri: "/open311/v2/requests.xml", method: .get))
            #expect(xml.name == "service_requests")
            let item = try #require(xml.all("request").first)
            #expect(item["service_request_id"] == pictured.ticket)
            for field in ["requested_datetime", "updated_datetime", "expected_datetime"] {
                #expect(isW3C(item[field]), "\(field): \(item[field] ?? "-")")
            }
            #expect(item["media_url"] == "https://aduan.example\(try #require(pictured.photos.first?.url))")
            #expect(item["status_notes"] == "Menunggu")
            #expect(item["address_id"] == "18.71.01")
            // The key sees its own private complaint in the list as well.
            #expect(try jsonList(try await client.execute(uri: "/open311/v2/requests.json?api_key=\(key)", method: .get)).count == 2)
        }
    }

    @Test("GET requests: a 90-day default window, no wider window, status and service filters, ids override, paging")
    func listRules() async throws {
        let clock = TestClock(instant("2026-09-01T09:00:00+07:00"))
        try await withAPI(now: clock.now) { client, store in
            let staff = try await StaffFixture.make(store)
            let old = try await file(client)
            clock.set(instant("2026-12-01T09:00:00+07:00"))
            var recent: [String] = []
            for _ in 0..<3 { recent.append(try await file(client).ticket) }
            let drain = try await file(client, validComplaint.with(category: "drainase"))
            _ = try await staffAct(client, drain.ticket, "reject", token: staff.adminToken, body: .init(reason: "Bukan kewenangan kami."))
            func tickets(_ query: String) async throws -> [String] {
                let response = try await client.execute(uri: "/open311/v2/requests.json\(query)", method: .get)
                #expect(response.status == .ok, "\(query): \(String(buffer: response.body))")
                return try jsonList(response).compactMap { $0["service_request_id"] as? String }
            }
            #expect(try await tickets("") == [drain.ticket] + recent.reversed())
            #expect(try await tickets("?status=closed") == [drain.ticket])
            #expect(try await tickets("?status=open") == recent.reversed())
            #expect(try await tickets("?status=open,closed").count == 4)
            #expect(try await tickets("?service_code=drainase") == [drain.ticket])
            #expect(try await tickets("?start_date=2026-08-31T00:00:00%2B07:00&end_date=2026-09-02T00:00:00Z") == [old.ticket])
            #expect(try await tickets("?start_date=2026-08-31T00:00:00Z") == [old.ticket])
            #expect(
                try await tickets("?service_request_id=\(old.ticket),\(recent[0]),2612-99999&status=closed") == [old.ticket, recent[0]])
            #expect(try await tickets("?page_size=2") == [drain.ticket, recent[2]])
            #expect(try await tickets("?page_size=2&page=2") == [recent[1], recent[0]])
            #expect(try await tickets("?page_size=2&page=3") == [])
            for bad in [
                "?start_date=2026-01-01T00:00:00Z&end_date=2026-12-01T00:00:00Z",
                "?start_date=2026-12-01T00:00:00Z&end_date=2026-11-01T00:00:00Z",
                "?start_date=yesterday", "?status=pending", "?page=0", "?page_size=1001", "?service_code=ufo",
            ] {
                let response = try await client.execute(uri: "/open311/v2/requests.xml\(bad)", method: .get)
                #expect(response.status == .badRequest, "\(bad)")
                #expect(try strictXML(response).all("error").first?["code"] == "400")
            }
        }
    }

    @Test("the app that filed a complaint reads the office's question and passes on its reporter's answer and reopening")
    func reporterThroughTheApp() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let (_, key) = try await addAPIKey(store)
            let (_, other) = try await addAPIKey(store, name: "Aplikasi Lain")
            let ticket = try await open311File(client, schoolRequest(key: key))
            _ = try await staffAct(client, ticket, "accept", token: staff.adminToken, body: .init(note: "Tim sarpras ke lokasi."))
            _ = try await staffAct(client, ticket, "ask-info", token: staff.adminToken, body: .init(question: "Ruang kelas yang mana?"))
            func updates(_ key: String) async throws -> [[String: Any]] {
                try jsonList(try await client.execute(uri: "/open311/v2/servicerequestupdates.json?api_key=\(key)", method: .get))
            }
            let seen = try await updates(key)
            #expect(
                seen.map { $0["description"] as? String } == [
                    "Diproses: Tim sarpras ke lokasi.", "Menunggu info pelapor: Ruang kelas yang mana?",
                ])
            #expect(seen.map { $0["status"] as? String } == ["IN_PROGRESS", "INVESTIGATING"])
            // Another app does not see this private complaint at all.
            #expect(try await updates(other).isEmpty)
            func postUpdate(_ key: String, _ pairs: [(String, String)], format: String = "xml") async throws -> TestResponse {
                try await client.execute(
                    uri: "/open311/v2/servicerequestupdates.\(format)", method: .post, headers: formHeaders,
                    body: urlEncoded([("api_key", key), ("service_request_id", ticket)] + pairs))
            }
            #expect(try await postUpdate(other, [("description", "Kelas 3B.")]).status == .notFound)
            #expect(try await postUpdate("nope", [("description", "Kelas 3B.")]).status == .forbidden)
            #expect(try await postUpdate(key, []).status == .badRequest)
            let answered = try await postUpdate(
                key, [("description", "Kelas 3B, lantai dua."), ("status", "OPEN"), ("update_id", "fms-77")])
            #expect(answered.status == .created)
            #expect(try strictXML(answered).child("request_update")?["update_id"]?.isEmpty == false)
            var view = try await staffView(client, ticket, token: staff.adminToken)
            #expect(view.status == "in_progress", "the answer resumes the complaint")
            #expect(view.history.contains { $0.kind == "comment" && $0.details["text"] == "Kelas 3B, lantai dua." })
            _ = try await staffAct(client, ticket, "resolve", token: staff.adminToken, body: .init(note: "Atap sudah diganti."))
            // "Not fixed", written before the resolution and sent late, is a comment, not a reopening.
            let stale = try await postUpdate(
                key, [("description", "Belum diperbaiki."), ("status", "OPEN"), ("updated_datetime", "2020-01-01T00:00:00Z")])
            #expect(stale.status == .created)
            #expect(try await staffView(client, ticket, token: staff.adminToken).status == "resolved")
            #expect(
                try await postUpdate(key, [("description", "Masih bocor kemarin."), ("status", "open")], format: "json").status == .created)
            view = try await staffView(client, ticket, token: staff.adminToken)
            #expect(view.status == "reopened")
            // Once refused, the complaint takes no more words, and the app is told so plainly.
            _ = try await staffAct(client, ticket, "reject", token: staff.adminToken, body: .init(reason: "Sudah ditangani sekolah."))
            let closed = try await postUpdate(key, [("description", "Terima kasih.")], format: "json")
            #expect(closed.status == .badRequest)
            #expect((try jsonList(closed).first?["description"] as? String)?.contains("is rejected") == true)
        }
    }

    @Test("lenient where clients differ: lowercase z, status in capitals, an unencoded + in an offset; strict on broken escapes")
    func lenience() async throws {
        try await withAPI { client, store in
            let (_, key) = try await addAPIKey(store)
            for query in ["?start_date=2026-11-01t00:00:00z", "?status=OPEN,Closed", "?start_date=2026-11-01T00:00:00+07:00"] {
                #expect(try await client.execute(uri: "/open311/v2/requests.json\(query)", method: .get).status == .ok, "\(query)")
            }
            let broken = try await client.execute(
                uri: "/open311/v2/requests.json", method: .post, headers: formHeaders,
                body: ByteBuffer(string: "api_key=\(key)&service_code=sampah&description=Sampah%FFmenumpuk+di+pasar&address_id=18.71.01"))
            #expect(broken.status == .badRequest)
            #expect((try jsonList(broken).first?["description"] as? String)?.hasPrefix("description: not percent-encoded UTF-8") == true)
        }
    }

    @Test("servicerequestupdates lists status changes in the window with FixMyStreet's statuses and the office's answer")
    func updates() async throws {
        let clock = TestClock(instant("2026-12-01T09:00:00+07:00"))
        try await withAPI(now: clock.now) { client, store in
            let staff = try await StaffFixture.make(store)
            let filed = try await fileComplaint(client, own: true)
            let hidden = try await file(client, validComplaint.with(category: "drainase", visibility: "private"))
            clock.set(instant("2026-12-01T10:00:00+07:00"))
            for ticket in [filed.ticket, hidden.ticket] { _ = try await staffAct(client, ticket, "accept", token: staff.adminToken) }
            clock.set(instant("2026-12-02T10:00:00+07:00"))
            _ = try await staffAct(
                client, filed.ticket, "resolve", token: staff.adminToken, body: .init(note: "Saluran sudah dibersihkan."))
            let xml = try strictXML(
                try await client.execute(
                    uri: "/open311/v2/servicerequestupdates.xml?api_key=&start_date=2026-11-30T00:00:00Z&end_date=2026-12-03T00:00:00Z",
                    method: .get))
            #expect(xml.name == "service_request_updates")
            let updates = xml.all("request_update")
            #expect(updates.map { $0["service_request_id"] } == [filed.ticket, filed.ticket])
            #expect(updates.map { $0["status"] } == ["IN_PROGRESS", "FIXED"])
            #expect(updates[1]["description"] == "Selesai, menunggu konfirmasi: Saluran sudah dibersihkan.")
            #expect(updates[1]["updated_datetime"] == "2026-12-02T10:00:00+07:00")
            #expect(Set(updates.compactMap { $0["update_id"] }).count == 2)
            let window = try jsonList(
                try await client.execute(
                    uri:
                        "/open311/v2/servicerequestupdates.json?start_date=2026-12-02T00:00:00%2B07:00&end_date=2026-12-03T00:00:00%2B07:00",
                    method: .get))
            #expect(window.map { $0["status"] as? String } == ["FIXED"])
            let tooWide = try await client.execute(
                uri: "/open311/v2/servicerequestupdates.json?start_date=2026-01-01T00:00:00Z&end_date=2026-12-03T00:00:00Z", method: .get)
            #expect(tooWide.status == .badRequest)
        }
    }
}
