import Foundation

/// A short ticket number a citizen can read over the phone: year and month of filing, then a sequence
/// (`2611-00042`).
public struct Ticket: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(period: String, sequence: Int) { self.rawValue = period + "-" + zeroPadded(sequence, 5) }
    public var description: String { self.rawValue }

    /// Whether a string has the ticket's shape; anything else cannot name a complaint.
    public static func isWellFormed(_ string: String) -> Bool {
        let parts = string.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 2 && parts[0].count == 4 && (5...9).contains(parts[1].count)
            && parts.allSatisfy { $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    }
}

/// Who filed the complaint, as far as they chose to say.
public struct Reporter: Hashable, Sendable {
    public let name: String?
    public let phone: String?
    public init(name: String?, phone: String?) {
        self.name = name
        self.phone = phone
    }
}

/// A validated, routed complaint with its deadlines set, ready to be stored (it has no ticket yet).
public struct NewComplaint: Sendable, Hashable {
    public let category: String
    public let description: String
    public let region: RegionCode
    public let location: GeoPoint?
    public let address: String?
    public let reporter: Reporter
    public let visibility: Visibility
    public let anonymous: Bool
    public let opd: String
    public let routingRule: String
    public let responseDueAt: Date
    public let resolutionDueAt: Date
    public let createdAt: Date
    /// The ticket period (`YYMM` of the filing date in the region's time zone).
    public let ticketPeriod: String
}

/// A stored complaint.
public struct Complaint: Sendable, Hashable {
    public let id: Int64
    public let ticket: Ticket
    public let category: String
    public let description: String
    public let region: RegionCode
    public let location: GeoPoint?
    public let address: String?
    public let reporter: Reporter
    public let visibility: Visibility
    public let anonymous: Bool
    public let status: ComplaintStatus
    public let opd: String
    public let routingRule: String
    public let responseDueAt: Date
    public let resolutionDueAt: Date
    public let createdAt: Date
    public let updatedAt: Date

    public init(
        id: Int64, ticket: Ticket, category: String, description: String, region: RegionCode, location: GeoPoint?,
        address: String?, reporter: Reporter, visibility: Visibility, anonymous: Bool, status: ComplaintStatus, opd: String,
        routingRule: String, responseDueAt: Date, resolutionDueAt: Date, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.ticket = ticket
        self.category = category
        self.description = description
        self.region = region
        self.location = location
        self.address = address
        self.reporter = reporter
        self.visibility = visibility
        self.anonymous = anonymous
        self.status = status
        self.opd = opd
        self.routingRule = routingRule
        self.responseDueAt = responseDueAt
        self.resolutionDueAt = resolutionDueAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// What happened to a complaint: one entry of its append-only history and of the audit log.
public struct ComplaintEvent: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case submitted, routed, forwarded, statusChanged = "status_changed", comment, evidence, rating, merged
        case slaAtRisk = "sla_at_risk", slaBreached = "sla_breached", escalated
    }
    public enum ActorKind: String, Sendable, CaseIterable { case citizen, staff, system }

    public let kind: Kind
    public let actorKind: ActorKind
    public let actorID: String?
    public let at: Date
    /// Whether the reporter sees this entry in their history (internal notes are not shown).
    public let visibleToReporter: Bool
    /// Small structured details, such as the OPD and rule of a routing or the statuses of a change.
    public let details: [String: String]

    public init(
        kind: Kind, actorKind: ActorKind, actorID: String?, at: Date, visibleToReporter: Bool, details: [String: String]
    ) {
        self.kind = kind
        self.actorKind = actorKind
        self.actorID = actorID
        self.at = at
        self.visibleToReporter = visibleToReporter
        self.details = details
    }
}
