import AduanAPI
import AduanCore
import AduanStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// A clock the test moves by hand.
final class TestClock: Sendable {
    let current: Mutex<Date>
    init(_ start: Date) { self.current = Mutex(start) }
    func now() -> Date { self.current.withLock { $0 } }
    func advance(days: Double) { self.current.withLock { $0 = $0.addingTimeInterval(days * 86_400) } }
}

@Suite("Staff API: the workflow from filing to confirmation")
struct StaffWorkflowAPITests {
    @Test("triage accepts, asks for information, the reporter answers, triage resolves and the reporter confirms")
    func happyPath() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let triage = staff.tokens[.triage]!
            let complaint = try await fileComplaint(client, own: true)

            // A refused transition is a 409 naming what is allowed.
            let early = try await staffPost(client, complaint.ticket, "resolve", token: triage, body: ["note": "x"])
            #expect(early.status == .conflict)
            let problem = try decode(early)
            #expect(problem["type"] as? String == "/problems/invalid-transition")
            #expect(Set(problem["allowed"] as? [String] ?? []) == ["accept", "forward", "reject", "ask-info", "comment", "merge"])

            let accepted = try decode(try await staffPost(client, complaint.ticket, "accept", token: triage, body: [:]))
            #expect(accepted["status"] as? String == "in_progress")
            #expect((accepted["sla"] as? [String: Any])?["responded_at"] is String)

            let asked = try decode(
                try await staffPost(client, complaint.ticket, "ask-info", token: triage, body: ["question": "Nomor rumah?"]))
            #expect(asked["status"] as? String == "waiting_info")
            #expect((asked["sla"] as? [String: Any])?["paused_at"] is String)

            // The reporter's answer, with the tracking token, resumes the complaint.
            let reporter: HTTPFields = [.authorization: "Bearer \(complaint.token)", .contentType: "application/json"]
            let noToken = try await client.execute(
                uri: "/v1/complaints/\(complaint.ticket)/comments", method: .post, headers: jsonHeaders, body: json(["text": "Nomor 12"]))
            #expect(noToken.status == .unauthorized)
            let wrongToken = try await client.execute(
                uri: "/v1/complaints/\(complaint.ticket)/comments", method: .post,
                headers: [.authorization: "Bearer not-the-token", .contentType: "application/json"], body: json(["text": "Nomor 12"]))
            #expect(wrongToken.status == .unauthorized)
            #expect(wrongToken.headers[.wwwAuthenticate] == "Bearer")
            let replied = try await client.execute(
                uri: "/v1/complaints/\(complaint.ticket)/comments", method: .post, headers: reporter, body: json(["text": "Nomor 12"]))
            #expect(replied.status == .created)
            #expect(try decode(replied)["status"] as? String == "in_progress")

            let resolved = try decode(try await staffPost(client, complaint.ticket, "resolve", token: triage, body: ["note": "Ditambal"]))
            #expect(resolved["status"] as? String == "resolved")

