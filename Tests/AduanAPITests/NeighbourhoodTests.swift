import AduanAPI
import AduanCore
import AduanStore
import AduanWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A point in Kedaton, Bandar Lampung, and points at given distances north and east of it.
let kedaton = GeoPoint(lat: -5.3800, lng: 105.2600)
func offset(north: Double = 0, east: Double = 0) -> GeoPoint {
    GeoPoint(lat: kedaton.lat + north / 111_195, lng: kedaton.lng + east / (111_195 * cos(kedaton.lat * .pi / 180)))
}

/// A complaint in Kedaton at `point`, by Siti (named, with her phone).
func placed(_ category: String, at point: GeoPoint, visibility: String = "public", description: String? = nil) -> SubmitComplaintRequest {
    SubmitComplaintRequest(
        category: category, description: description ?? "Laporan \(category) di sekitar Jalan Teuku Umar, Kedaton.", region: "18.71.01",
        location: .init(lat: point.lat, lng: point.lng), address: "Jl. Teuku Umar", reporter: .init(name: "Siti Rahma", phone: "081270001234"),
        visibility: visibility)
}

func feed(_ client: any TestClientProtocol, _ query: String) async throws -> NearbyPage {
    let response = try await client.execute(uri: "/v1/complaints?\(query)", method: .get)
    #expect(response.status == .ok, "\(String(buffer: response.body))")
    #expect(!String(buffer: response.body).contains("Siti"), "the feed must never show the reporter")
    #expect(!String(buffer: response.body).contains("\"reporter"), "the feed must never show the reporter")
    return try decode(NearbyPage.self, response)
}

func supportCall(
    _ client: any TestClientProtocol, _ ticket: String, device: String? = nil, token: String? = nil, method: HTTPRequest.Method = .post
) async throws -> TestResponse {
    var headers: HTTPFields = [:]
    if let device { headers[HTTPField.Name("X-Device-Id")!] = device }
    if let token { headers[.authorization] = "Bearer \(token)" }
    return try await client.execute(uri: "/v1/complaints/\(ticket)/support", method: method, headers: headers)
}

@Suite("Citizens: the public map feed, similar complaints, and support")
struct NeighbourhoodTests {
    @Test("the feed: public complaints only, nearest first, no reporter, rounded unless a public place, paginated")
    func feedPrivacy() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let road = try await file(client, placed("sampah", at: offset(north: 100)))
            let clinic = try await file(client, placed("layanan_kesehatan", at: offset(east: 300)))
            let hidden = try await file(client, placed("drainase", at: offset(north: 50), visibility: "private"))
            let far = try await file(client, placed("sampah", at: offset(north: 3000)))
            let fixed = try await file(client, placed("drainase", at: offset(east: -600)))
            _ = try await staffAct(client, fixed.ticket, "accept", token: staff.tokens[.triage]!)
            _ = try await staffAct(client, fixed.ticket, "resolve", token: staff.tokens[.triage]!, body: .init(note: "Dibersihkan"))

            let page = try await feed(client, "near=\(kedaton.lat),\(kedaton.lng)&radius_m=1000")
            #expect(page.items.map(\.ticket) == [road.ticket, clinic.ticket])
            #expect(!page.items.contains { [hidden.ticket, far.ticket, fixed.ticket].contains($0.ticket) })
            let roadItem = page.items[0]
            // A road report shows where the road is; the clinic report is moved to its 50 m cell's centre.
            #expect(!roadItem.location_rounded)
            #expect(abs(roadItem.location.lat - offset(north: 100).lat) < 1e-9)
            #expect((95...105).contains(roadItem.distance_m))
            let clinicItem = page.items[1]
            #expect(clinicItem.location_rounded)
            let shown = GeoPoint(lat: clinicItem.location.lat, lng: clinicItem.location.lng)
            #expect(shown != offset(east: 300))
            #expect(shown.distance(to: offset(east: 300)) <= PublicLocation.maxShift)
            #expect(clinicItem.distance_m == Int(kedaton.distance(to: shown).rounded()))
            // The public view of one complaint agrees with the feed.
            let view = try decode(ComplaintView.self, try await client.execute(uri: "/v1/complaints/\(clinic.ticket)", method: .get))
            #expect(view.location == clinicItem.location)
            #expect(view.location_rounded == true)

