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
    /// Whether they want messages about the complaint (to `phone`); they can turn them off later.
    public var notify: Bool
    /// The citizen account the complaint belongs to: filed signed in, or claimed later with the tracking token.
    public var account: Int64?
    /// An anonymous reporter's name and phone, sealed; `name` and `phone` are then nil.
    public let sealed: SealedIdentity?

    public init(name: String?, phone: String?, notify: Bool = true, account: Int64? = nil, sealed: SealedIdentity? = nil) {
        self.name = name
        self.phone = phone
        self.notify = notify
        self.account = account
        self.sealed = sealed
    }

    /// Whether messages can reach them: a phone in clear or sealed.
    public var hasPhone: Bool { self.phone != nil || self.sealed?.phone != nil }
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
    public let responseAtRiskAt: Date
    public let resolutionAtRiskAt: Date
    public let createdAt: Date
    /// The ticket period (`YYMM` of the filing date in the region's time zone).
    public let ticketPeriod: String
    /// Where `location` came from; nil when the complaint has none.
    public internal(set) var locationSource: LocationSource? = nil
    /// The answers to the category's questions, in the category's order.
    public var attributes: [CategoryAnswer] = []
}

/// One answered question of a category; several values for a multi-value list.
public struct CategoryAnswer: Sendable, Hashable {
    public let code: String
    public let values: [String]

    public init(code: String, values: [String]) {
        self.code = code
        self.values = values
    }
}

/// How a complaint stands against one SLA target. Each level is reached once per clock (and per resolution cycle):
/// the SLA monitor moves it forward and writes the event in the same transaction, so it never writes one twice.
public enum SLALevel: String, Sendable, Codable, CaseIterable {
    case onTime = "on_time", atRisk = "at_risk", breached
}

/// The two SLA clocks of a complaint.
public enum SLAClock: String, Sendable, CaseIterable {
    case response, resolution
}

/// What changes about a complaint as it is worked: status, handling office, clocks and marks.
public struct ComplaintState: Sendable, Hashable {
    public var status: ComplaintStatus
    /// The office that handles it now (changed by a forward).
    public var opd: String
    public var responseDueAt: Date
    public var resolutionDueAt: Date
    public var responseAtRiskAt: Date
    public var resolutionAtRiskAt: Date
    /// The OPD's first action; stops the response clock.
    public var respondedAt: Date?
    /// The latest resolution; stops the resolution clock until a reopen.
    public var resolvedAt: Date?
    /// Set while waiting for the reporter: both clocks are stopped and their deadlines move on resumption.
    public var pausedAt: Date?
    public var responseSLA: SLALevel
    public var resolutionSLA: SLALevel
    public var mergedInto: Ticket?
    /// The office a breach was escalated to (the handling OPD's parent).
    public var escalatedTo: String?
    public var reopenCount: Int
    /// When it last left the open statuses (resolved, rejected, merged); cleared by a reopen.
    public var settledAt: Date?
    /// The latest reopen.
    public var reopenedAt: Date?
    /// Working time spent waiting for the reporter, summed over every pause so far.
    public var pausedWorkingSeconds: Double
    /// Working time from filing to the first response, pauses excluded; fixed when the clock stops.
    public var responseWorkingSeconds: Double?
    /// Working time from filing to the latest resolution, pauses excluded.
    public var resolutionWorkingSeconds: Double?
    /// How the latest resolution's after-photos were judged; nil when it came without photos (or none is current).
    public var resolutionReview: ResolutionReview?
    /// When a supervisor validated a flagged resolution: the reporter's confirmation window starts then.
    public var resolutionReviewedAt: Date?
    /// Resolutions a supervisor rejected for their evidence ("TL Ditolak").
    public var rejectedResolutions: Int
    public var updatedAt: Date

