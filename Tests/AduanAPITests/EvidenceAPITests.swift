import AduanAPI
import AduanCore
import AduanStore
import AduanWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Evidence: an office's after-photos are checked, and flagged resolutions wait for a supervisor")
struct EvidenceAPITests {
    /// Filed on 22 November, after the report photo (20 November) and before the after-photos (25 November) were taken;
    /// resolved on 26 November.
    static let filedAt = instant("2026-11-22T10:00:00+07:00")
    static let resolvedAt = instant("2026-11-26T10:00:00+07:00")

    /// A road in Metro, filed with the citizen's photo and accepted; the clock then moves to the resolution.
    static func acceptedRoad(_ client: any TestClientProtocol, _ staff: StaffFixture, _ clock: TestClock) async throws -> SubmittedComplaint {
        clock.set(Self.filedAt)
        let filed = try await fileWithPhotos(client, roadWithoutLocation, photos: ["metro_gps.jpg"])
        _ = try await staffAct(client, filed.ticket, "accept", token: staff.adminToken)
        clock.set(Self.resolvedAt)
        return filed
    }

    static func resolve(
        _ client: any TestClientProtocol, _ ticket: String, photos: [String], token: String
    ) async throws -> TestResponse {
        try await postForm(
            client, "/v1/staff/complaints/\(ticket)/resolve",
            [.json("resolution", StaffActionRequest(note: "Lubang sudah ditambal."))] + (try photos.map { try Part.photo($0) }),
            headers: bearer(token))
    }

    @Test("each after-photo's checks are kept with it; only re-used, early and distant photos hold the resolution",
          arguments: [
            ("after_near.jpg", [String](), "clean"),
            ("after_far.jpg", ["far_from_location"], "pending"),
            ("after_old.jpg", ["taken_before_filing"], "pending"),
            ("after_bare.jpg", ["no_capture_time", "no_location"], "clean"),
            ("metro_gps_recompressed.jpg", ["reused_photo", "no_capture_time", "no_location"], "pending"),
            ("metro_gps.jpg", ["reused_photo", "taken_before_filing"], "pending"),
          ])
    func flags(_ fixture: String, _ expected: [String], _ review: String) async throws {
        let clock = TestClock(Self.filedAt)
        try await withAPI(now: { clock.now() }) { client, store in
            let staff = try await StaffFixture.make(store)
            let road = try await Self.acceptedRoad(client, staff, clock)
            let response = try await Self.resolve(client, road.ticket, photos: [fixture], token: staff.adminToken)
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            let view = try decode(StaffComplaintView.self, response)
            #expect(view.status == "resolved")
            #expect(view.evidence.count == 1)
            #expect(Set(view.evidence.first?.flags ?? ["?"]) == Set(expected))
            #expect(view.resolution_review == review)
            #expect(view.photos.filter { $0.purpose == "evidence" }.map(\.id) == view.evidence.map(\.id))
            // The citizen sees it resolved, pending validation when flagged; and sees the after-photo.
            let citizen = try decode(
                ComplaintView.self,
                try await client.execute(uri: "/v1/complaints/\(road.ticket)", method: .get, headers: bearer(road.tracking_token)))
            #expect(citizen.status == "resolved")
            #expect(citizen.resolution_review == (review == "pending" ? "pending" : nil))
            #expect(citizen.status_label == (review == "pending" ? "Selesai, menunggu validasi" : "Selesai, menunggu konfirmasi"))
            #expect(citizen.photos.map(\.purpose) == ["report", "evidence"])
            // The audit log has the evidence event with its flags.
            let audit = try await auditLog(client, road.ticket, token: staff.adminToken)
            let evidence = try #require(audit.entries.last { $0.kind == "evidence" })
            #expect(evidence.details["review"] == review)
            #expect(evidence.visible_to_reporter == false)
        }
    }

    @Test("one fix photo given as evidence for two complaints is flagged the second time")
    func reusedAcrossComplaints() async throws {
        let clock = TestClock(Self.filedAt)
        try await withAPI(now: { clock.now() }) { client, store in
            let staff = try await StaffFixture.make(store)
            let first = try await Self.acceptedRoad(client, staff, clock)
            let second = try await Self.acceptedRoad(client, staff, clock)
            let clean = try decode(StaffComplaintView.self, try await Self.resolve(client, first.ticket, photos: ["after_near.jpg"], token: staff.adminToken))
            #expect(clean.resolution_review == "clean")
            let again = try decode(StaffComplaintView.self, try await Self.resolve(client, second.ticket, photos: ["after_near.jpg"], token: staff.adminToken))
            #expect(again.evidence.first?.flags == ["reused_photo"])
            #expect(again.resolution_review == "pending")
        }
    }

    @Test("a road cannot be resolved without an after-photo; the refusal changes nothing")
    func photoRequiredToResolve() async throws {
        let clock = TestClock(Self.filedAt)
        try await withAPI(now: { clock.now() }) { client, store in
            let staff = try await StaffFixture.make(store)
            let road = try await Self.acceptedRoad(client, staff, clock)
            let before = try await StoredComplaint.read(store, road.ticket)
            let json = try await staffPost(client, road.ticket, "resolve", token: staff.adminToken, body: .init(note: "Sudah ditambal"))
            #expect(json.status == .unprocessableContent)
            #expect(try errorFields(json) == ["photo": "required"])
            let form = try await Self.resolve(client, road.ticket, photos: [], token: staff.adminToken)
            #expect(try errorFields(form) == ["photo": "required"])
            #expect(try await StoredComplaint.read(store, road.ticket) == before)
            // An office that cannot see the complaint gets a 404 before any photo is processed.
            let other = try await Self.resolve(client, road.ticket, photos: ["after_near.jpg"], token: staff.tokens[.officer]!)
            #expect(other.status == .notFound)
            #expect(try await store.photos(complaintID: before.complaint.id).count == 1)
        }
    }

