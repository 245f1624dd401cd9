import AduanAPI
import AduanCore
import AduanReport
import AduanStore
import AduanWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Staff API: the authorisation matrix")
struct StaffAuthorizationTests {
    /// The expected status of each staff endpoint for each role, on a complaint of the member's own OPD (for the
    /// reports: that office's report). Written out by hand from the issue (officers cannot forward, reject or merge;
    /// only supervisors and admins reopen; an office's staff get their own office's report, and only supervisors and
    /// admins generate a new version).
    static let ownOPD: [StaffRole: [String: Int]] = [
        .admin: [
            "me": 200, "show": 200, "audit": 200, "accept": 200, "forward": 200, "reject": 200, "ask-info": 200,
            "resolve": 200, "comment": 200, "merge": 200, "reopen": 200, "report": 200, "report-new": 201,
            "validate": 200, "reject-resolution": 200,
        ],
        .supervisor: [
            "me": 200, "show": 200, "audit": 200, "accept": 200, "forward": 200, "reject": 200, "ask-info": 200,
            "resolve": 200, "comment": 200, "merge": 200, "reopen": 200, "report": 200, "report-new": 201,
            "validate": 200, "reject-resolution": 200,
        ],
        .triage: [
            "me": 200, "show": 200, "audit": 200, "accept": 200, "forward": 200, "reject": 200, "ask-info": 200,
            "resolve": 200, "comment": 200, "merge": 200, "reopen": 403, "report": 200, "report-new": 403,
            "validate": 403, "reject-resolution": 403,
        ],
        .officer: [
            "me": 200, "show": 200, "audit": 200, "accept": 200, "forward": 403, "reject": 403, "ask-info": 200,
            "resolve": 200, "comment": 200, "merge": 403, "reopen": 403, "report": 200, "report-new": 403,
            "validate": 403, "reject-resolution": 403,
        ],
    ]
    /// On another OPD's complaint (and that office's report): province-wide roles as above; OPD roles find no
    /// complaint and are refused the report.
    static let otherOPD: [StaffRole: [String: Int]] = [
        .admin: ownOPD[.admin]!, .supervisor: ownOPD[.supervisor]!,
        .triage: [
            "me": 200, "show": 404, "audit": 404, "accept": 404, "forward": 404, "reject": 404, "ask-info": 404,
            "resolve": 404, "comment": 404, "merge": 404, "reopen": 404, "report": 403, "report-new": 403,
            "validate": 404, "reject-resolution": 404,
        ],
        .officer: [
            "me": 200, "show": 404, "audit": 404, "accept": 404, "forward": 404, "reject": 404, "ask-info": 404,
            "resolve": 404, "comment": 404, "merge": 404, "reopen": 404, "report": 403, "report-new": 403,
            "validate": 404, "reject-resolution": 404,
        ],
    ]

    /// The body of each action, valid whatever the complaint's OPD (`into` is filled in per cell).
    static func body(_ action: String, own: Bool) -> StaffActionRequest {
        switch action {
        case "accept": return .init(note: "Diterima")
        case "forward": return .init(note: "Bukan kewenangan kami", to: own ? "DLH-1871" : "PUPR-1871")
        case "reject": return .init(reason: "Di luar kewenangan")
        case "ask-info": return .init(question: "Di depan nomor berapa?")
        case "resolve": return .init(note: "Sudah diperbaiki")
        case "comment": return .init(text: "Catatan internal")
        case "reopen": return .init(reason: "Belum diperbaiki")
        case "validate": return .init(note: "Dicek di lokasi")
        case "reject-resolution": return .init(reason: "Foto sesudah diambil sebelum aduan masuk")
        default: return .init()
        }
    }

    /// The matrix runs on a clock started mid-November 2026, so that its report cells never meet a month boundary.
    static let start = instant("2026-11-18T10:00:00+07:00")
    static let reportMonth = "2026-10"

