import AduanAPI
import AduanCore
import AduanStore
import AduanWire
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

/// Files a complaint through the API: `drainase` in Kedaton goes to PUPR-1871 (own), `sampah` to DLH-1871 (other).
func fileComplaint(_ client: any TestClientProtocol, own: Bool, anonymous: Bool = false) async throws -> SubmittedComplaint {
    try await file(client, validComplaint.with(category: own ? "drainase" : "sampah", anonymous: anonymous))
}

func staffPost(
    _ client: any TestClientProtocol, _ ticket: String, _ action: String, token: String,
    body request: StaffActionRequest = StaffActionRequest()
) async throws -> TestResponse {
    try await client.execute(
        uri: "/v1/staff/complaints/\(ticket)/\(action)", method: .post, headers: bearer(token), body: body(request))
}

/// Takes a staff action that must succeed and returns the staff view it answers with.
func staffAct(
    _ client: any TestClientProtocol, _ ticket: String, _ action: String, token: String,
    body request: StaffActionRequest = StaffActionRequest()
) async throws -> StaffComplaintView {
    let response = try await staffPost(client, ticket, action, token: token, body: request)
    #expect(response.status == .ok, "\(action) \(ticket): \(String(buffer: response.body))")
    return try decode(StaffComplaintView.self, response)
}

/// `GET /v1/staff/complaints/{ticket}` as the member with `token`.
func staffView(_ client: any TestClientProtocol, _ ticket: String, token: String) async throws -> StaffComplaintView {
    try decode(
        StaffComplaintView.self,
        try await client.execute(uri: "/v1/staff/complaints/\(ticket)", method: .get, headers: bearer(token)))
}

/// `GET /v1/staff/complaints/{ticket}/audit` as the member with `token`.
func auditLog(_ client: any TestClientProtocol, _ ticket: String, token: String) async throws -> AuditLog {
    try decode(
        AuditLog.self,
        try await client.execute(uri: "/v1/staff/complaints/\(ticket)/audit", method: .get, headers: bearer(token)))
}

/// `GET /v1/staff/complaints` (with `query`) as the member with `token`.
func queuePage(_ client: any TestClientProtocol, token: String, query: String = "") async throws -> QueuePage {
    try decode(
        QueuePage.self,
        try await client.execute(uri: "/v1/staff/complaints" + (query.isEmpty ? "" : "?\(query)"), method: .get, headers: bearer(token)))
}

/// What the store holds of a complaint: its row and its events, to tell whether a request changed anything.
struct StoredComplaint: Equatable {
    let complaint: Complaint
    let events: [ComplaintEvent]

    static func read(_ store: Store, _ ticket: String) async throws -> StoredComplaint {
        let complaint = try #require(try await store.complaint(ticket: Ticket(ticket)))
        return StoredComplaint(complaint: complaint, events: try await store.events(complaintID: complaint.id))
    }
}
