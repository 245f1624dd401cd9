import Foundation

/// `POST /v1/complaints` body. Every field is optional so that a missing one becomes a per-field error, not a
/// malformed body.
public struct SubmitComplaintRequest: Codable, Sendable, Equatable {
    /// A point in WGS 84.
    public struct Location: Codable, Sendable, Equatable {
        public let lat: Double?
        public let lng: Double?

        public init(lat: Double? = nil, lng: Double? = nil) {
            self.lat = lat
            self.lng = lng
        }
    }

    /// Who files, as far as they choose to say.
    public struct ReporterInput: Codable, Sendable, Equatable {
        public let name: String?
        public let phone: String?

        public init(name: String? = nil, phone: String? = nil) {
            self.name = name
            self.phone = phone
        }
    }

    public let category: String?
    public let description: String?
    public let region: String?
    public let location: Location?
    public let address: String?
    public let reporter: ReporterInput?
    public let visibility: String?
    public let anonymous: Bool?
    /// False: no messages about the complaint to the reporter's phone.
    public let notify: Bool?
    /// Answers to the category's questions (`attributes` in `GET /v1/categories`), by code.
    public var attributes: [String: AttributeValue]? = nil

    public init(
        category: String? = nil, description: String? = nil, region: String? = nil,
        location: Location? = nil, address: String? = nil, reporter: ReporterInput? = nil,
        visibility: String? = nil, anonymous: Bool? = nil, notify: Bool? = nil
    ) {
        self.category = category
        self.description = description
        self.region = region
        self.location = location
        self.address = address
        self.reporter = reporter
        self.visibility = visibility
        self.anonymous = anonymous
        self.notify = notify
    }
}

/// `PUT /v1/complaints/{ticket}/notifications`: the reporter turns messages about their complaint on or off; the
/// answer says what is in force.
public struct ReporterNotifications: Codable, Sendable, Equatable {
    public let enabled: Bool?
    /// In the answer: whether the complaint has a phone to send to.
    public let phone_on_file: Bool?

    public init(enabled: Bool?, phone_on_file: Bool? = nil) {
        self.enabled = enabled
        self.phone_on_file = phone_on_file
    }
}

/// `POST /v1/complaints/{ticket}/comments`: a message from the reporter.
public struct ReporterMessage: Codable, Sendable, Equatable {
    public let text: String?

    public init(text: String? = nil) {
        self.text = text
    }
}

/// `POST /v1/complaints/{ticket}/feedback`: `{rating, comment?}` confirms, `{reopen: true, reason}` reopens.
public struct FeedbackRequest: Codable, Sendable, Equatable {
    public let rating: Int?
    public let comment: String?
    public let reopen: Bool?
    public let reason: String?

    public init(rating: Int? = nil, comment: String? = nil, reopen: Bool? = nil, reason: String? = nil) {
        self.rating = rating
        self.comment = comment
        self.reopen = reopen
        self.reason = reason
    }
}

/// A code with its name in the requested language (a category, a region, an office).
public struct CodeName: Codable, Sendable, Equatable {
    public let code: String
    public let name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

/// The two deadlines, ISO 8601 with the region's offset.
public struct SLADeadlines: Codable, Sendable, Equatable {
    public let response_due_at: String
    public let resolution_due_at: String

    public init(response_due_at: String, resolution_due_at: String) {
        self.response_due_at = response_due_at
        self.resolution_due_at = resolution_due_at
    }
}

/// A stored location.
public struct LocationDTO: Codable, Sendable, Equatable {
    public let lat: Double
    public let lng: Double

    public init(lat: Double, lng: Double) {
        self.lat = lat
        self.lng = lng
    }
}

/// `201` answer to a submission: what the citizen needs to follow it, with the tracking token shown this once.
public struct SubmittedComplaint: Codable, Sendable, Equatable {
    public let ticket: String
    public let status: String
    public let status_label: String
    public let category: CodeName
    public let region: CodeName
    public let opd: CodeName
    public let sla: SLADeadlines
    public let created_at: String
    /// Echoed so the citizen sees the privacy applied, including a category's default.
    public let visibility: String
    public let anonymous: Bool
    public let tracking_token: String
    public var photos: [PhotoDTO] = []
    /// `reporter` or `photo` (read from a photo's EXIF GPS); absent when the complaint has no location.
    public var location_source: String? = nil

    public init(
        ticket: String, status: String, status_label: String, category: CodeName, region: CodeName,
        opd: CodeName, sla: SLADeadlines, created_at: String, visibility: String, anonymous: Bool,
        tracking_token: String
    ) {
        self.ticket = ticket
        self.status = status
        self.status_label = status_label
        self.category = category
        self.region = region
        self.opd = opd
        self.sla = sla
        self.created_at = created_at
        self.visibility = visibility
        self.anonymous = anonymous
        self.tracking_token = tracking_token
    }
}

/// One entry of the history shown to the reporter; staff identities are not part of it.
public struct HistoryEntry: Codable, Sendable, Equatable {
    public let kind: String
    public let at: String
    public let actor: String
    public let details: [String: String]

    public init(kind: String, at: String, actor: String, details: [String: String]) {
        self.kind = kind
        self.at = at
        self.actor = actor
        self.details = details
    }
}

/// The reporter's identity as the reporter (or the handling office, unless anonymous) sees it.
public struct ReporterDTO: Codable, Sendable, Equatable {
    public let name: String?
    public let phone: String?

    public init(name: String? = nil, phone: String? = nil) {
        self.name = name
        self.phone = phone
    }
}

/// `GET /v1/complaints/{ticket}`: the public view, or with the reporter's token the full view and history.
public struct ComplaintView: Codable, Sendable, Equatable {
    public let ticket: String
    public let status: String
    public let status_label: String
    public let category: CodeName
    public let description: String
    public let region: CodeName
    public let location: LocationDTO?
    public let opd: CodeName
    public let sla: SLADeadlines
    public let created_at: String
    public let updated_at: String
    public let visibility: String
    /// Reporter-only fields: absent in the public view.
    public let address: String?
    public let anonymous: Bool?
    public let reporter: ReporterDTO?
    public let history: [HistoryEntry]?
    public var photos: [PhotoDTO] = []
    public var location_source: String? = nil
    /// `pending` while a flagged resolution awaits a supervisor's validation (the status label says so too).
    public var resolution_review: String? = nil
    public var support_count = 0
    /// In the public view: whether the location was rounded to about 50 m (any report but one of a public place).
    public var location_rounded: Bool? = nil
    /// Present when `history` holds only the newest entries: pass it as `history_before` for the older ones.
    public var history_before: Int64? = nil

    public init(
        ticket: String, status: String, status_label: String, category: CodeName, description: String,
        region: CodeName, location: LocationDTO? = nil, opd: CodeName, sla: SLADeadlines, created_at: String,
        updated_at: String, visibility: String, address: String? = nil, anonymous: Bool? = nil,
        reporter: ReporterDTO? = nil, history: [HistoryEntry]? = nil
    ) {
        self.ticket = ticket
        self.status = status
        self.status_label = status_label
        self.category = category
        self.description = description
        self.region = region
        self.location = location
        self.opd = opd
        self.sla = sla
        self.created_at = created_at
        self.updated_at = updated_at
        self.visibility = visibility
        self.address = address
        self.anonymous = anonymous
        self.reporter = reporter
        self.history = history
    }
}
