import AduanAPI
import AduanCore
import AduanStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Staff of every role, with known tokens, over one database.
struct StaffFixture {
    let tokens: [StaffRole: String]
    let ids: [StaffRole: Int64]
    let adminToken: String

    /// Triage and officer members belong to Dinas PU Kota Bandar Lampung (PUPR-1871).
    static let ownOPD = "PUPR-1871"

    static func make(_ store: Store) async throws -> StaffFixture {
        var tokens: [StaffRole: String] = [:]
        var ids: [StaffRole: Int64] = [:]
        for role in StaffRole.allCases {
            let token = "token-\(role.rawValue)-\(UUID().uuidString)"
            let member = try await store.addStaff(
                name: "Staf \(role.rawValue)", role: role, opd: role.isProvinceWide ? nil : Self.ownOPD,
                tokenHash: Secrets.sha256Hex(token), now: Date())
            tokens[role] = token
            ids[role] = member.id
        }
        return StaffFixture(tokens: tokens, ids: ids, adminToken: tokens[.admin]!)
    }
}

func bearer(_ token: String) -> HTTPFields {
    [.authorization: "Bearer \(token)", .contentType: "application/json"]
}

/// Files a complaint through the API: `jalan_rusak` in Kedaton goes to PUPR-1871 (own), `sampah` to DLH-1871 (other).
func fileComplaint(_ client: any TestClientProtocol, own: Bool, anonymous: Bool = false) async throws -> (ticket: String, token: String) {
    var body = validComplaint
    body["category"] = own ? "jalan_rusak" : "sampah"
    body["anonymous"] = anonymous
    let response = try await client.execute(uri: "/v1/complaints", method: .post, headers: jsonHeaders, body: json(body))
    #expect(response.status == .created)
    let created = try decode(response)
    return (created["ticket"] as! String, created["tracking_token"] as! String)
}

func staffPost(
    _ client: any TestClientProtocol, _ ticket: String, _ action: String, token: String, body: [String: Any]
) async throws -> TestResponse {
    try await client.execute(uri: "/v1/staff/complaints/\(ticket)/\(action)", method: .post, headers: bearer(token), body: json(body))
}

@Suite("Staff API: the authorisation matrix")
struct StaffAuthorizationTests {
    /// The expected status of each staff endpoint for each role, on a complaint of the member's own OPD. Written
    /// out by hand from the issue (officers cannot forward, reject or merge; only supervisors and admins reopen).
    static let ownOPD: [StaffRole: [String: Int]] = [
        .admin: ["show": 200, "audit": 200, "accept": 200, "forward": 200, "reject": 200, "ask-info": 200, "resolve": 200,
                 "comment": 200, "merge": 200, "reopen": 200],
        .supervisor: ["show": 200, "audit": 200, "accept": 200, "forward": 200, "reject": 200, "ask-info": 200,
                      "resolve": 200, "comment": 200, "merge": 200, "reopen": 200],
        .triage: ["show": 200, "audit": 200, "accept": 200, "forward": 200, "reject": 200, "ask-info": 200, "resolve": 200,
                  "comment": 200, "merge": 200, "reopen": 403],
        .officer: ["show": 200, "audit": 200, "accept": 200, "forward": 403, "reject": 403, "ask-info": 200, "resolve": 200,
                   "comment": 200, "merge": 403, "reopen": 403],
    ]
    /// On another OPD's complaint: province-wide roles as above; OPD roles find nothing.
    static let otherOPD: [StaffRole: [String: Int]] = [
        .admin: ownOPD[.admin]!, .supervisor: ownOPD[.supervisor]!,
        .triage: ["show": 404, "audit": 404, "accept": 404, "forward": 404, "reject": 404, "ask-info": 404, "resolve": 404,
                  "comment": 404, "merge": 404, "reopen": 404],
        .officer: ["show": 404, "audit": 404, "accept": 404, "forward": 404, "reject": 404, "ask-info": 404, "resolve": 404,
                   "comment": 404, "merge": 404, "reopen": 404],
    ]

    /// The body of each action, valid whatever the complaint's OPD (`into` is filled in per cell).
    static func body(_ action: String, own: Bool) -> [String: Any] {
        switch action {
        case "accept": return ["note": "Diterima"]
        case "forward": return ["to": own ? "DLH-1871" : "PUPR-1871", "note": "Bukan kewenangan kami"]
        case "reject": return ["reason": "Di luar kewenangan"]
        case "ask-info": return ["question": "Di depan nomor berapa?"]
        case "resolve": return ["note": "Sudah diperbaiki"]
        case "comment": return ["text": "Catatan internal"]
        case "reopen": return ["reason": "Belum diperbaiki"]
        default: return [:]
        }
    }