    public init(
        status: ComplaintStatus, opd: String, responseDueAt: Date, resolutionDueAt: Date, responseAtRiskAt: Date,
        resolutionAtRiskAt: Date, respondedAt: Date? = nil, resolvedAt: Date? = nil, pausedAt: Date? = nil,
        responseSLA: SLALevel = .onTime, resolutionSLA: SLALevel = .onTime, mergedInto: Ticket? = nil,
        escalatedTo: String? = nil, reopenCount: Int = 0, settledAt: Date? = nil, reopenedAt: Date? = nil,
        pausedWorkingSeconds: Double = 0, responseWorkingSeconds: Double? = nil, resolutionWorkingSeconds: Double? = nil,
        resolutionReview: ResolutionReview? = nil, resolutionReviewedAt: Date? = nil, rejectedResolutions: Int = 0,
        updatedAt: Date
    ) {
        self.status = status
        self.opd = opd
        self.responseDueAt = responseDueAt
        self.resolutionDueAt = resolutionDueAt
        self.responseAtRiskAt = responseAtRiskAt
        self.resolutionAtRiskAt = resolutionAtRiskAt
        self.respondedAt = respondedAt
        self.resolvedAt = resolvedAt
        self.pausedAt = pausedAt
        self.responseSLA = responseSLA
        self.resolutionSLA = resolutionSLA
        self.mergedInto = mergedInto
        self.escalatedTo = escalatedTo
        self.reopenCount = reopenCount
        self.settledAt = settledAt
        self.reopenedAt = reopenedAt
        self.pausedWorkingSeconds = pausedWorkingSeconds
        self.responseWorkingSeconds = responseWorkingSeconds
        self.resolutionWorkingSeconds = resolutionWorkingSeconds
        self.resolutionReview = resolutionReview
        self.resolutionReviewedAt = resolutionReviewedAt
        self.rejectedResolutions = rejectedResolutions
        self.updatedAt = updatedAt
    }

    /// Whether a flagged resolution waits for a supervisor ("Menunggu Validasi").
    public var awaitsValidation: Bool { Self.awaitsValidation(self.status, self.resolutionReview) }

    /// The rule, for what reads the two columns without a whole state (the public map).
    public static func awaitsValidation(_ status: ComplaintStatus, _ review: ResolutionReview?) -> Bool {
        status == .resolved && review == .pending
    }

    /// When the reporter's window to confirm or reopen a resolution starts: at the resolution, or at its validation.
    public var confirmationStart: Date? { self.resolutionReviewedAt ?? self.resolvedAt }

    /// Whether a clock still runs: not yet stopped by its event and not paused or finished.
    public func isRunning(_ clock: SLAClock) -> Bool {
        guard self.status.isClockRunning else { return false }
        switch clock {
        case .response: return self.respondedAt == nil
        case .resolution: return self.resolvedAt == nil
        }
    }

    /// The deadline that comes next for the office: the response while unanswered, else the resolution.
    public var nextDueAt: Date { self.respondedAt == nil ? self.responseDueAt : self.resolutionDueAt }
}

/// A stored complaint: what the citizen filed, and its state.
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
    public let routingRule: String
    public let createdAt: Date
    /// Where `location` came from; nil when the complaint has none.
    public let locationSource: LocationSource?
    public var state: ComplaintState
    /// Citizens and devices supporting it (+1), and the reporters of duplicates merged into it.
    public var supportCount: Int

    public var status: ComplaintStatus { self.state.status }
    public var opd: String { self.state.opd }
    public var responseDueAt: Date { self.state.responseDueAt }
    public var resolutionDueAt: Date { self.state.resolutionDueAt }
    public var updatedAt: Date { self.state.updatedAt }

    public init(
        id: Int64, ticket: Ticket, category: String, description: String, region: RegionCode, location: GeoPoint?,
        address: String?, reporter: Reporter, visibility: Visibility, anonymous: Bool, routingRule: String,
        createdAt: Date, locationSource: LocationSource? = nil, state: ComplaintState, supportCount: Int = 0
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
        self.routingRule = routingRule
        self.createdAt = createdAt
        self.locationSource = locationSource ?? (location == nil ? nil : .reporter)
        self.state = state
        self.supportCount = supportCount
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
