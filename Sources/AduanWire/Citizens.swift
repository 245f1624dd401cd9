/// `POST /v1/auth/otp`: send a sign-in code to this phone.
public struct SignInCodeRequest: Codable, Sendable, Equatable {
    public let phone: String?
    public init(phone: String?) { self.phone = phone }
}

/// The answer to `POST /v1/auth/otp`: where the code went (masked), until when it works, and when another may be asked.
public struct SignInCodeSent: Codable, Sendable, Equatable {
    public let phone: String
    public let expires_at: String
    public let resend_after_seconds: Int
    public init(phone: String, expires_at: String, resend_after_seconds: Int) {
        self.phone = phone
        self.expires_at = expires_at
        self.resend_after_seconds = resend_after_seconds
    }
}

/// `POST /v1/auth/otp/verify`: the phone and the code it received.
public struct SignInCodeCheck: Codable, Sendable, Equatable {
    public let phone: String?
    public let code: String?
    public init(phone: String?, code: String?) {
        self.phone = phone
        self.code = code
    }
}

/// A citizen token, sent as `Authorization: Bearer`; it lapses at `expires_at` unless used (each use moves it on).
public struct CitizenSessionDTO: Codable, Sendable, Equatable {
    public let token: String
    public let expires_at: String
    public init(token: String, expires_at: String) {
        self.token = token
        self.expires_at = expires_at
    }
}

/// `GET /v1/me`: the signed-in citizen.
public struct CitizenDTO: Codable, Sendable, Equatable {
    public let phone: String
    public let since: String
    public let session_expires_at: String
    public init(phone: String, since: String, session_expires_at: String) {
        self.phone = phone
        self.since = since
        self.session_expires_at = session_expires_at
    }
}

/// One of the citizen's complaints in `GET /v1/me/complaints`.
public struct MyComplaintItem: Codable, Sendable, Equatable {
    public let ticket: String
    public let status: String
    public let status_label: String
    public let category: CodeName
    public let region: CodeName
    public let opd: CodeName
    public let visibility: String
    public let created_at: String
    public let updated_at: String
    public let support_count: Int
    public init(
        ticket: String, status: String, status_label: String, category: CodeName, region: CodeName, opd: CodeName,
        visibility: String, created_at: String, updated_at: String, support_count: Int
    ) {
        self.ticket = ticket
        self.status = status
        self.status_label = status_label
        self.category = category
        self.region = region
        self.opd = opd
        self.visibility = visibility
        self.created_at = created_at
        self.updated_at = updated_at
        self.support_count = support_count
    }
}

public struct MyComplaintsPage: Codable, Sendable, Equatable {
    public let items: [MyComplaintItem]
    public let next_cursor: String?
    public init(items: [MyComplaintItem], next_cursor: String?) {
        self.items = items
        self.next_cursor = next_cursor
    }
}

/// `POST /v1/me/complaints/claim`: a complaint filed before sign-in, proven by its tracking token.
public struct ClaimRequest: Codable, Sendable, Equatable {
    public let ticket: String?
    public let tracking_token: String?
    public init(ticket: String?, tracking_token: String?) {
        self.ticket = ticket
        self.tracking_token = tracking_token
    }
}

/// A public complaint near a point, as the map feed and the similar search show it: never the reporter, and the
/// location rounded to about 50 m unless it is a report of a public place. The distance is to the shown point.
public struct NearbyComplaint: Codable, Sendable, Equatable {
    public let ticket: String
    public let status: String
    public let status_label: String
    public let category: CodeName
    public let region: CodeName
    public let location: LocationDTO
    public let location_rounded: Bool
    public let distance_m: Int
    public let support_count: Int
    public let created_at: String
    /// The start of the description.
    public let summary: String
    public init(
        ticket: String, status: String, status_label: String, category: CodeName, region: CodeName, location: LocationDTO,
        location_rounded: Bool, distance_m: Int, support_count: Int, created_at: String, summary: String
    ) {
        self.ticket = ticket
        self.status = status
        self.status_label = status_label
        self.category = category
        self.region = region
        self.location = location
        self.location_rounded = location_rounded
        self.distance_m = distance_m
        self.support_count = support_count
        self.created_at = created_at
        self.summary = summary
    }
}

/// `GET /v1/complaints?near=…`: a page of the public map feed, nearest first.
public struct NearbyPage: Codable, Sendable, Equatable {
    public let items: [NearbyComplaint]
    public let next_cursor: String?
    public init(items: [NearbyComplaint], next_cursor: String?) {
        self.items = items
        self.next_cursor = next_cursor
    }
}

/// `GET /v1/complaints/similar`: open complaints like the one about to be filed, nearby and recent.
public struct SimilarComplaintsDTO: Codable, Sendable, Equatable {
    public let radius_m: Int
    public let days: Int
    public let items: [NearbyComplaint]
    /// Private complaints that match too, shown only as a count.
    public let private_count: Int
    public init(radius_m: Int, days: Int, items: [NearbyComplaint], private_count: Int) {
        self.radius_m = radius_m
        self.days = days
        self.items = items
        self.private_count = private_count
    }
}

/// The answer to a +1 or its withdrawal.
public struct SupportState: Codable, Sendable, Equatable {
    public let ticket: String
    public let support_count: Int
    public let supporting: Bool
    public init(ticket: String, support_count: Int, supporting: Bool) {
        self.ticket = ticket
        self.support_count = support_count
        self.supporting = supporting
    }
}

/// A complaint near one that staff handle: the same category, open, recent. A merge is one command away.
public struct StaffNeighbour: Codable, Sendable, Equatable {
    public let ticket: String
    public let status: String
    public let distance_m: Int
    public let support_count: Int
    public let visibility: String
    public let opd: CodeName
    public let created_at: String
    public init(
        ticket: String, status: String, distance_m: Int, support_count: Int, visibility: String, opd: CodeName, created_at: String
    ) {
        self.ticket = ticket
        self.status = status
        self.distance_m = distance_m
        self.support_count = support_count
        self.visibility = visibility
        self.opd = opd
        self.created_at = created_at
    }
}
