import AduanCore
import Foundation

/// `POST /v1/complaints` body. Every field is optional here so that missing ones become per-field errors.
struct SubmitComplaintRequest: Decodable {
    struct Location: Decodable {
        let lat: Double?
        let lng: Double?
    }
    struct ReporterInput: Decodable {
        let name: String?
        let phone: String?
    }
    let category: String?
    let description: String?
    let region: String?
    let location: Location?
    let address: String?
    let reporter: ReporterInput?
    let visibility: String?
    let anonymous: Bool?

    var input: SubmissionInput {
        SubmissionInput(
            category: self.category, description: self.description, region: self.region,
            location: self.location.map { ($0.lat, $0.lng) }, address: self.address, reporterName: self.reporter?.name,
            reporterPhone: self.reporter?.phone, visibility: self.visibility, anonymous: self.anonymous)
    }
}

/// `POST /v1/complaints/{ticket}/comments`: a message from the reporter.
struct ReporterMessage: Decodable {
    let text: String?
}

/// `POST /v1/complaints/{ticket}/feedback`: `{rating, comment?}` confirms, `{reopen: true, reason}` reopens.
struct FeedbackRequest: Decodable {
    let rating: Int?
    let comment: String?
    let reopen: Bool?
    let reason: String?
}

struct CodeName: Encodable {
    let code: String
    let name: String
}

struct SLADeadlines: Encodable {
    let response_due_at: String
    let resolution_due_at: String
}

struct LocationDTO: Encodable {
    let lat: Double
    let lng: Double
}

/// `201` answer to a submission: what the citizen needs to follow it, with the tracking token shown this once.
struct SubmittedComplaint: Encodable {
    let ticket: String
    let status: String
    let status_label: String
    let category: CodeName
    let region: CodeName
    let opd: CodeName
    let sla: SLADeadlines
    let created_at: String
    /// Echoed so the citizen sees the privacy applied, including a category's default.
    let visibility: String
    let anonymous: Bool
    let tracking_token: String
}

/// One entry of the history shown to the reporter; staff identities are not part of it.
struct HistoryEntry: Encodable {
    let kind: String
    let at: String
    let actor: String
    let details: [String: String]
}

struct ReporterDTO: Encodable {
    let name: String?
    let phone: String?
}

/// `GET /v1/complaints/{ticket}`: the public view, or with the reporter's token the full view and history.
struct ComplaintView: Encodable {
    let ticket: String
    let status: String
    let status_label: String
    let category: CodeName
    let description: String
    let region: CodeName
    let location: LocationDTO?
    let opd: CodeName
    let sla: SLADeadlines
    let created_at: String
    let updated_at: String
    let visibility: String
    // Reporter-only fields: nil (left out) in the public view.
    let address: String?
    let anonymous: Bool?
    let reporter: ReporterDTO?
    let history: [HistoryEntry]?
}

struct CategoryDTO: Encodable {
    struct Target: Encodable {
        let working_days: Int?
        let hours: Int?
        init(_ target: SLATarget) {
            switch target {
            case .workingDays(let days): (self.working_days, self.hours) = (days, nil)
            case .hours(let hours): (self.working_days, self.hours) = (nil, hours)
            }
        }
    }
    struct SLA: Encodable {
        let response: Target
        let resolution: Target
    }
    let code: String
    let name: String
    let name_id: String
    let name_en: String
    let default_visibility: String
    let photo_required: Bool
    let sla: SLA
}

struct CategoryList: Encodable {
    let categories: [CategoryDTO]
}

struct RegionDTO: Encodable {
    let code: String
    let name: String
    let level: String
    let has_children: Bool
}

struct RegionList: Encodable {
    let parent: RegionDTO?
    let regions: [RegionDTO]
}

struct HealthStatus: Encodable {
    let status: String
}

/// `/readyz`: ready, and how far ahead the working calendar reaches.
struct Readiness: Encodable {
    let status: String
    let calendar: CalendarReach
}

struct CalendarReach: Encodable {
    let reach: String?
    let version: Int64
    let days_off: Int
    let warning: String?
}
