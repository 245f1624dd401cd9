import AduanAPI
import AduanCore
import AduanStore
import AduanWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite("Staff API: the workflow from filing to confirmation")
struct StaffWorkflowAPITests {
    @Test("triage accepts, asks for information, the reporter answers, triage resolves and the reporter confirms")
    func happyPath() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let triage = staff.tokens[.triage]!
            let complaint = try await fileComplaint(client, own: true)

            // A refused transition is a 409 naming what is allowed.
            let early = try await staffPost(client, complaint.ticket, "resolve", token: triage, body: .init(note: "x"))
            #expect(early.status == .conflict)
            let refusal = try problem(early)
            #expect(refusal.type == "/problems/invalid-transition")
            #expect(Set(try #require(refusal.allowed)) == ["accept", "forward", "reject", "ask-info", "comment", "merge"])

            let accepted = try await staffAct(client, complaint.ticket, "accept", token: triage)
            #expect(accepted.status == "in_progress")
            #expect(accepted.sla.responded_at != nil)

            let asked = try await staffAct(client, complaint.ticket, "ask-info", token: triage, body: .init(question: "Nomor rumah?"))
            #expect(asked.status == "waiting_info")
            #expect(asked.sla.paused_at != nil)

            // The reporter's answer, with the tracking token, resumes the complaint.
            let comments = "/v1/complaints/\(complaint.ticket)/comments"
            let answer = body(ReporterMessage(text: "Nomor 12"))
            let noToken = try await client.execute(uri: comments, method: .post, headers: jsonHeaders, body: answer)
            #expect(noToken.status == .unauthorized)
            let wrongToken = try await client.execute(uri: comments, method: .post, headers: reporterHeaders("not-the-token"), body: answer)
            #expect(wrongToken.status == .unauthorized)
            #expect(wrongToken.headers[.wwwAuthenticate] == "Bearer")
            let replied = try await client.execute(
                uri: comments, method: .post, headers: reporterHeaders(complaint.tracking_token), body: answer)
            #expect(replied.status == .created)
            #expect(try decode(ComplaintView.self, replied).status == "in_progress")

            let resolved = try await staffAct(client, complaint.ticket, "resolve", token: triage, body: .init(note: "Ditambal"))
            #expect(resolved.status == "resolved")

