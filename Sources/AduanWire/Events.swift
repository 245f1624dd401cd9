import Foundation

/// The body of a webhook delivery (Standard Webhooks 1.0): one event about one complaint, as recorded when it
/// happened. It never names the reporter of an anonymous complaint.
public struct WebhookEvent: Codable, Sendable, Equatable {
    public struct Named: Codable, Sendable, Equatable {
        public let code: String
        public let name: String
        public init(code: String, name: String) {
            self.code = code
            self.name = name
        }
    }

    /// What a `complaint.filed` event carries besides the common fields.
    public struct Filed: Codable, Sendable, Equatable {
        public let description: String
        public let location: LocationDTO?
        public let address: String?
        public let visibility: String
        public let anonymous: Bool
        public let response_due_at: String
        public let resolution_due_at: String
        /// Only for a complaint that is not anonymous.
        public let reporter: ReporterDTO?

        public init(
            description: String, location: LocationDTO?, address: String?, visibility: String, anonymous: Bool,
            response_due_at: String, resolution_due_at: String, reporter: ReporterDTO?
        ) {
            self.description = description
            self.location = location
            self.address = address
            self.visibility = visibility
            self.anonymous = anonymous
            self.response_due_at = response_due_at
            self.resolution_due_at = resolution_due_at
            self.reporter = reporter
        }
    }

    /// The same as the `webhook-id` header: a receiver drops a repeat by it.
    public let id: String
    public let type: String
    /// W3C datetime with the offset of the complaint's region.
    public let occurred_at: String
    public let ticket: String?
    public let status: String?
    public let office: Named?
    public let category: Named?
    public let region: Named?
    /// The event's own fields (a note, a reason, a clock and its deadline, the offices of a forward...).
    public let data: [String: String]
    public let complaint: Filed?

    public init(
        id: String, type: String, occurred_at: String, ticket: String?, status: String?, office: Named?, category: Named?,
        region: Named?, data: [String: String], complaint: Filed? = nil
    ) {
        self.id = id
        self.type = type
        self.occurred_at = occurred_at
        self.ticket = ticket
        self.status = status
        self.office = office
        self.category = category
        self.region = region
        self.data = data
        self.complaint = complaint
    }
}

/// What the messaging gateway receives for one message to a reporter: a template and its parameters (for WhatsApp
/// and push providers), the text itself (for SMS), and the ticket (none for a sign-in code). Signed as webhooks are.
public struct GatewayMessage: Codable, Sendable, Equatable {
    public let to: String?
    public let template: String
    public let params: [String: String]
    public let ticket: String?
    public let text: String

    public init(to: String?, template: String, params: [String: String], ticket: String?, text: String) {
        self.to = to
        self.template = template
        self.params = params
        self.ticket = ticket
        self.text = text
    }
}
