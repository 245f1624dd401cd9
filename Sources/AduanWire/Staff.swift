import Foundation

/// `GET /v1/staff/me`: who the token belongs to.
public struct StaffMemberDTO: Codable, Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let role: String
    public let opd: CodeName?

    public init(id: Int64, name: String, role: String, opd: CodeName? = nil) {
        self.id = id
        self.name = name
        self.role = role
        self.opd = opd
    }
}

/// The body of every staff action; each action reads the fields it needs.
public struct StaffActionRequest: Codable, Sendable, Equatable {
    public let note: String?
    public let to: String?
    public let reason: String?
    public let question: String?
    public let text: String?
    public let visible_to_reporter: Bool?
    public let into: String?

    public init(
        note: String? = nil, to: String? = nil, reason: String? = nil, question: String? = nil,
        text: String? = nil, visible_to_reporter: Bool? = nil, into: String? = nil
    ) {
        self.note = note
        self.to = to
        self.reason = reason
        self.question = question
        self.text = text
        self.visible_to_reporter = visible_to_reporter
        self.into = into
    }
}

/// The SLA clocks of a complaint as staff see them.
public struct StaffSLA: Codable, Sendable, Equatable {
    public let response_due_at: String
    public let resolution_due_at: String
    public let response_at_risk_at: String
    public let resolution_at_risk_at: String
    public let responded_at: String?
    public let resolved_at: String?
    public let paused_at: String?
    /// on_time, at_risk or breached.
    public let response: String
    public let resolution: String
    /// The response deadline while unanswered, else the resolution deadline: what the queue is ordered by.
    public let next_due_at: String

    public init(
        response_due_at: String, resolution_due_at: String, response_at_risk_at: String,
        resolution_at_risk_at: String, responded_at: String? = nil, resolved_at: String? = nil,
        paused_at: String? = nil, response: String, resolution: String, next_due_at: String
    ) {
        self.response_due_at = response_due_at
        self.resolution_due_at = resolution_due_at
        self.response_at_risk_at = response_at_risk_at
        self.resolution_at_risk_at = resolution_at_risk_at
        self.responded_at = responded_at
        self.resolved_at = resolved_at
        self.paused_at = paused_at
        self.response = response
        self.resolution = resolution
        self.next_due_at = next_due_at
    }
}

/// One row of a queue.
public struct QueueItem: Codable, Sendable, Equatable {
    public let ticket: String
    public let status: String
    public let status_label: String
    public let category: CodeName
    public let region: CodeName
    public let opd: CodeName
    public let created_at: String
    public let sla: StaffSLA
    public var resolution_review: String? = nil
    public var support_count = 0

    public init(
        ticket: String, status: String, status_label: String, category: CodeName, region: CodeName,
        opd: CodeName, created_at: String, sla: StaffSLA
    ) {
        self.ticket = ticket
        self.status = status
        self.status_label = status_label
        self.category = category
        self.region = region
        self.opd = opd
        self.created_at = created_at
        self.sla = sla
    }
}

/// `GET /v1/staff/complaints`: a page of the queue.
public struct QueuePage: Codable, Sendable, Equatable {
    public let items: [QueueItem]
    /// Pass as `cursor` for the next page; absent on the last page.
    public let next_cursor: String?

    public init(items: [QueueItem], next_cursor: String? = nil) {
        self.items = items
        self.next_cursor = next_cursor
    }
}

/// An event as staff see it: every event, internal ones included, with the staff member who acted.
public struct AuditEntry: Codable, Sendable, Equatable {
    /// Who acted.
    public struct ActorDTO: Codable, Sendable, Equatable {
        /// citizen, staff or system; a citizen is never named.
        public let kind: String
        public let id: String?
        public let name: String?
        public let role: String?

        public init(kind: String, id: String? = nil, name: String? = nil, role: String? = nil) {
            self.kind = kind
            self.id = id
            self.name = name
            self.role = role
        }
    }

    public let kind: String
    public let at: String
    public let actor: ActorDTO
    public let visible_to_reporter: Bool
    public let details: [String: String]

    public init(kind: String, at: String, actor: ActorDTO, visible_to_reporter: Bool, details: [String: String]) {
        self.kind = kind
        self.at = at
        self.actor = actor
        self.visible_to_reporter = visible_to_reporter
        self.details = details
    }
}

/// `GET /v1/staff/complaints/{ticket}`: everything the handling office needs, without an anonymous reporter's
/// identity.
public struct StaffComplaintView: Codable, Sendable, Equatable {
    public let ticket: String
    public let status: String
    public let status_label: String
    public let category: CodeName
    public let description: String
    public let region: CodeName
    public let location: LocationDTO?
    public let address: String?
    public let visibility: String
    public let anonymous: Bool
    /// Absent when the reporter filed anonymously.
    public let reporter: ReporterDTO?
    public let opd: CodeName
    public let routing_rule: String
    public let sla: StaffSLA
    public let merged_into: String?
    public let escalated_to: CodeName?
    public let reopen_count: Int
    public let created_at: String
    public let updated_at: String
    /// What the requesting member may do now.
    public let allowed_actions: [String]
    public let history: [AuditEntry]
    public var photos: [PhotoDTO] = []
    /// The checks of the latest resolution's after-photos.
    public var evidence: [EvidenceDTO] = []
    public var location_source: String? = nil
    /// `clean`, `pending` (awaiting validation) or `validated`; absent when the resolution had no photos.
    public var resolution_review: String? = nil
    public var rejected_resolutions: Int = 0
    public var support_count = 0
    /// Open complaints of the same category nearby that the member may see: candidates for a merge.
    public var similar: [StaffNeighbour] = []
    /// The answers to the category's questions.
    public var attributes: [AttributeAnswerDTO] = []
    /// Set when an app filed it through Open311.
    public var filed_via: FiledViaDTO? = nil
    /// Present when `history` holds only the newest entries: the older ones are paged by the audit log's `before`.
    public var history_before: Int64? = nil
    /// True when `location` is rounded and the address and photos' places withheld: an anonymous complaint about
    /// something other than a public place, whose exact place could name its reporter.
    public var location_rounded: Bool? = nil

    public init(
        ticket: String, status: String, status_label: String, category: CodeName, description: String,
        region: CodeName, location: LocationDTO? = nil, address: String? = nil, visibility: String, anonymous: Bool,
        reporter: ReporterDTO? = nil, opd: CodeName, routing_rule: String, sla: StaffSLA,
        merged_into: String? = nil, escalated_to: CodeName? = nil, reopen_count: Int, created_at: String,
        updated_at: String, allowed_actions: [String], history: [AuditEntry]
    ) {
        self.ticket = ticket
        self.status = status
        self.status_label = status_label
        self.category = category
        self.description = description
        self.region = region
        self.location = location
        self.address = address
        self.visibility = visibility
        self.anonymous = anonymous
        self.reporter = reporter
        self.opd = opd
        self.routing_rule = routing_rule
        self.sla = sla
        self.merged_into = merged_into
        self.escalated_to = escalated_to
        self.reopen_count = reopen_count
        self.created_at = created_at
        self.updated_at = updated_at
        self.allowed_actions = allowed_actions
        self.history = history
    }
}

/// `GET /v1/staff/complaints/{ticket}/audit`.
public struct AuditLog: Codable, Sendable, Equatable {
    public let ticket: String
    public let entries: [AuditEntry]
    /// Present when older entries exist: pass it as `before` for them.
    public var before: Int64? = nil

    public init(ticket: String, entries: [AuditEntry], before: Int64? = nil) {
        self.ticket = ticket
        self.entries = entries
        self.before = before
    }
}