            let feedback = "/v1/complaints/\(complaint.ticket)/feedback"
            let badRating = try await client.execute(
                uri: feedback, method: .post, headers: reporterHeaders(complaint.tracking_token), body: body(FeedbackRequest(rating: 6)))
            #expect(badRating.status == .unprocessableContent)
            let confirmed = try await client.execute(
                uri: feedback, method: .post, headers: reporterHeaders(complaint.tracking_token),
                body: body(FeedbackRequest(rating: 5, comment: "Terima kasih")))
            #expect(confirmed.status == .ok)
            let view = try decode(ComplaintView.self, confirmed)
            #expect(view.status == "closed")
            // The reporter's history shows the question and the resolution but not staff names.
            let history = try #require(view.history)
            #expect(history.contains { $0.details["question"] == "Nomor rumah?" })
            #expect(history.contains { $0.details["note"] == "Ditambal" })
            #expect(!String(buffer: confirmed.body).contains("Staf triage"))
        }
    }

    @Test("a reporter reopens a resolution within 7 days with a reason; a supervisor reopens a closed one")
    func reopen() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let triage = staff.tokens[.triage]!
            let complaint = try await fileComplaint(client, own: true)
            _ = try await staffAct(client, complaint.ticket, "accept", token: triage)
            _ = try await staffAct(client, complaint.ticket, "resolve", token: triage, body: .init(note: "Selesai"))
            let feedback = "/v1/complaints/\(complaint.ticket)/feedback"
            let headers = reporterHeaders(complaint.tracking_token)
            let noReason = try await client.execute(
                uri: feedback, method: .post, headers: headers, body: body(FeedbackRequest(reopen: true)))
            #expect(noReason.status == .unprocessableContent)
            let reopened = try await client.execute(
                uri: feedback, method: .post, headers: headers, body: body(FeedbackRequest(reopen: true, reason: "Masih berlubang")))
            #expect(reopened.status == .ok)
            #expect(try decode(ComplaintView.self, reopened).status == "reopened")

            _ = try await staffAct(client, complaint.ticket, "accept", token: triage)
            _ = try await staffAct(client, complaint.ticket, "resolve", token: triage, body: .init(note: "Sekarang selesai"))
            let rated = try await client.execute(uri: feedback, method: .post, headers: headers, body: body(FeedbackRequest(rating: 2)))
            #expect(try decode(ComplaintView.self, rated).status == "closed")
            let byTriage = try await staffPost(client, complaint.ticket, "reopen", token: triage, body: .init(reason: "x"))
            #expect(byTriage.status == .forbidden)
            let bySupervisor = try await staffAct(
                client, complaint.ticket, "reopen", token: staff.tokens[.supervisor]!, body: .init(reason: "Foto palsu"))
            #expect(bySupervisor.status == "reopened")
            #expect(bySupervisor.reopen_count == 2)
        }
    }

    @Test("forwarding moves a complaint to the other OPD's queue and keeps every hop; merge needs a visible target")
    func forwardAndMerge() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let triage = staff.tokens[.triage]!
            let complaint = try await fileComplaint(client, own: true)
            let before = try await staffView(client, complaint.ticket, token: triage)
            let unknownOPD = try await staffPost(client, complaint.ticket, "forward", token: triage, body: .init(note: "x", to: "NOPE-1"))
            #expect(unknownOPD.status == .unprocessableContent)
            let forwarded = try await staffAct(
                client, complaint.ticket, "forward", token: triage, body: .init(note: "Sampah", to: "DLH-1871"))
            #expect(forwarded.opd.code == "DLH-1871")
            // The response clock keeps running: same deadline.
            #expect(forwarded.sla.response_due_at == before.sla.response_due_at)
            let gone = try await client.execute(uri: "/v1/staff/complaints/\(complaint.ticket)", method: .get, headers: bearer(triage))
            #expect(gone.status == .notFound)
            let audit = try await auditLog(client, complaint.ticket, token: staff.adminToken)
            let hops = audit.entries.filter { $0.kind == "forwarded" }
            #expect(hops.map(\.details) == [["from": "PUPR-1871", "to": "DLH-1871"]])

            // Merge: a target of another OPD is unknown to triage; one of its own OPD works.
            let duplicate = try await fileComplaint(client, own: true)
            let survivor = try await fileComplaint(client, own: true)
            let intoOther = try await staffPost(client, duplicate.ticket, "merge", token: triage, body: .init(into: complaint.ticket))
            #expect(intoOther.status == .unprocessableContent)
            let intoSelf = try await staffPost(client, duplicate.ticket, "merge", token: triage, body: .init(into: duplicate.ticket))
            #expect(intoSelf.status == .unprocessableContent)
            let merged = try await staffAct(client, duplicate.ticket, "merge", token: triage, body: .init(into: survivor.ticket))
            #expect(merged.status == "duplicate")
            #expect(merged.merged_into == survivor.ticket)
        }
    }

    @Test("the queue is ordered by the nearest deadline and pages with an opaque cursor")
    func queueOrderAndPaging() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            // Banjir has an hours target, so it comes due before the working-day categories filed earlier.
            var tickets: [String] = []
            for _ in 0..<3 { tickets.append(try await fileComplaint(client, own: false).ticket) }
            let flood = try await file(client, validComplaint.with(category: "banjir")).ticket
            var seen: [String] = []
            var dues: [String] = []
            var pages = 0
            var cursor: String?
            repeat {
                let page = try await queuePage(
                    client, token: staff.tokens[.supervisor]!, query: "limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
                seen += page.items.map(\.ticket)
                dues += page.items.map(\.sla.next_due_at)
                cursor = page.next_cursor
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 2)
            #expect(Set(seen) == Set(tickets + [flood]))
            #expect(seen.count == 4)
            #expect(dues == dues.sorted())
            #expect(seen.first == flood)
            // Garbage, and a well-formed cursor whose instant is out of range (once a crash in timestamp formatting).
            for cursor in ["zzz", Data("9223372036854775807:1".utf8).base64EncodedString(), Data("-5:1".utf8).base64EncodedString()] {
                let bad = try await client.execute(
                    uri: "/v1/staff/complaints?cursor=\(cursor)", method: .get, headers: bearer(staff.adminToken))
                #expect(bad.status == .badRequest, "\(cursor)")
            }
            let badStatus = try await client.execute(
                uri: "/v1/staff/complaints?status=open", method: .get, headers: bearer(staff.adminToken))
            #expect(badStatus.status == .badRequest)
        }
    }

    @Test("the SLA monitor runs as a service of the application, marks breaches and escalates them")
    func monitorService() async throws {
        try await withTestStore { store in
            let clock = TestClock(Date())
            var config = ServerConfig()
            config.slaCheckInterval = 1
            let app = try buildApplication(
                config: config, store: store, catalog: LiveCatalog(bundledCatalog), logger: Logger(label: "test"), now: { clock.now() })
            try await app.test(.router) { client in
                let staff = try await StaffFixture.make(store)
                let supervisor = staff.tokens[.supervisor]!
                let complaint = try await fileComplaint(client, own: true)
                clock.advance(days: 40)
                var view = try await staffView(client, complaint.ticket, token: supervisor)
                for _ in 0..<50 where view.sla.resolution != "breached" {
                    try await Task.sleep(for: .milliseconds(100))
                    view = try await staffView(client, complaint.ticket, token: supervisor)
                }
                #expect(view.sla.response == "breached")
                #expect(view.sla.resolution == "breached")
                // PUPR-1871 escalates to the city's secretariat.
                let parent = try #require(bundledCatalog.opds["PUPR-1871"]?.parent)
                #expect(view.escalated_to?.code == parent)
                let kinds = view.history.map(\.kind)
                #expect(kinds.filter { $0 == "sla_at_risk" }.count == 2)
                #expect(kinds.filter { $0 == "sla_breached" }.count == 2)
                #expect(kinds.filter { $0 == "escalated" }.count == 2)
                // A supervisor finds it among the province's breaches.
                let breached = try await queuePage(client, token: supervisor, query: "breached=true")
                #expect(breached.items.map(\.ticket) == [complaint.ticket])
            }
        }
    }
}
