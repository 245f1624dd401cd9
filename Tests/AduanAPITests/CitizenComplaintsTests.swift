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

func fileAs(_ client: any TestClientProtocol, _ token: String?, _ input: SubmitComplaintRequest = validComplaint) async throws -> SubmittedComplaint {
    var headers = jsonHeaders
    if let token { headers[.authorization] = "Bearer \(token)" }
    let response = try await client.execute(uri: "/v1/complaints", method: .post, headers: headers, body: body(input))
    #expect(response.status == .created, "\(String(buffer: response.body))")
    return try decode(SubmittedComplaint.self, response)
}

func myComplaints(_ client: any TestClientProtocol, _ token: String, query: String = "") async throws -> MyComplaintsPage {
    let response = try await client.execute(uri: "/v1/me/complaints\(query)", method: .get, headers: bearer(token))
    #expect(response.status == .ok, "\(String(buffer: response.body))")
    return try decode(MyComplaintsPage.self, response)
}

func claim(_ client: any TestClientProtocol, _ token: String, _ ticket: String, _ tracking: String) async throws -> TestResponse {
    try await client.execute(
        uri: "/v1/me/complaints/claim", method: .post, headers: bearer(token), body: body(ClaimRequest(ticket: ticket, tracking_token: tracking)))
}

@Suite("Citizens: my complaints, claiming, and never another's")
struct CitizenComplaintsTests {
    @Test("complaints filed signed in are the account's, newest first, paginated; messages go to the account's phone")
    func mine() async throws {
        let gateway = try await CodeGateway.start()
        try await withAPI(configure: gateway.configure) { client, store in
            let token = try await signIn(client, gateway, "081270001234")
            let noPhone = SubmitComplaintRequest(
                category: "sampah", description: "Sampah menumpuk di depan Pasar Tugu sejak tiga hari.", region: "18.71.01")
            var filed: [String] = []
            for _ in 0..<3 { filed.append(try await fileAs(client, token, noPhone).ticket) }
            _ = try await file(client)  // someone else's, without an account
            let first = try await myComplaints(client, token, query: "?limit=2")
            #expect(first.items.map(\.ticket) == [filed[2], filed[1]])
            #expect(first.items[0].status == "submitted")
            let cursor = try #require(first.next_cursor)
            let second = try await myComplaints(client, token, query: "?limit=2&cursor=\(cursor)")
            #expect(second.items.map(\.ticket) == [filed[0]])
            #expect(second.next_cursor == nil)
            // The account's phone stands in for the one the form left out.
            let stored = try #require(try await store.complaint(ticket: Ticket(filed[0])))
            #expect(stored.reporter.phone == "+6281270001234")
            #expect(stored.reporter.account != nil)
            // The owner follows and answers their complaint from any phone with the citizen token alone.
            let view = try await client.execute(uri: "/v1/complaints/\(filed[0])", method: .get, headers: bearer(token))
            #expect(view.status == .ok)
            #expect(try decode(ComplaintView.self, view).history != nil)
            let comment = try await client.execute(
                uri: "/v1/complaints/\(filed[0])/comments", method: .post, headers: bearer(token), body: body(ReporterMessage(text: "Masih ada.")))
            #expect(comment.status == .created)
            #expect(try await client.execute(uri: "/v1/me/complaints?limit=0", method: .get, headers: bearer(token)).status == .badRequest)
            #expect(try await client.execute(uri: "/v1/me/complaints?cursor=zz", method: .get, headers: bearer(token)).status == .badRequest)
        }
        await gateway.receiver.stop()
    }

    @Test("a complaint filed before sign-in is claimed with its tracking token, once, by one account")
    func claiming() async throws {
        let gateway = try await CodeGateway.start()
        try await withAPI(configure: gateway.configure) { client, _ in
            let earlier = try await file(client)
            let siti = try await signIn(client, gateway, "081270001234")
            let budi = try await signIn(client, gateway, "081399998888", index: 1)
            let wrongToken = try await claim(client, siti, earlier.ticket, "salah")
            #expect(wrongToken.status == .forbidden)
            #expect(try problem(wrongToken).type == "/problems/claim-not-proven")
            #expect(try await claim(client, siti, "2611-99999", earlier.tracking_token).status == .forbidden)
            let claimed = try await claim(client, siti, earlier.ticket, earlier.tracking_token)
            #expect(claimed.status == .created)
            #expect(try decode(MyComplaintItem.self, claimed).ticket == earlier.ticket)
            #expect(try await claim(client, siti, earlier.ticket, earlier.tracking_token).status == .ok)
            let taken = try await claim(client, budi, earlier.ticket, earlier.tracking_token)
            #expect(taken.status == .conflict)
            #expect(try problem(taken).type == "/problems/claimed-by-another")
            #expect(try await myComplaints(client, siti).items.map(\.ticket) == [earlier.ticket])
            let missing = try await client.execute(
                uri: "/v1/me/complaints/claim", method: .post, headers: bearer(siti), body: ByteBuffer(string: "{}"))
            #expect(try problem(missing).errors?.map(\.field) == ["ticket", "tracking_token"])
            // The tracking token keeps working after the claim.
            #expect(try await client.execute(uri: "/v1/complaints/\(earlier.ticket)", method: .get, headers: reporterHeaders(earlier.tracking_token)).status == .ok)
        }
        await gateway.receiver.stop()
    }

    @Test("a citizen never sees or touches another's complaint: not listed, public view only, 404 to act")
    func isolation() async throws {
        let gateway = try await CodeGateway.start()
        try await withAPI(configure: gateway.configure) { client, _ in
            let siti = try await signIn(client, gateway, "081270001234")
            let budi = try await signIn(client, gateway, "081399998888", index: 1)
            let privateOne = try await fileAs(client, siti, validComplaint.with(visibility: "private"))
            let publicOne = try await fileAs(client, siti, validComplaint.with(visibility: "public"))
            #expect(try await myComplaints(client, budi).items.isEmpty)
            let hidden = try await client.execute(uri: "/v1/complaints/\(privateOne.ticket)", method: .get, headers: bearer(budi))
            #expect(hidden.status == .notFound)
            let shown = try await client.execute(uri: "/v1/complaints/\(publicOne.ticket)", method: .get, headers: bearer(budi))
            #expect(shown.status == .ok)
            let publicView = try decode(ComplaintView.self, shown)
            #expect(publicView.reporter == nil && publicView.history == nil)
            #expect(!String(buffer: shown.body).contains("Siti Rahma"))
            let comment = try await client.execute(
                uri: "/v1/complaints/\(publicOne.ticket)/comments", method: .post, headers: bearer(budi), body: body(ReporterMessage(text: "Saya juga.")))
            #expect(comment.status == .notFound)
            // A lapsed or made-up citizen token is refused outright, not treated as the public.
            let madeUp = try await client.execute(uri: "/v1/complaints/\(publicOne.ticket)", method: .get, headers: bearer("warga_nope"))
            #expect(madeUp.status == .unauthorized)
            #expect(try problem(madeUp).type == "/problems/invalid-citizen-token")
        }
        await gateway.receiver.stop()
    }
}