            // Pages: one at a time, then the settled one with status=all, and a category filter.
            let first = try await feed(client, "near=\(kedaton.lat),\(kedaton.lng)&limit=1")
            let second = try await feed(client, "near=\(kedaton.lat),\(kedaton.lng)&limit=1&cursor=\(try #require(first.next_cursor))")
            #expect(first.items.map(\.ticket) + second.items.map(\.ticket) == [road.ticket, clinic.ticket])
            #expect(second.next_cursor == nil)
            let all = try await feed(client, "near=\(kedaton.lat),\(kedaton.lng)&status=all")
            #expect(all.items.map(\.ticket) == [road.ticket, clinic.ticket, fixed.ticket])
            #expect(all.items[2].status == "resolved")
            let clinics = try await feed(client, "near=\(kedaton.lat),\(kedaton.lng)&category=layanan_kesehatan")
            #expect(clinics.items.map(\.ticket) == [clinic.ticket])
            // A reopened complaint is back on the open map.
            let reopen = try await client.execute(
                uri: "/v1/complaints/\(fixed.ticket)/feedback", method: .post, headers: reporterHeaders(fixed.tracking_token),
                body: body(FeedbackRequest(reopen: true, reason: "Masih tersumbat.")))
            #expect(reopen.status == .ok)
            let reopened = try await feed(client, "near=\(kedaton.lat),\(kedaton.lng)")
            #expect(reopened.items.map(\.ticket) == [road.ticket, clinic.ticket, fixed.ticket])

