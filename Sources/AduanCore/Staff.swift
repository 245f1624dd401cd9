import Foundation

/// What a staff member may do, and where.
public enum StaffRole: String, Sendable, Codable, CaseIterable {
    /// Runs the service: province-wide, every action.
    case admin
    /// Provincial oversight: province-wide, every action, and the only one (with admin) who reopens a resolution or
    /// validates flagged evidence.
    case supervisor
    /// An OPD's triage desk: its own queue, every action but reopen.
    case triage
    /// Works complaints of one OPD: cannot forward, reject or merge them away.
    case officer

    /// Whether the role sees every complaint of the province rather than one OPD's.
    public var isProvinceWide: Bool { self == .admin || self == .supervisor }

    /// The staff actions the role may take; the rows of the authorisation matrix.
    public var permittedActions: Set<StaffAction> {
        switch self {
        case .admin, .supervisor: return Set(StaffAction.allCases)
        // Validating an office's evidence is provincial oversight, never the office's own desk.
        case .triage: return Set(StaffAction.allCases).subtracting([.reopen, .validate, .rejectResolution])
        case .officer: return [.accept, .askInfo, .resolve, .comment]
        }
    }
}

/// A member of staff, identified by a token whose hash only is stored.
public struct StaffMember: Sendable, Hashable {
    public let id: Int64
    public let name: String
    public let role: StaffRole
    /// The office of a triage or officer member; nil for province-wide roles.
    public let opd: String?
    public let createdAt: Date
    public let revokedAt: Date?

    public init(id: Int64, name: String, role: StaffRole, opd: String?, createdAt: Date, revokedAt: Date?) {
        self.id = id
        self.name = name
        self.role = role
        self.opd = opd
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    /// Whether the member may see the complaint at all; for anyone else it does not exist. An OPD's staff see the
    /// complaints routed to it and those escalated to it (a breach at an office it oversees).
    public func canSee(_ complaint: Complaint) -> Bool {
        self.canWork(complaint) || (self.opd != nil && complaint.state.escalatedTo == self.opd)
    }

    /// Whether the member may work the complaint; the office a breach escalated to may only watch and comment.
    public func canWork(_ complaint: Complaint) -> Bool {
        self.role.isProvinceWide || complaint.opd == self.opd
    }

    /// The identifier written as the actor of the member's events.
    public var actorID: String { String(self.id) }
}

/// Checks for a new staff member before it is stored.
public enum StaffRules {
    public static let nameLength = 1...100

    /// The problems with a new member's fields against the catalog, or an empty list.
    public static func problems(name: String, role: StaffRole, opd: String?, catalog: Catalog) -> [String] {
        var problems: [String] = []
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        // Counted as SQLite's length() counts (code points), so the schema's CHECK never refuses what passes here.
        if !Self.nameLength.contains(trimmed.unicodeScalars.count) { problems.append("name must be 1-100 characters") }
        if Intake.forbiddenCharacters(in: trimmed, allowNewlines: false) != nil {
            problems.append("name must not contain control, direction-changing or zero-width characters")
        }
        if role.isProvinceWide {
            if opd != nil { problems.append("role \(role.rawValue) is province-wide and takes no --opd") }
        } else if let opd {
            if catalog.opds[opd] == nil { problems.append("unknown OPD \(opd) (see the catalog's opds)") }
        } else {
            problems.append("role \(role.rawValue) needs --opd CODE")
        }
        return problems
    }
}