    @Test(
        "every staff endpoint x every role x own/other OPD answers as the matrix says; a refusal changes nothing",
        arguments: StaffRole.allCases, [true, false])
    func matrix(role: StaffRole, own: Bool) async throws {
        try await withAPI(now: clock(startingAt: Self.start)) { client, store in
            let staff = try await StaffFixture.make(store)
            let token = staff.tokens[role]!
            let expected = (own ? Self.ownOPD : Self.otherOPD)[role]!
            #expect(Set(expected.keys) == Set(StaffAction.allCases.map(\.rawValue) + ["me", "show", "audit", "report", "report-new"]))
            for (endpoint, status) in expected.sorted(by: { $0.key < $1.key }) {
                let cell = "\(role.rawValue) \(endpoint) on \(own ? "own" : "other") OPD"
                // Given a complaint in a status where the action is in the workflow table, so only authorisation decides.
                let complaint = try await fileComplaint(client, own: own)
                if ["resolve", "reopen", "validate", "reject-resolution"].contains(endpoint) {
                    _ = try await staffAct(client, complaint.ticket, "accept", token: staff.adminToken)
                }
                if endpoint == "validate" || endpoint == "reject-resolution" {
                    // A resolution whose after-photo was taken before the complaint: it awaits validation. Given by
                    // another member than the one validating: nobody validates their own evidence.
                    let resolver = role == .admin ? staff.tokens[.supervisor]! : staff.adminToken
                    let resolved = try await postForm(
                        client, "/v1/staff/complaints/\(complaint.ticket)/resolve",
                        [.json("resolution", StaffActionRequest(note: "Selesai")), try .photo("after_old.jpg")], headers: bearer(resolver))
                    #expect(try decode(StaffComplaintView.self, resolved).resolution_review == "pending")
                }
                if endpoint == "reopen" {
                    _ = try await staffAct(client, complaint.ticket, "resolve", token: staff.adminToken, body: .init(note: "Selesai"))
                }
                let survivor = endpoint == "merge" ? try await fileComplaint(client, own: own) : nil
                let before = try await StoredComplaint.read(store, complaint.ticket)
                var survivorBefore: StoredComplaint?
                if let survivor { survivorBefore = try await StoredComplaint.read(store, survivor.ticket) }
                let reportScope = complaint.opd.code
                let versionsBefore = try await store.reportVersions(period: Self.reportMonth, scope: reportScope).count

                let response: TestResponse
                switch endpoint {
                case "me":
                    response = try await client.execute(uri: "/v1/staff/me", method: .get, headers: bearer(token))
                case "show":
                    response = try await client.execute(
                        uri: "/v1/staff/complaints/\(complaint.ticket)", method: .get, headers: bearer(token))
                case "audit":
                    response = try await client.execute(
                        uri: "/v1/staff/complaints/\(complaint.ticket)/audit", method: .get, headers: bearer(token))
                case "report", "report-new":
                    response = try await client.execute(
                        uri: "/v1/reports/monthly?month=\(Self.reportMonth)&opd=\(reportScope)",
                        method: endpoint == "report" ? .get : .post, headers: bearer(token))
                case "merge":
                    response = try await staffPost(client, complaint.ticket, "merge", token: token, body: .init(into: survivor?.ticket))
                default:
                    response = try await staffPost(client, complaint.ticket, endpoint, token: token, body: Self.body(endpoint, own: own))
                }
                #expect(Int(response.status.code) == status, "\(cell): \(String(buffer: response.body))")

                let after = try await StoredComplaint.read(store, complaint.ticket)
                let versionsAfter = try await store.reportVersions(period: Self.reportMonth, scope: reportScope).count
                if !(200..<300).contains(status) {
                    // A refusal is a problem document and leaves the complaint, its history and the reports as they were.
                    #expect(response.headers[.contentType] == "application/problem+json", "\(cell)")
                    #expect(after == before, "\(cell) changed the complaint")
                    if let survivor, let survivorBefore {
                        #expect(
                            try await StoredComplaint.read(store, survivor.ticket) == survivorBefore, "\(cell) changed the merge target")
                    }
                    #expect(versionsAfter == versionsBefore, "\(cell) kept a report version")
                    continue
                }
                switch endpoint {
                case "me":
                    let me = try decode(StaffMemberDTO.self, response)
                    #expect(me.id == staff.ids[role] && me.role == role.rawValue && me.name == "Staf \(role.rawValue)", "\(cell)")
                    #expect(me.opd?.code == (role.isProvinceWide ? nil : StaffFixture.ownOPD), "\(cell)")
                    #expect(after == before, "\(cell) changed the complaint")
                case "show", "audit":
                    #expect(after == before, "\(cell) changed the complaint")
                case "report", "report-new":
                    let report = try ReportJSON.decode(String(buffer: response.body))
                    #expect(report.scope.code == reportScope && report.period == Self.reportMonth, "\(cell)")
                    #expect(versionsAfter == versionsBefore + 1, "\(cell): the first read or a generation keeps one version")
                default:
                    // Every staff action is in the audit log with the member as its actor.
                    #expect(after != before, "\(cell) changed nothing")
                    let audit = try await auditLog(client, complaint.ticket, token: staff.adminToken)
                    let last = try #require(audit.entries.last?.actor, "\(cell)")
                    #expect(last.kind == "staff", "\(cell)")
                    #expect(last.id == String(staff.ids[role]!), "\(cell)")
                    #expect(last.name == "Staf \(role.rawValue)", "\(cell)")
                }
            }
        }
    }
}
