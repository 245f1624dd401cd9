import AduanCore
import Foundation

/// `GET /v1/staff/me`: who the token belongs to.
struct StaffMemberDTO: Encodable {
    let id: Int64
    let name: String
    let role: String
    let opd: CodeName?
}

/// The body of every staff action; each action reads the fields it needs.
struct StaffActionRequest: Decodable {
    let note: String?
    let to: String?
    let reason: String?
    let question: String?
    let text: String?
    let visible_to_reporter: Bool?
    let into: String?

    /// The command for `action`, refusing a missing field here (422) so that the workflow sees whole commands.
    func command(for action: StaffAction) throws -> StaffCommand {
        func required(_ value: String?, _ field: String) throws -> String {
            guard let value, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw Problem(.validationFailed, fieldErrors: [FieldError(field: field, code: .required)])
            }
            return value
        }
        switch action {
        case .accept: return .accept(note: self.note)
        case .forward: return .forward(to: try required(self.to, "to"), note: try required(self.note, "note"))
        case .reject: return .reject(reason: try required(self.reason, "reason"))
        case .askInfo: return .askInfo(question: try required(self.question, "question"))
        case .resolve: return .resolve(note: try required(self.note, "note"))
        case .comment: return .comment(text: try required(self.text, "text"), visibleToReporter: self.visible_to_reporter ?? false)
        case .merge:
            let into = try required(self.into, "into")
            guard Ticket.isWellFormed(into) else {
                throw Problem(.validationFailed, fieldErrors: [FieldError(field: "into", code: .invalidValue)])
            }
            return .merge(into: Ticket(into), note: self.note)
        case .reopen: return .reopen(reason: try required(self.reason, "reason"))
        }
    }
}

/// The SLA clocks of a complaint as staff see them.
struct StaffSLA: Encodable {
    let response_due_at: String
    let resolution_due_at: String
    let response_at_risk_at: String
    let resolution_at_risk_at: String
    let responded_at: String?
    let resolved_at: String?
    let paused_at: String?
    /// on_time, at_risk or breached.
    let response: String
    let resolution: String
    /// The response deadline while unanswered, else the resolution deadline: what the queue is ordered by.
    let next_due_at: String
}

/// One row of a queue.
struct QueueItem: Encodable {
    let ticket: String
    let status: String
    let status_label: String
    let category: CodeName
    let region: CodeName
    let opd: CodeName
    let created_at: String
    let sla: StaffSLA
}

struct QueuePage: Encodable {
    let items: [QueueItem]
    /// Pass as `cursor` for the next page; absent on the last page.
    let next_cursor: String?
}

/// An event as staff see it: every event, internal ones included, with the staff member who acted.
struct AuditEntry: Encodable {
    struct ActorDTO: Encodable {
        /// citizen, staff or system; a citizen is never named.
        let kind: String
        let id: String?
        let name: String?
        let role: String?
    }
    let kind: String
    let at: String
    let actor: ActorDTO
    let visible_to_reporter: Bool
    let details: [String: String]
}

/// `GET /v1/staff/complaints/{ticket}`: everything the handling office needs, without an anonymous reporter's
/// identity.
struct StaffComplaintView: Encodable {
    let ticket: String
    let status: String
    let status_label: String
    let category: CodeName
    let description: String
    let region: CodeName
    let location: LocationDTO?
    let address: String?
    let visibility: String
    let anonymous: Bool
    /// Absent when the reporter filed anonymously.
    let reporter: ReporterDTO?
    let opd: CodeName
    let routing_rule: String
    let sla: StaffSLA
    let merged_into: String?
    let escalated_to: CodeName?
    let reopen_count: Int
    let created_at: String
    let updated_at: String
    /// What the requesting member may do now.
    let allowed_actions: [String]
    let history: [AuditEntry]
}

struct AuditLog: Encodable {
    let ticket: String
    let entries: [AuditEntry]
}
