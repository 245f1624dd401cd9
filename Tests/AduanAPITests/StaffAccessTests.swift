import AduanAPI
import AduanCore
import AduanStore
import AduanWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Staff API: who sees which complaints")
struct StaffAccessTests {
    @Test("the queue holds only the member's OPD for OPD roles and the whole province for supervisors and admins")
    func queueScope() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let own = try await fileComplaint(client, own: true)
            let other = try await fileComplaint(client, own: false)
            for role in StaffRole.allCases {
                let tickets = Set(try await queuePage(client, token: staff.tokens[role]!).items.map(\.ticket))
                let expected: Set<String> = role.isProvinceWide ? [own.ticket, other.ticket] : [own.ticket]
                #expect(tickets == expected, "\(role.rawValue)")
            }
        }
    }

    @Test("without a valid, unrevoked staff token every staff and report endpoint is a 401 and changes nothing")
    func unauthenticated() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let complaint = try await fileComplaint(client, own: true)
            let before = try await StoredComplaint.read(store, complaint.ticket)
            _ = try await store.revokeStaff(id: staff.ids[.triage]!, now: Date())
            let revoked = staff.tokens[.triage]!
            let gets = [
                "/v1/staff/me", "/v1/staff/complaints", "/v1/staff/complaints/\(complaint.ticket)",
                "/v1/staff/complaints/\(complaint.ticket)/audit", "/v1/reports/monthly?month=2026-10",
            ]
            for headers in [[:], bearer("not-a-token"), bearer(revoked), [.authorization: "Basic abc"]] as [HTTPFields] {
                for uri in gets {
                    let response = try await client.execute(uri: uri, method: .get, headers: headers)
                    #expect(response.status == .unauthorized, "\(uri)")
                    #expect(response.headers[.wwwAuthenticate] == "Bearer")
                }
                let generate = try await client.execute(uri: "/v1/reports/monthly?month=2026-10", method: .post, headers: headers)
                #expect(generate.status == .unauthorized)
                for action in StaffAction.allCases {
                    let response = try await client.execute(
                        uri: "/v1/staff/complaints/\(complaint.ticket)/\(action.rawValue)", method: .post, headers: headers,
                        body: body(StaffAuthorizationTests.body(action.rawValue, own: true)))
                    #expect(response.status == .unauthorized, "\(action.rawValue)")
                }
            }
            // None of them touched the complaint or kept a report.
            #expect(try await StoredComplaint.read(store, complaint.ticket) == before)
            #expect(try await store.reportVersions(period: "2026-10", scope: "province").isEmpty)
        }
    }

    @Test("after a breach the parent office's staff see the complaint in their queue and may comment, but take no other action")
    func escalationReachesParent() async throws {
        let clock = TestClock(instant("2026-11-18T10:00:00+07:00"))
        try await withAPI(now: { clock.now() }) { client, store in
            let staff = try await StaffFixture.make(store)
            let triage = staff.tokens[.triage]!
            let parent = try #require(bundledCatalog.opds[StaffFixture.ownOPD]?.parent)
            let parentToken = "token-parent-\(UUID().uuidString)"
            let parentMember = try await store.addStaff(
                name: "Sekretariat", role: .triage, opd: parent, tokenHash: Secrets.sha256Hex(parentToken), now: clock.now())

            // Given one complaint per action, each in a status the workflow table allows that action from ...
            var complaints: [StaffAction: SubmittedComplaint] = [:]
            for action in StaffAction.allCases { complaints[action] = try await fileComplaint(client, own: true) }
            let mergeTarget = try await fileComplaint(client, own: true)
            for action in [StaffAction.resolve, .reopen, .validate, .rejectResolution] {
                _ = try await staffAct(client, complaints[action]!.ticket, "accept", token: triage)
            }
            let show = "/v1/staff/complaints/\(complaints[.comment]!.ticket)"
            #expect(try await client.execute(uri: show, method: .get, headers: bearer(parentToken)).status == .notFound)

            // ... when the SLA monitor finds them breached, 40 days on ...
            clock.advance(days: 40)
            let workflow = Workflow(catalog: bundledCatalog)
            let later = clock.now()
            _ = try await store.sweep(now: later, closeResolvedBefore: later.addingTimeInterval(-Workflow.confirmationWindow)) {
                workflow.sweep($0, now: later)
            }
            _ = try await staffAct(client, complaints[.reopen]!.ticket, "resolve", token: triage, body: .init(note: "Selesai"))
            for action in [StaffAction.validate, .rejectResolution] {
                // An after-photo taken before the complaint holds the resolution for validation.
                let resolved = try await postForm(
                    client, "/v1/staff/complaints/\(complaints[action]!.ticket)/resolve",
                    [.json("resolution", StaffActionRequest(note: "Selesai")), try .photo("after_old.jpg")], headers: bearer(triage))
                #expect(try decode(StaffComplaintView.self, resolved).resolution_review == "pending")
            }
            for (action, complaint) in complaints {
                let stored = try await StoredComplaint.read(store, complaint.ticket)
                #expect(stored.complaint.state.escalatedTo == parent, "\(action.rawValue)")
                #expect(action.allowedFrom.contains(stored.complaint.status), "\(action.rawValue) from \(stored.complaint.status)")
            }

            // ... the parent office sees them, in its queue too, and may comment but take no other action.
            let view = try await client.execute(uri: show, method: .get, headers: bearer(parentToken))
            #expect(view.status == .ok)
            #expect(try decode(StaffComplaintView.self, view).allowed_actions == ["comment"])
            let queued = Set(try await queuePage(client, token: parentToken).items.map(\.ticket))
            #expect(queued.contains(complaints[.accept]!.ticket) && queued.contains(mergeTarget.ticket))
            for action in StaffAction.allCases {
                let complaint = complaints[action]!
                let before = try await StoredComplaint.read(store, complaint.ticket)
                var request = StaffAuthorizationTests.body(action.rawValue, own: true)
                if action == .merge { request = .init(into: mergeTarget.ticket) }
                let response = try await staffPost(client, complaint.ticket, action.rawValue, token: parentToken, body: request)
                let after = try await StoredComplaint.read(store, complaint.ticket)
                if action == .comment {
                    #expect(response.status == .ok)
                    let commented = try decode(StaffComplaintView.self, response)
                    #expect(commented.history.last?.kind == "comment")
                    #expect(commented.history.last?.actor.id == String(parentMember.id))
                } else {
                    #expect(response.status == .forbidden, "the parent office's \(action.rawValue): \(String(buffer: response.body))")
                    #expect(after == before, "the parent office's refused \(action.rawValue) changed the complaint")
                }
            }
            // The handling office still works it.
            #expect(try await staffPost(client, complaints[.accept]!.ticket, "accept", token: triage).status == .ok)
        }
    }

    @Test("escalation follows a forward after a breach: the new office's parent watches it, the old one's no longer sees it")
    func escalationFollowsForward() async throws {
        let clock = TestClock(instant("2026-11-18T10:00:00+07:00"))
        try await withAPI(now: { clock.now() }) { client, store in
            let staff = try await StaffFixture.make(store)
            func member(_ opd: String) async throws -> String {
                let token = "token-\(opd)-\(UUID().uuidString)"
                _ = try await store.addStaff(
                    name: "Staf \(opd)", role: .triage, opd: opd, tokenHash: Secrets.sha256Hex(token), now: clock.now())
                return token
            }
            // PUPR-1871 answers to SETDA-1871; BMBK-18 (provincial roads) to SETDA-18.
            let (cityParent, provinceParent) = (try await member("SETDA-1871"), try await member("SETDA-18"))
            let filed = try await fileComplaint(client, own: true)
            clock.advance(days: 40)
            let workflow = Workflow(catalog: bundledCatalog)
            let later = clock.now()
            _ = try await store.sweep(now: later, closeResolvedBefore: later.addingTimeInterval(-Workflow.confirmationWindow)) {
                workflow.sweep($0, now: later)
            }
            let show = "/v1/staff/complaints/\(filed.ticket)"
            #expect(try await client.execute(uri: show, method: .get, headers: bearer(cityParent)).status == .ok)
            let forwarded = try await staffAct(
                client, filed.ticket, "forward", token: staff.tokens[.triage]!, body: .init(note: "Jalan provinsi.", to: "BMBK-18"))
            #expect(forwarded.escalated_to?.code == "SETDA-18")
            #expect(forwarded.history.last { $0.kind == "escalated" }?.details["reason"] == "forwarded")
            // The old parent neither sees nor comments; the new one sees it in its queue and may comment.
            #expect(try await client.execute(uri: show, method: .get, headers: bearer(cityParent)).status == .notFound)
            #expect(
                try await staffPost(client, filed.ticket, "comment", token: cityParent, body: .init(text: "Masih kami pantau.")).status
                    == .notFound)
            #expect(!(try await queuePage(client, token: cityParent).items.map(\.ticket)).contains(filed.ticket))
            #expect(try await queuePage(client, token: provinceParent).items.map(\.ticket).contains(filed.ticket))
            #expect(
                try await staffPost(client, filed.ticket, "comment", token: provinceParent, body: .init(text: "Dipantau Setda.")).status
                    == .ok)
        }
    }

    @Test("an answer given after the deadline, before the monitor's next pass, still records the breach")
    func lateAnswerRecordsBreach() async throws {
        let clock = TestClock(Date())
        try await withAPI(now: { clock.now() }) { client, store in
            let staff = try await StaffFixture.make(store)
            let complaint = try await fileComplaint(client, own: true)
            clock.advance(days: 30)
            let accepted = try await staffAct(client, complaint.ticket, "accept", token: staff.tokens[.triage]!)
            #expect(accepted.sla.response == "breached")
            let kinds = accepted.history.map(\.kind)
            #expect(kinds.contains("sla_breached") && kinds.contains("escalated"))
            #expect(kinds.last == "status_changed")
        }
    }
}
