import Foundation

/// A complaint category with its names and SLA targets.
public struct CategoryDTO: Codable, Sendable, Equatable {
    /// A target in working days or in hours (exactly one is set).
    public struct Target: Codable, Sendable, Equatable {
        public let working_days: Int?
        public let hours: Int?

        public init(working_days: Int? = nil, hours: Int? = nil) {
            self.working_days = working_days
            self.hours = hours
        }
    }

    /// The response and resolution targets.
    public struct SLA: Codable, Sendable, Equatable {
        public let response: Target
        public let resolution: Target

        public init(response: Target, resolution: Target) {
            self.response = response
            self.resolution = resolution
        }
    }

    public let code: String
    public let name: String
    public let name_id: String
    public let name_en: String
    public let default_visibility: String
    public let photo_required: Bool
    /// Reports of a public place: the public map shows their exact location.
    public var public_place = false
    public let sla: SLA
    /// The questions filing asks, in order; answers go in the submission's `attributes`.
    public var attributes: [CategoryAttributeDTO] = []

    public init(code: String, name: String, name_id: String, name_en: String, default_visibility: String,
        photo_required: Bool, sla: SLA) {
        self.code = code
        self.name = name
        self.name_id = name_id
        self.name_en = name_en
        self.default_visibility = default_visibility
        self.photo_required = photo_required
        self.sla = sla
    }
}

/// `GET /v1/categories`.
public struct CategoryList: Codable, Sendable, Equatable {
    public let categories: [CategoryDTO]

    public init(categories: [CategoryDTO]) {
        self.categories = categories
    }
}

/// A region of the official tree.
public struct RegionDTO: Codable, Sendable, Equatable {
    public let code: String
    public let name: String
    public let level: String
    public let has_children: Bool

    public init(code: String, name: String, level: String, has_children: Bool) {
        self.code = code
        self.name = name
        self.level = level
        self.has_children = has_children
    }
}

/// `GET /v1/regions?parent=CODE`: a region's children.
public struct RegionList: Codable, Sendable, Equatable {
    public let parent: RegionDTO?
    public let regions: [RegionDTO]

    public init(parent: RegionDTO? = nil, regions: [RegionDTO]) {
        self.parent = parent
        self.regions = regions
    }
}

/// `/healthz`.
public struct HealthStatus: Codable, Sendable, Equatable {
    public let status: String

    public init(status: String) {
        self.status = status
    }
}

/// `/readyz`: ready, and how far ahead the working calendar reaches.
public struct Readiness: Codable, Sendable, Equatable {
    public let status: String
    public let calendar: CalendarReach

    public init(status: String, calendar: CalendarReach) {
        self.status = status
        self.calendar = calendar
    }
}

/// How far ahead the working calendar reaches, and the operators' change in force.
public struct CalendarReach: Codable, Sendable, Equatable {
    public let reach: String?
    public let version: Int64
    public let days_off: Int
    public let warning: String?

    public init(reach: String? = nil, version: Int64, days_off: Int, warning: String? = nil) {
        self.reach = reach
        self.version = version
        self.days_off = days_off
        self.warning = warning
    }
}
