/// Where a complaint stands in its life. The moves between statuses are the action table: `StaffAction.allowedFrom`
/// and `leadsTo` for staff, `CitizenCommand` for the reporter, and the SLA monitor's close of an unanswered
/// resolution (`Workflow.sweep`).
public enum ComplaintStatus: String, Sendable, Codable, CaseIterable {
    case submitted
    case inProgress = "in_progress"
    case waitingInfo = "waiting_info"
    case resolved
    case closed
    case rejected
    case duplicate
    case reopened

    /// The label a citizen sees.
    public var labelID: String {
        switch self {
        case .submitted: return "Menunggu"
        case .inProgress: return "Diproses"
        case .waitingInfo: return "Menunggu info pelapor"
        case .resolved: return "Selesai, menunggu konfirmasi"
        case .closed: return "Selesai"
        case .rejected: return "Ditolak"
        case .duplicate: return "Digabung (duplikat)"
        case .reopened: return "Dibuka kembali"
        }
    }

    public var labelEN: String {
        switch self {
        case .submitted: return "Waiting"
        case .inProgress: return "In progress"
        case .waitingInfo: return "Waiting for the reporter's information"
        case .resolved: return "Resolved, awaiting confirmation"
        case .closed: return "Closed"
        case .rejected: return "Rejected"
        case .duplicate: return "Merged (duplicate)"
        case .reopened: return "Reopened"
        }
    }

    /// Whether the office still has work to do on it (the queue shows these).
    public var isOpen: Bool {
        switch self {
        case .submitted, .inProgress, .waitingInfo, .reopened: return true
        case .resolved, .closed, .rejected, .duplicate: return false
        }
    }

    /// Whether the SLA clocks are stopped: paused while the reporter is asked, or finished.
    public var isClockRunning: Bool {
        switch self {
        case .submitted, .inProgress, .reopened: return true
        case .waitingInfo, .resolved, .closed, .rejected, .duplicate: return false
        }
    }
}

extension ComplaintStatus {
    /// The statuses with work left for the office: the queue, the backlog and the open partial index.
    public static let open: Set<ComplaintStatus> = Set(allCases.filter(\.isOpen))
    /// The statuses whose SLA clocks run: what the SLA monitor sweeps.
    public static let clockRunning: Set<ComplaintStatus> = Set(allCases.filter(\.isClockRunning))
    /// The statuses that have left the open ones (settled): resolved, closed, rejected or merged.
    public static let settled: Set<ComplaintStatus> = Set(allCases.filter { !$0.isOpen })
    /// The statuses in which a resolution is still expected or was given: all but rejected and merged.
    public static let resolvable: Set<ComplaintStatus> = Set(allCases.filter { $0 != .rejected && $0 != .duplicate })
    /// The statuses of a resolution the office gave: awaiting confirmation, or confirmed.
    public static let resolvedOutcome: Set<ComplaintStatus> = [.resolved, .closed]
}