            for bad in ["", "near=abc", "near=-5.38", "near=91,105", "near=-5.38,105.26&radius_m=0", "near=-5.38,105.26&radius_m=9000",
                "near=-5.38,105.26&status=closed", "near=-5.38,105.26&category=unknown", "near=-5.38,105.26&limit=101",
                "near=-5.38,105.26&cursor=!!"]
            {
                #expect(try await client.execute(uri: "/v1/complaints?\(bad)", method: .get).status == .badRequest, "\(bad)")
            }
        }
    }

    @Test("similar: open complaints of the category nearby and recent; private ones only as a count")
    func similar() async throws {
        let clock = TestClock(Date())
        try await withAPI(now: clock.now) { client, _ in
            let old = try await file(client, placed("sampah", at: offset(north: 20)))
            clock.advance(days: 31)
            let near = try await file(client, placed("sampah", at: offset(north: 100)))
            _ = try await file(client, placed("sampah", at: offset(east: 150), visibility: "private"))
            _ = try await file(client, placed("sampah", at: offset(east: 400)))
            _ = try await file(client, placed("drainase", at: offset(north: 10)))
            let response = try await client.execute(
                uri: "/v1/complaints/similar?category=sampah&lat=\(kedaton.lat)&lng=\(kedaton.lng)", method: .get)
            #expect(response.status == .ok)
            #expect(!String(buffer: response.body).contains("Siti"))
            let found = try decode(SimilarComplaintsDTO.self, response)
            #expect(found.radius_m == 250 && found.days == 30)
            #expect(found.items.map(\.ticket) == [near.ticket])
            #expect(!found.items.contains { $0.ticket == old.ticket })
            #expect(found.private_count == 1)
            #expect(found.items[0].support_count == 0)
            #expect(try await client.execute(uri: "/v1/complaints/similar?category=sampah", method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/v1/complaints/similar?lat=-5.38&lng=105.26", method: .get).status == .badRequest)
        }
    }

    @Test("support: once per device and citizen, withdrawn with DELETE, public open complaints only, shown everywhere")
    func support() async throws {
        let gateway = try await CodeGateway.start()
        try await withAPI(configure: gateway.configure) { client, store in
            let staff = try await StaffFixture.make(store)
            let drain = try await file(client, placed("drainase", at: offset(north: 10)))
            let token = try await signIn(client, gateway, "081399998888")
            let once = try await supportCall(client, drain.ticket, device: "device-aaaa-0001")
            #expect(once.status == .ok)
            #expect(try decode(SupportState.self, once) == SupportState(ticket: drain.ticket, support_count: 1, supporting: true))
            let twice = try await supportCall(client, drain.ticket, device: "device-aaaa-0001")
            #expect(try decode(SupportState.self, twice).support_count == 1)
            #expect(try decode(SupportState.self, try await supportCall(client, drain.ticket, device: "device-bbbb-0002")).support_count == 2)
            #expect(try decode(SupportState.self, try await supportCall(client, drain.ticket, token: token)).support_count == 3)
            #expect(try decode(SupportState.self, try await supportCall(client, drain.ticket, token: token)).support_count == 3)
            let withdrawn = try await supportCall(client, drain.ticket, device: "device-aaaa-0001", method: .delete)
            #expect(try decode(SupportState.self, withdrawn) == SupportState(ticket: drain.ticket, support_count: 2, supporting: false))
            #expect(try decode(SupportState.self, try await supportCall(client, drain.ticket, device: "device-aaaa-0001", method: .delete)).support_count == 2)

            // Shown in the public view, the staff view, the queue, and first in the queue sorted by support.
            let publicView = try decode(ComplaintView.self, try await client.execute(uri: "/v1/complaints/\(drain.ticket)", method: .get))
            #expect(publicView.support_count == 2)
            let other = try await file(client, placed("drainase", at: offset(north: 900)))
            let triage = staff.tokens[.triage]!
            let staffView = try decode(
                StaffComplaintView.self, try await client.execute(uri: "/v1/staff/complaints/\(drain.ticket)", method: .get, headers: bearer(triage)))
            #expect(staffView.support_count == 2)
            let bySupport = try decode(
                QueuePage.self, try await client.execute(uri: "/v1/staff/complaints?sort=support&limit=1", method: .get, headers: bearer(triage)))
            #expect(bySupport.items.map(\.ticket) == [drain.ticket])
            #expect(bySupport.items[0].support_count == 2)
            let next = try decode(
                QueuePage.self,
                try await client.execute(
                    uri: "/v1/staff/complaints?sort=support&limit=1&cursor=\(try #require(bySupport.next_cursor))", method: .get, headers: bearer(triage)))
            #expect(next.items.map(\.ticket) == [other.ticket])
            #expect(try await client.execute(uri: "/v1/staff/complaints?sort=nope", method: .get, headers: bearer(triage)).status == .badRequest)

            // Refusals: no supporter, a private complaint, one's own, a settled one.
            #expect(try problem(try await supportCall(client, drain.ticket)).type == "/problems/supporter-required")
            #expect(try await supportCall(client, drain.ticket, device: "short").status == .badRequest)
            let secret = try await file(client, placed("drainase", at: offset(north: 20), visibility: "private"))
            #expect(try await supportCall(client, secret.ticket, device: "device-aaaa-0001").status == .notFound)
            let mine = try await fileAs(client, token, placed("drainase", at: offset(north: 30)))
            let own = try await supportCall(client, mine.ticket, token: token)
            #expect(own.status == .conflict)
            #expect(try problem(own).type == "/problems/own-complaint")
            _ = try await staffAct(client, other.ticket, "reject", token: triage, body: .init(reason: "Bukan wewenang kami."))
            let settled = try await supportCall(client, other.ticket, device: "device-aaaa-0001")
            #expect(settled.status == .conflict)
            #expect(try problem(settled).current_status == "rejected")
        }
        await gateway.receiver.stop()
    }

    @Test("staff see a complaint's neighbours to merge, and a merge carries the duplicate's supporters and reporter over")
    func mergeCarriesSupport() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let triage = staff.tokens[.triage]!
            let target = try await file(client, placed("drainase", at: offset(north: 200)))
            let duplicate = try await file(client, placed("drainase", at: offset(north: 210)))
            _ = try await file(client, placed("drainase", at: offset(north: 900)))  // too far to be similar
            _ = try await supportCall(client, target.ticket, device: "device-aaaa-0001")
            _ = try await supportCall(client, duplicate.ticket, device: "device-aaaa-0001")
            _ = try await supportCall(client, duplicate.ticket, device: "device-bbbb-0002")
            let before = try decode(
                StaffComplaintView.self, try await client.execute(uri: "/v1/staff/complaints/\(duplicate.ticket)", method: .get, headers: bearer(triage)))
            #expect(before.similar.map(\.ticket) == [target.ticket])
            #expect((9...11).contains(before.similar[0].distance_m))
            #expect(before.similar[0].support_count == 1)
            _ = try await staffAct(client, duplicate.ticket, "merge", token: triage, body: .init(note: "Sama", into: target.ticket))
            // Device 1 once, device 2, and the duplicate's reporter.
            let after = try decode(
                StaffComplaintView.self, try await client.execute(uri: "/v1/staff/complaints/\(target.ticket)", method: .get, headers: bearer(triage)))
            #expect(after.support_count == 3)
            #expect(after.similar.isEmpty)
        }
    }

    @Test("nobody is counted on their own complaint: not by a merge, nor after claiming a merged duplicate")
    func noSelfSupport() async throws {
        let gateway = try await CodeGateway.start()
        try await withAPI(configure: gateway.configure) { client, store in
            let staff = try await StaffFixture.make(store)
            let siti = try await signIn(client, gateway, "081270001234")
            let target = try await fileAs(client, siti, placed("drainase", at: offset(north: 200)))
            let duplicate = try await file(client, placed("drainase", at: offset(north: 205)))  // Budi, before signing in
            _ = try await supportCall(client, duplicate.ticket, token: siti)
            _ = try await supportCall(client, duplicate.ticket, device: "device-aaaa-0001")
            _ = try await staffAct(client, duplicate.ticket, "merge", token: staff.tokens[.triage]!, body: .init(into: target.ticket))
            func count() async throws -> Int {
                try decode(ComplaintView.self, try await client.execute(uri: "/v1/complaints/\(target.ticket)", method: .get)).support_count
            }
            // The device and the duplicate's reporter; not Siti, whose complaint it is.
            #expect(try await count() == 2)
            let budi = try await signIn(client, gateway, "081399998888", index: 1)
            #expect(try await claim(client, budi, duplicate.ticket, duplicate.tracking_token).status == .created)
            #expect(try await count() == 2)
            // Budi's +1 was already counted, as the duplicate's reporter.
            #expect(try decode(SupportState.self, try await supportCall(client, target.ticket, token: budi)).support_count == 2)
        }
        await gateway.receiver.stop()
    }
}