            let badRating = try await client.execute(
                uri: "/v1/complaints/\(complaint.ticket)/feedback", method: .post, headers: reporter, body: json(["rating": 6]))
            #expect(badRating.status == .unprocessableContent)
            let confirmed = try await client.execute(
                uri: "/v1/complaints/\(complaint.ticket)/feedback", method: .post, headers: reporter,
                body: json(["rating": 5, "comment": "Terima kasih"]))
            #expect(confirmed.status == .ok)
            let view = try decode(confirmed)
            #expect(view["status"] as? String == "closed")
            // The reporter's history shows the question and the resolution but not internal notes or staff names.
            let history = try #require(view["history"] as? [[String: Any]])
            #expect(history.contains { ($0["details"] as? [String: String])?["question"] == "Nomor rumah?" })
            #expect(!String(buffer: confirmed.body).contains("Staf triage"))
        }
    }

    @Test("a reporter reopens a resolution within 7 days with a reason; a supervisor reopens a closed one")
    func reopen() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let complaint = try await fileComplaint(client, own: true)
            _ = try await staffPost(client, complaint.ticket, "accept", token: staff.tokens[.triage]!, body: [:])
            _ = try await staffPost(client, complaint.ticket, "resolve", token: staff.tokens[.triage]!, body: ["note": "Selesai"])
            let reporter: HTTPFields = [.authorization: "Bearer \(complaint.token)", .contentType: "application/json"]
            let noReason = try await client.execute(
                uri: "/v1/complaints/\(complaint.ticket)/feedback", method: .post, headers: reporter, body: json(["reopen": true]))
            #expect(noReason.status == .unprocessableContent)
            let reopened = try await client.execute(
                uri: "/v1/complaints/\(complaint.ticket)/feedback", method: .post, headers: reporter,
                body: json(["reopen": true, "reason": "Masih berlubang"]))
            #expect(try decode(reopened)["status"] as? String == "reopened")

            _ = try await staffPost(client, complaint.ticket, "accept", token: staff.tokens[.triage]!, body: [:])
            _ = try await staffPost(client, complaint.ticket, "resolve", token: staff.tokens[.triage]!, body: ["note": "Sekarang selesai"])
            _ = try await client.execute(
                uri: "/v1/complaints/\(complaint.ticket)/feedback", method: .post, headers: reporter, body: json(["rating": 2]))
            let byTriage = try await staffPost(client, complaint.ticket, "reopen", token: staff.tokens[.triage]!, body: ["reason": "x"])
            #expect(byTriage.status == .forbidden)
            let bySupervisor = try decode(
                try await staffPost(client, complaint.ticket, "reopen", token: staff.tokens[.supervisor]!, body: ["reason": "Foto palsu"]))
            #expect(bySupervisor["status"] as? String == "reopened")
            #expect(bySupervisor["reopen_count"] as? Int == 2)
        }
    }

    @Test("forwarding moves a complaint to the other OPD's queue and keeps every hop; merge needs a visible target")
    func forwardAndMerge() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let triage = staff.tokens[.triage]!
            let complaint = try await fileComplaint(client, own: true)
            let before = try decode(
                try await client.execute(uri: "/v1/staff/complaints/\(complaint.ticket)", method: .get, headers: bearer(triage)))
            let unknownOPD = try await staffPost(client, complaint.ticket, "forward", token: triage, body: ["to": "NOPE-1", "note": "x"])
            #expect(unknownOPD.status == .unprocessableContent)
            let forwarded = try decode(
                try await staffPost(client, complaint.ticket, "forward", token: triage, body: ["to": "DLH-1871", "note": "Sampah"]))
            #expect((forwarded["opd"] as? [String: Any])?["code"] as? String == "DLH-1871")
            // The response clock keeps running: same deadline.
            #expect((forwarded["sla"] as? [String: Any])?["response_due_at"] as? String
                == (before["sla"] as? [String: Any])?["response_due_at"] as? String)
            let gone = try await client.execute(uri: "/v1/staff/complaints/\(complaint.ticket)", method: .get, headers: bearer(triage))
            #expect(gone.status == .notFound)
            let audit = try decode(
                try await client.execute(
                    uri: "/v1/staff/complaints/\(complaint.ticket)/audit", method: .get, headers: bearer(staff.adminToken)))
            let hops = (audit["entries"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "forwarded" }
            #expect(hops.count == 1)
            #expect((hops.first?["details"] as? [String: String]) == ["from": "PUPR-1871", "to": "DLH-1871"])

            // Merge: a target of another OPD is unknown to triage; one of its own OPD works.
            let duplicate = try await fileComplaint(client, own: true)
            let survivor = try await fileComplaint(client, own: true)
            let intoOther = try await staffPost(client, duplicate.ticket, "merge", token: triage, body: ["into": complaint.ticket])
            #expect(intoOther.status == .unprocessableContent)
            let intoSelf = try await staffPost(client, duplicate.ticket, "merge", token: triage, body: ["into": duplicate.ticket])
            #expect(intoSelf.status == .unprocessableContent)
            let merged = try decode(try await staffPost(client, duplicate.ticket, "merge", token: triage, body: ["into": survivor.ticket]))
            #expect(merged["status"] as? String == "duplicate")
            #expect(merged["merged_into"] as? String == survivor.ticket)
        }
    }

    @Test("the queue is ordered by the nearest deadline and pages with an opaque cursor")
    func queueOrderAndPaging() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            // Banjir has an hours target, so it comes due before the working-day categories filed earlier.
            var tickets: [String] = []
            for _ in 0..<3 { tickets.append(try await fileComplaint(client, own: false).ticket) }
            var flood = validComplaint
            flood["category"] = "banjir"
            let floodTicket = try decode(
                try await client.execute(uri: "/v1/complaints", method: .post, headers: jsonHeaders, body: json(flood)))["ticket"] as! String
            var seen: [String] = []
            var dues: [String] = []
            var cursor: String?
            repeat {
                let uri = "/v1/staff/complaints?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try decode(try await client.execute(uri: uri, method: .get, headers: bearer(staff.tokens[.supervisor]!)))
                let items = page["items"] as? [[String: Any]] ?? []
                seen += items.compactMap { $0["ticket"] as? String }
                dues += items.compactMap { ($0["sla"] as? [String: Any])?["next_due_at"] as? String }
                cursor = page["next_cursor"] as? String
            } while cursor != nil
            #expect(Set(seen) == Set(tickets + [floodTicket]))
            #expect(seen.count == 4)
            #expect(dues == dues.sorted())
            #expect(seen.first == floodTicket)
            // Garbage, and a well-formed cursor whose instant is out of range (once a crash in timestamp formatting).
            for cursor in ["zzz", Data("9223372036854775807:1".utf8).base64EncodedString(), Data("-5:1".utf8).base64EncodedString()] {
                let bad = try await client.execute(uri: "/v1/staff/complaints?cursor=\(cursor)", method: .get, headers: bearer(staff.adminToken))
                #expect(bad.status == .badRequest, "\(cursor)")
            }
            let badStatus = try await client.execute(uri: "/v1/staff/complaints?status=open", method: .get, headers: bearer(staff.adminToken))
            #expect(badStatus.status == .badRequest)
        }
    }

    @Test("the SLA monitor runs as a service of the application, marks breaches and escalates them")
    func monitorService() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aduan-api-\(UUID().uuidString)/aduan.sqlite").path
        let store = try Store.open(path: path, durability: .normal)
        let clock = TestClock(Date())
        var config = ServerConfig()
        config.slaCheckInterval = 1
        let app = buildApplication(
            config: config, store: store, catalog: LiveCatalog(bundledCatalog), logger: Logger(label: "test"), now: { clock.now() })
        try await app.test(.router) { client in
            let staff = try await StaffFixture.make(store)
            let complaint = try await fileComplaint(client, own: true)
            clock.advance(days: 40)
            var sla: [String: Any] = [:]
            var view: [String: Any] = [:]
            for _ in 0..<50 {
                view = try decode(
                    try await client.execute(
                        uri: "/v1/staff/complaints/\(complaint.ticket)", method: .get, headers: bearer(staff.tokens[.supervisor]!)))
                sla = view["sla"] as? [String: Any] ?? [:]
                if sla["resolution"] as? String == "breached" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(sla["response"] as? String == "breached")
            #expect(sla["resolution"] as? String == "breached")
            // PUPR-1871 escalates to the city's secretariat.
            #expect((view["escalated_to"] as? [String: Any])?["code"] as? String == bundledCatalog.opds["PUPR-1871"]?.parent)
            let kinds = (view["history"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            #expect(kinds.filter { $0 == "sla_at_risk" }.count == 2)
            #expect(kinds.filter { $0 == "sla_breached" }.count == 2)
            #expect(kinds.filter { $0 == "escalated" }.count == 2)
            // A supervisor finds it among the province's breaches.
            let breached = try decode(
                try await client.execute(uri: "/v1/staff/complaints?breached=true", method: .get, headers: bearer(staff.tokens[.supervisor]!)))
            #expect((breached["items"] as? [[String: Any]] ?? []).compactMap { $0["ticket"] as? String } == [complaint.ticket])
        }
    }
}
