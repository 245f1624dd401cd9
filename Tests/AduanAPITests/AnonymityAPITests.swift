import AduanAPI
import AduanCore
import AduanStore
import AduanWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Staff API: an anonymous reporter is hidden from staff")
struct AnonymityAPITests {
    /// The reporter of `validComplaint`: the name, its parts, and the phone as given and as digits.
    static let identity = ["Siti Rahma", "Siti", "Rahma", "+62 812-7000-1234", "812-7000-1234", "6281270001234", "7000-1234"]

    /// Which parts of the reporter's identity the raw bytes of a response contain.
    static func leaks(_ response: TestResponse) -> [String] {
        let text = String(buffer: response.body)
        return Self.identity.filter { text.contains($0) }
    }

    @Test("an anonymous reporter's name and phone are in no staff response: queue, show, audit and every action's answer")
    func hiddenEverywhere() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let complaint = try await fileComplaint(client, own: true, anonymous: true)
            let duplicate = try await fileComplaint(client, own: true, anonymous: true)
            #expect(complaint.anonymous)
            // The identity is sealed at rest: not even the reporter's own view shows it (messages still reach the phone:
            // `SealedIdentityTests`).
            let own = try await client.execute(
                uri: "/v1/complaints/\(complaint.ticket)", method: .get, headers: reporterHeaders(complaint.tracking_token))
            #expect(try decode(ComplaintView.self, own).reporter == ReporterDTO(name: nil, phone: nil))
            #expect(Self.leaks(own).isEmpty)

            var seen: [(what: String, response: TestResponse)] = []
            func reads(_ role: StaffRole, queue: String = "/v1/staff/complaints") async throws {
                let token = staff.tokens[role]!
                let path = "/v1/staff/complaints/\(complaint.ticket)"
                seen.append(("\(role.rawValue) queue", try await client.execute(uri: queue, method: .get, headers: bearer(token))))
                seen.append(("\(role.rawValue) show", try await client.execute(uri: path, method: .get, headers: bearer(token))))
                seen.append(
                    ("\(role.rawValue) audit", try await client.execute(uri: path + "/audit", method: .get, headers: bearer(token))))
            }
            func act(_ role: StaffRole, _ action: String, on ticket: String, _ request: StaffActionRequest = .init()) async throws {
                seen.append(
                    ("\(role.rawValue) \(action)", try await staffPost(client, ticket, action, token: staff.tokens[role]!, body: request)))
            }
            for role in StaffRole.allCases { try await reads(role) }

            // Every action, each by a role that may take it, with the reporter answering a question on the way.
            try await act(.triage, "accept", on: complaint.ticket, .init(note: "Tim survei besok"))
            try await act(.officer, "comment", on: complaint.ticket, .init(text: "Catatan internal"))
            try await act(.triage, "comment", on: complaint.ticket, .init(text: "Untuk pelapor", visible_to_reporter: true))
            try await act(.officer, "ask-info", on: complaint.ticket, .init(question: "Di depan nomor berapa?"))
            let reply = try await client.execute(
                uri: "/v1/complaints/\(complaint.ticket)/comments", method: .post, headers: reporterHeaders(complaint.tracking_token),
                body: body(ReporterMessage(text: "Depan nomor 12")))
            #expect(reply.status == .created)
            try await act(.officer, "resolve", on: complaint.ticket, .init(note: "Sudah ditambal"))
            try await act(.supervisor, "reopen", on: complaint.ticket, .init(reason: "Belum diperbaiki"))
            try await act(.triage, "merge", on: duplicate.ticket, .init(note: "Sama", into: complaint.ticket))
            for role in StaffRole.allCases { try await reads(role) }
            try await act(.triage, "forward", on: complaint.ticket, .init(note: "Bukan kewenangan PU", to: "DLH-1871"))
            try await act(.admin, "reject", on: complaint.ticket, .init(reason: "Di luar kewenangan"))
            try await reads(.admin, queue: "/v1/staff/complaints?status=rejected,duplicate")

            // Reads by every role before and after the first actions, eight action answers, and the admin's last reads.
            let expectedCount = 12 + 7 + 12 + 2 + 3
            #expect(seen.count == expectedCount)
            for (what, response) in seen {
                #expect(response.status == .ok, "\(what): \(String(buffer: response.body))")
                #expect(Self.leaks(response).isEmpty, "\(what) shows the anonymous reporter: \(Self.leaks(response))")
                if what.hasSuffix("queue") {
                    #expect(!(try decode(QueuePage.self, response).items.isEmpty), "\(what)")
                } else if what.hasSuffix("audit") {
                    #expect(!(try decode(AuditLog.self, response).entries.isEmpty), "\(what)")
                } else {
                    let view = try decode(StaffComplaintView.self, response)
                    #expect(view.anonymous && view.reporter == nil, "\(what)")
                }
            }
            let final = try await staffView(client, complaint.ticket, token: staff.adminToken)
            #expect(final.status == "rejected")
            #expect(Set(final.history.map(\.kind)).isSuperset(of: ["comment", "forwarded", "merged", "status_changed"]))
        }
    }

    @Test("a named reporter is shown to the handling office")
    func namedReporter() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let named = try await fileComplaint(client, own: true)
            let view = try await staffView(client, named.ticket, token: staff.tokens[.triage]!)
            #expect(!view.anonymous)
            #expect(view.reporter == ReporterDTO(name: "Siti Rahma", phone: "+62 812-7000-1234"))
        }
    }
}