    @Test(
        "every staff endpoint x every role x own/other OPD answers as the matrix says",
        arguments: StaffRole.allCases, [true, false])
    func matrix(role: StaffRole, own: Bool) async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let token = staff.tokens[role]!
            let expected = (own ? Self.ownOPD : Self.otherOPD)[role]!
            for (endpoint, status) in expected.sorted(by: { $0.key < $1.key }) {
                // Given a complaint in a status where the action is in the workflow table, so only authorisation decides.
                let complaint = try await fileComplaint(client, own: own)
                if endpoint == "resolve" || endpoint == "reopen" {
                    let accepted = try await staffPost(client, complaint.ticket, "accept", token: staff.adminToken, body: [:])
                    #expect(accepted.status == .ok)
                }
                if endpoint == "reopen" {
                    let resolved = try await staffPost(client, complaint.ticket, "resolve", token: staff.adminToken, body: ["note": "Selesai"])
                    #expect(resolved.status == .ok)
                }
                let response: TestResponse
                switch endpoint {
                case "show":
                    response = try await client.execute(uri: "/v1/staff/complaints/\(complaint.ticket)", method: .get, headers: bearer(token))
                case "audit":
                    response = try await client.execute(
                        uri: "/v1/staff/complaints/\(complaint.ticket)/audit", method: .get, headers: bearer(token))
                case "merge":
                    let survivor = try await fileComplaint(client, own: own)
                    response = try await staffPost(client, complaint.ticket, "merge", token: token, body: ["into": survivor.ticket])
                default:
                    response = try await staffPost(client, complaint.ticket, endpoint, token: token, body: Self.body(endpoint, own: own))
                }
                #expect(
                    Int(response.status.code) == status,
                    "\(role.rawValue) \(endpoint) on \(own ? "own" : "other") OPD: \(String(buffer: response.body))")
                if status != 200 {
                    #expect(response.headers[.contentType] == "application/problem+json")
                } else if endpoint != "show" && endpoint != "audit" {
                    // Every staff action is in the audit log with the member as its actor.
                    let audit = try decode(
                        try await client.execute(
                            uri: "/v1/staff/complaints/\(complaint.ticket)/audit", method: .get, headers: bearer(staff.adminToken)))
                    let entries = try #require(audit["entries"] as? [[String: Any]])
                    let last = try #require(entries.last?["actor"] as? [String: Any])
                    #expect(last["kind"] as? String == "staff")
                    #expect(last["id"] as? String == String(staff.ids[role]!))
                    #expect(last["name"] as? String == "Staf \(role.rawValue)")
                }
            }
        }
    }

    @Test("the queue holds only the member's OPD for OPD roles and the whole province for supervisors and admins")
    func queueScope() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let own = try await fileComplaint(client, own: true)
            let other = try await fileComplaint(client, own: false)
            for role in StaffRole.allCases {
                let response = try await client.execute(uri: "/v1/staff/complaints", method: .get, headers: bearer(staff.tokens[role]!))
                #expect(response.status == .ok)
                let tickets = Set((try decode(response)["items"] as? [[String: Any]] ?? []).compactMap { $0["ticket"] as? String })
                let expected: Set<String> = role.isProvinceWide ? [own.ticket, other.ticket] : [own.ticket]
                #expect(tickets == expected, "\(role.rawValue)")
            }
        }
    }

    @Test("without a valid, unrevoked staff token every staff endpoint is a 401")
    func unauthenticated() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let complaint = try await fileComplaint(client, own: true)
            _ = try await store.revokeStaff(id: staff.ids[.triage]!, now: Date())
            let revoked = staff.tokens[.triage]!
            let gets = ["/v1/staff/me", "/v1/staff/complaints", "/v1/staff/complaints/\(complaint.ticket)",
                        "/v1/staff/complaints/\(complaint.ticket)/audit"]
            for headers in [[:], bearer("not-a-token"), bearer(revoked), [.authorization: "Basic abc"]] as [HTTPFields] {
                for uri in gets {
                    let response = try await client.execute(uri: uri, method: .get, headers: headers)
                    #expect(response.status == .unauthorized, "\(uri)")
                    #expect(response.headers[.wwwAuthenticate] == "Bearer")
                }
                for action in StaffAction.allCases {
                    let response = try await client.execute(
                        uri: "/v1/staff/complaints/\(complaint.ticket)/\(action.rawValue)", method: .post, headers: headers,
                        body: json(Self.body(action.rawValue, own: true)))
                    #expect(response.status == .unauthorized, "\(action.rawValue)")
                }
            }
            // The complaint was not touched by any of them.
            let stored = try #require(try await store.complaint(ticket: Ticket(complaint.ticket)))
            #expect(stored.status == .submitted)
            #expect(try await store.events(complaintID: stored.id).count == 2)
        }
    }

    @Test("no staff role ever sees an anonymous reporter's identity")
    func anonymousReporter() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let complaint = try await fileComplaint(client, own: true, anonymous: true)
            for role in StaffRole.allCases {
                let response = try await client.execute(
                    uri: "/v1/staff/complaints/\(complaint.ticket)", method: .get, headers: bearer(staff.tokens[role]!))
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(!text.contains("Siti Rahma") && !text.contains("7000-1234"), "\(role.rawValue) saw the reporter")
                #expect(try decode(response)["anonymous"] as? Bool == true)
            }
            // A named reporter is shown to the handling office.
            let named = try await fileComplaint(client, own: true)
            let view = try decode(
                try await client.execute(uri: "/v1/staff/complaints/\(named.ticket)", method: .get, headers: bearer(staff.tokens[.triage]!)))
            #expect((view["reporter"] as? [String: Any])?["name"] as? String == "Siti Rahma")
        }
    }

    @Test("after a breach the parent office's staff see the complaint in their queue and may comment, but not work it")
    func escalationReachesParent() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let complaint = try await fileComplaint(client, own: true)
            let parent = try #require(bundledCatalog.opds[StaffFixture.ownOPD]?.parent)
            let parentToken = "token-parent-\(UUID().uuidString)"
            _ = try await store.addStaff(
                name: "Sekretariat", role: .triage, opd: parent, tokenHash: Secrets.sha256Hex(parentToken), now: Date())
            let show = "/v1/staff/complaints/\(complaint.ticket)"
            #expect(try await client.execute(uri: show, method: .get, headers: bearer(parentToken)).status == .notFound)

            // When the SLA monitor finds it breached, 40 days on ...
            let workflow = Workflow(catalog: bundledCatalog)
            let later = Date().addingTimeInterval(40 * 86_400)
            _ = try await store.sweep(now: later, closeResolvedBefore: later.addingTimeInterval(-Workflow.confirmationWindow)) {
                workflow.sweep($0, now: later)
            }

            // ... the parent office sees it, in its queue too, and may comment but not work it.
            let view = try await client.execute(uri: show, method: .get, headers: bearer(parentToken))
            #expect(view.status == .ok)
            #expect(try decode(view)["allowed_actions"] as? [String] == ["comment"])
            let queue = try decode(try await client.execute(uri: "/v1/staff/complaints", method: .get, headers: bearer(parentToken)))
            #expect((queue["items"] as? [[String: Any]] ?? []).compactMap { $0["ticket"] as? String } == [complaint.ticket])
            #expect(try await staffPost(client, complaint.ticket, "accept", token: parentToken, body: [:]).status == .forbidden)
            #expect(try await staffPost(client, complaint.ticket, "comment", token: parentToken, body: ["text": "Segera!"]).status == .ok)
            // The handling office still works it.
            #expect(try await staffPost(client, complaint.ticket, "accept", token: staff.tokens[.triage]!, body: [:]).status == .ok)
        }
    }

    @Test("an answer given after the deadline, before the monitor's next pass, still records the breach")
    func lateAnswerRecordsBreach() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aduan-api-\(UUID().uuidString)/aduan.sqlite").path
        let store = try Store.open(path: path, durability: .normal)
        let clock = TestClock(Date())
        var config = ServerConfig()
        config.slaCheckInterval = 0
        let app = Application(
            responder: buildRouter(config: config, store: store, catalog: LiveCatalog(bundledCatalog), now: { clock.now() }).contractChecked())
        try await app.test(.router) { client in
            let staff = try await StaffFixture.make(store)
            let complaint = try await fileComplaint(client, own: true)
            clock.advance(days: 30)
            let accepted = try decode(try await staffPost(client, complaint.ticket, "accept", token: staff.tokens[.triage]!, body: [:]))
            #expect((accepted["sla"] as? [String: Any])?["response"] as? String == "breached")
            let kinds = (accepted["history"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            #expect(kinds.contains("sla_breached") && kinds.contains("escalated"))
            #expect(kinds.last == "status_changed")
        }
    }
}