    @Test("validation: a supervisor validates one flagged resolution and rejects another, each step audited")
    func validationLoop() async throws {
        let clock = TestClock(Self.filedAt)
        try await withAPI(now: { clock.now() }) { client, store in
            let staff = try await StaffFixture.make(store)
            let supervisor = staff.tokens[.supervisor]!
            let kept = try await Self.acceptedRoad(client, staff, clock)
            let refused = try await Self.acceptedRoad(client, staff, clock)
            for road in [kept, refused] {
                _ = try await Self.resolve(client, road.ticket, photos: ["after_far.jpg"], token: staff.adminToken)
            }
            let waiting = try await queuePage(client, token: supervisor, query: "needs_validation=true")
            #expect(Set(waiting.items.map(\.ticket)) == [kept.ticket, refused.ticket])
            #expect(waiting.items.allSatisfy { $0.resolution_review == "pending" && $0.status_label == "Selesai, menunggu validasi" })

            // While it waits, the reporter can neither confirm nor reopen, and the SLA monitor does not close it.
            let confirm = try await client.execute(
                uri: "/v1/complaints/\(kept.ticket)/feedback", method: .post,
                headers: bearer(kept.tracking_token).merging([.contentType: "application/json"]), body: body(FeedbackRequest(rating: 5)))
            #expect(confirm.status == .conflict)

            let validated = try await staffAct(client, kept.ticket, "validate", token: supervisor, body: .init(note: "Dicek di lokasi"))
            #expect(validated.status == "resolved")
            #expect(validated.resolution_review == "validated")
            #expect(!validated.allowed_actions.contains("validate"))
            let again = try await staffPost(client, kept.ticket, "validate", token: supervisor)
            #expect(again.status == .conflict)

            let dueBefore = try await staffView(client, refused.ticket, token: supervisor).sla.resolution_due_at
            let rejected = try await staffAct(
                client, refused.ticket, "reject-resolution", token: supervisor, body: .init(reason: "Foto diambil jauh dari lokasi"))
            #expect(rejected.status == "in_progress")
            #expect(rejected.resolution_review == nil)
            #expect(rejected.rejected_resolutions == 1)
            // The resolution clock keeps running against the deadline it had.
            #expect(rejected.sla.resolution_due_at == dueBefore)
            #expect(rejected.sla.resolved_at == nil)
            let audit = try await auditLog(client, refused.ticket, token: staff.adminToken)
            #expect(audit.entries.contains { $0.kind == "evidence" && $0.details["review"] == "rejected" && $0.details["reason"] == "Foto diambil jauh dari lokasi" })
            #expect(audit.entries.contains { $0.kind == "status_changed" && $0.details["to"] == "in_progress" && $0.actor.role == "supervisor" })
            let keptAudit = try await auditLog(client, kept.ticket, token: staff.adminToken)
            #expect(keptAudit.entries.contains { $0.kind == "evidence" && $0.details["review"] == "validated" })

            // Validated, the reporter may now confirm.
            let confirmed = try await client.execute(
                uri: "/v1/complaints/\(kept.ticket)/feedback", method: .post,
                headers: bearer(kept.tracking_token).merging([.contentType: "application/json"]), body: body(FeedbackRequest(rating: 4)))
            #expect(confirmed.status == .ok)
            #expect(try await queuePage(client, token: supervisor, query: "needs_validation=true").items.isEmpty)
        }
    }

    @Test("a supervisor who resolved cannot validate their own evidence; another can")
    func noSelfValidation() async throws {
        let clock = TestClock(Self.filedAt)
        try await withAPI(now: { clock.now() }) { client, store in
            let staff = try await StaffFixture.make(store)
            let road = try await Self.acceptedRoad(client, staff, clock)
            let supervisor = staff.tokens[.supervisor]!
            _ = try await Self.resolve(client, road.ticket, photos: ["after_far.jpg"], token: supervisor)
            #expect(try await staffPost(client, road.ticket, "validate", token: supervisor).status == .forbidden)
            #expect(try await staffPost(client, road.ticket, "validate", token: staff.adminToken).status == .ok)
        }
    }

    @Test("an office's own desk cannot validate its own evidence")
    func officeCannotValidate() async throws {
        let clock = TestClock(Self.filedAt)
        try await withAPI(now: { clock.now() }) { client, store in
            let staff = try await StaffFixture.make(store)
            // A drain in Kedaton goes to the fixture's own office (PUPR-1871).
            clock.set(Self.filedAt)
            let drain = try await fileComplaint(client, own: true)
            _ = try await staffAct(client, drain.ticket, "accept", token: staff.tokens[.triage]!)
            clock.set(Self.resolvedAt)
            let resolved = try decode(
                StaffComplaintView.self, try await Self.resolve(client, drain.ticket, photos: ["after_old.jpg"], token: staff.tokens[.officer]!))
            #expect(resolved.resolution_review == "pending")
            #expect(!resolved.allowed_actions.contains("validate"))
            for role in [StaffRole.triage, .officer] {
                #expect(try await staffPost(client, drain.ticket, "validate", token: staff.tokens[role]!).status == .forbidden)
            }
        }
    }
}

extension HTTPFields {
    /// These fields with `other`'s added.
    func merging(_ other: HTTPFields) -> HTTPFields {
        var fields = self
        for field in other { fields.append(field) }
        return fields
    }
}
