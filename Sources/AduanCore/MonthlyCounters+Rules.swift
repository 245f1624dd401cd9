import Foundation

/// What the counters must know of one complaint between two changes: the rules that turn its events into counts. The
/// same rules count a change as it is stored (the cursor made from the state before it) and replay a whole history
/// (the cursor walked from the filing), so the two always agree; a test holds them to it.
public struct CounterCursor: Sendable {
    public let complaintID: Int64
    public let area: String
    public let category: String
    public let createdAt: Date
    public private(set) var opd: String
    public private(set) var status: ComplaintStatus
    /// The office has answered (the response clock stopped).
    var responded: Bool
    /// The response clock's outcome is counted (answered, or its deadline passed).
    var responseDecided: Bool
    /// The current resolution cycle's outcome is counted.
    var resolutionDecided: Bool
    /// A resolution is given (the resolution clock stopped), and whether it waits for validation.
    var resolutionGiven: Bool
    var resolutionPending: Bool
    /// The deadlines that passed with the clock running, in this cycle: when a month-end replay asks what was overdue.
    var responseBreachedAt: Date?
    var resolutionBreachedAt: Date?

    /// A complaint about to be filed: its `routed` event names the office.
    public init(filing complaint: Complaint) {
        self.init(complaintID: complaint.id, region: complaint.region.rawValue, category: complaint.category, createdAt: complaint.createdAt)
    }

    /// A complaint before its first event, for a replay of its history.
    public init(complaintID: Int64, region: String, category: String, createdAt: Date) {
        self.complaintID = complaintID
        self.area = CounterKey.area(of: region)
        self.category = category
        self.createdAt = createdAt
        self.opd = ""
        self.status = .submitted
        self.responded = false
        self.responseDecided = false
        self.resolutionDecided = false
        self.resolutionGiven = false
        self.resolutionPending = false
    }

    /// A stored complaint, as its state stands before a change.
    public init(_ complaint: Complaint) {
        let state = complaint.state
        self.init(complaintID: complaint.id, region: complaint.region.rawValue, category: complaint.category, createdAt: complaint.createdAt)
        self.opd = state.opd
        self.status = state.status
        self.responded = state.respondedAt != nil
        self.responseDecided = self.responded || state.responseSLA == .breached
        self.resolutionGiven = state.resolvedAt != nil
        self.resolutionPending = state.resolutionReview == .pending
        self.resolutionDecided = state.resolutionSLA == .breached || (self.resolutionGiven && !self.resolutionPending)
        self.responseBreachedAt = state.responseSLA == .breached ? state.responseDueAt : nil
        self.resolutionBreachedAt = state.resolutionSLA == .breached ? state.resolutionDueAt : nil
    }

    /// Counts one change's events (those of one transaction, in order) into `sheet`.
    public mutating func count(_ events: [ComplaintEvent], months: inout CounterMonths, into sheet: inout CounterSheet) {
        var resolvedAt: Date?
        for event in events {
            let month = months.name(of: event.at)
            func add(_ field: CounterField, _ amount: Int = 1, office: String? = nil) {
                sheet.add(field, amount, at: CounterKey(month: month, opd: office ?? self.opd, area: self.area, category: self.category))
            }
            switch event.kind {
            case .routed:
                self.opd = event.details["opd"] ?? self.opd
                add(.received)
            case .forwarded:
                add(.forwarded, office: event.details["from"])
                self.opd = event.details["to"] ?? self.opd
            case .rating:
                add(.ratings)
                add(.ratingSum, Int(event.details["rating"] ?? "") ?? 0)
            case .slaBreached:
                if event.details["clock"] == SLAClock.response.rawValue {
                    if !self.responseDecided { add(.responseLate) }
                    self.responseDecided = true
                    self.responseBreachedAt = event.at
                } else {
                    if !self.resolutionDecided { add(.resolutionLate) }
                    self.resolutionDecided = true
                    self.resolutionBreachedAt = event.at
                }
            case .evidence:
                let office = event.details["opd"]
                switch event.details["review"] {
                case ResolutionReview.clean.rawValue?: add(.evidenceClean, office: office)
                case ResolutionReview.pending.rawValue?:
                    add(.evidenceFlagged, office: office)
                    self.resolutionPending = true
                case ResolutionReview.validated.rawValue?:
                    // A flagged resolution stands now: in time, unless its deadline passed while it waited.
                    if self.resolutionPending && !self.resolutionDecided { add(.resolutionInTime, office: office) }
                    self.resolutionPending = false
                    self.resolutionDecided = true
                case "rejected"?:
                    add(.resolutionsRejected, office: office)
                    self.resolutionPending = false
                    self.resolutionGiven = false
                default: break  // the reporter's own photos
                }
            case .statusChanged:
                guard let to = event.details["to"].flatMap(ComplaintStatus.init(rawValue:)) else { break }
                // The office's first change of status is its answer (accept, ask, reject, resolve, merge).
                if event.actorKind == .staff && !self.responded {
                    self.responded = true
                    if !self.responseDecided { add(.responseInTime) }
                    self.responseDecided = true
                }
                switch to {
                case .resolved:
                    add(.resolved)
                    self.resolutionGiven = true
                    resolvedAt = event.at
                case .rejected: add(.rejected)
                case .duplicate: add(.merged)
                case .reopened:
                    add(.reopened)
                    self.resolutionDecided = false
                    self.resolutionGiven = false
                    self.resolutionPending = false
                    self.resolutionBreachedAt = nil
                default: break
                }
                self.status = to
            default: break
            }
        }
        // A resolution stands unless its evidence waits for validation (known from the same change's evidence event).
        if let resolvedAt, !self.resolutionPending, !self.resolutionDecided {
            self.resolutionDecided = true
            sheet.add(
                .resolutionInTime, at: CounterKey(month: months.name(of: resolvedAt), opd: self.opd, area: self.area, category: self.category))
        }
    }

    /// How the complaint stands at a month's end, from what its history says: nil when it is not open then. A clock is
    /// overdue when its deadline passed while it ran and it has not stopped since (a pause keeps a passed deadline).
    public func standing(at end: Date) -> MonthEndStanding? {
        guard self.status.isOpen, self.createdAt < end else { return nil }
        var overdue: MonthEndStanding.Overdue?
        if !self.responded, let due = self.responseBreachedAt, due < end {
            overdue = .init(clock: .response, dueAt: due)
        } else if !self.resolutionGiven, let due = self.resolutionBreachedAt, due < end {
            overdue = .init(clock: .resolution, dueAt: due)
        }
        return MonthEndStanding(
            complaintID: self.complaintID, opd: self.opd, area: self.area, category: self.category, createdAt: self.createdAt,
            overdue: overdue)
    }
}
