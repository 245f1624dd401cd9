import Foundation

/// What staff do to a complaint; with `allowedFrom` and `leadsTo` this is the workflow table.
public enum StaffAction: String, Sendable, Codable, CaseIterable {
    case accept, forward, reject
    case askInfo = "ask-info"
    case resolve, comment, merge, reopen
    /// A supervisor's verdict on a resolution whose after-photos were flagged: it stands, or it goes back to the office.
    case validate
    case rejectResolution = "reject-resolution"

    /// The statuses the action may be taken from.
    public var allowedFrom: Set<ComplaintStatus> {
        switch self {
        case .accept: return [.submitted, .waitingInfo, .reopened]
        case .forward, .reject, .merge: return [.submitted, .inProgress, .waitingInfo, .reopened]
        case .askInfo: return [.submitted, .inProgress, .reopened]
        case .resolve: return [.inProgress, .reopened]
        case .comment: return Set(ComplaintStatus.allCases)
        case .reopen: return [.resolved, .closed]
        // Only while the resolution awaits validation (`ComplaintState.awaitsValidation`), which the workflow checks.
        case .validate, .rejectResolution: return [.resolved]
        }
    }

    /// The status the action leads to; nil when it leaves the status as it is.
    public var leadsTo: ComplaintStatus? {
        switch self {
        case .accept: return .inProgress
        case .reject: return .rejected
        case .askInfo: return .waitingInfo
        case .resolve: return .resolved
        case .merge: return .duplicate
        case .reopen: return .reopened
        case .rejectResolution: return .inProgress
        case .forward, .comment, .validate: return nil
        }
    }

    /// Whether the action is the office's first response when the response clock still runs.
    var countsAsResponse: Bool {
        switch self {
        case .accept, .reject, .askInfo, .resolve, .merge: return true
        case .forward, .comment, .reopen, .validate, .rejectResolution: return false
        }
    }
}

/// A staff action with what it needs.
public enum StaffCommand: Sendable, Hashable {
    case accept(note: String?)
    case forward(to: String, note: String)
    case reject(reason: String)
    case askInfo(question: String)
    /// `photos` are the office's after-photos: the evidence the workflow checks.
    case resolve(note: String, photos: [ProcessedPhoto] = [])
    case comment(text: String, visibleToReporter: Bool)
    case merge(into: Ticket, note: String?)
    case reopen(reason: String)
    case validate(note: String?)
    case rejectResolution(reason: String)

    public var action: StaffAction {
        switch self {
        case .accept: return .accept
        case .forward: return .forward
        case .reject: return .reject
        case .askInfo: return .askInfo
        case .resolve: return .resolve
        case .comment: return .comment
        case .merge: return .merge
        case .reopen: return .reopen
        case .validate: return .validate
        case .rejectResolution: return .rejectResolution
        }
    }
}

/// What a reporter (holding the tracking token) does to their complaint.
public enum CitizenCommand: Sendable, Hashable {
    /// A message; answers the office's question when it waits for one.
    case reply(text: String)
    /// Accepts the resolution with a rating 1-5.
    case confirm(rating: Int, comment: String?)
    /// Rejects the resolution within the reopen window.
    case reopen(reason: String)
    /// Adds photos of the problem, up to the limit per complaint.
    case addPhotos([ProcessedPhoto])

    public var name: String {
        switch self {
        case .reply: return "comment"
        case .confirm: return "confirm"
        case .reopen: return "reopen"
        case .addPhotos: return "photos"
        }
    }

    var allowedFrom: Set<ComplaintStatus> {
        switch self {
        case .reply, .addPhotos: return [.submitted, .inProgress, .waitingInfo, .reopened, .resolved]
        case .confirm, .reopen: return [.resolved]
        }
    }
}
