import Foundation

/// An event announced outside Aduan: to the offices' own systems (webhooks) and, for some, to the reporter. It is
/// derived from the events a change records, and stored in the outbox in the same transaction, so that a change that
/// commits is always announced and one that does not never is.
public struct Announcement: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case filed = "complaint.filed"
        case forwarded = "complaint.forwarded"
        case accepted = "complaint.accepted"
        case waitingForReporter = "complaint.waiting_for_reporter"
        case reporterReplied = "complaint.reporter_replied"
        case resolved = "complaint.resolved"
        case resolutionValidated = "complaint.resolution_validated"
        case resolutionRejected = "complaint.resolution_rejected"
        case rejected = "complaint.rejected"
        case closed = "complaint.closed"
        case reopened = "complaint.reopened"
        case atRisk = "complaint.at_risk"
        case breached = "complaint.breached"
        case escalated = "complaint.escalated"
        case merged = "complaint.merged"
    }

    public let kind: Kind
    public let at: Date
    /// The complaint's status and handling office once this event happened.
    public internal(set) var status: ComplaintStatus
    public let opd: String
    /// The offices this event concerns: the handling office, the office a breach went to, and a forward's sender.
    public let offices: [String]
    /// The event's own fields (a note, a reason, a clock and its deadline...).
    public var fields: [String: String]

    public init(kind: Kind, at: Date, status: ComplaintStatus, opd: String, offices: [String], fields: [String: String]) {
        self.kind = kind
        self.at = at
        self.status = status
        self.opd = opd
        self.offices = offices
        self.fields = fields
    }

    /// The announcements of a change: `events` in the order recorded, from the state `before` (nil for a filing) to
    /// `after`. Internal steps (a staff comment, the office's own photos) announce nothing on their own.
    public static func of(_ events: [ComplaintEvent], before: ComplaintState?, after: ComplaintState) -> [Announcement] {
        var status = before?.status ?? after.status
        var opd = before?.opd ?? after.opd
        var escalatedTo = before?.escalatedTo
        var pendingRating: [String: String] = [:]
        var out: [Announcement] = []
        func announce(_ kind: Kind, _ event: ComplaintEvent, _ fields: [String: String], also extra: String? = nil) {
            var offices = [opd]
            for office in [escalatedTo, extra] { if let office, !office.isEmpty, !offices.contains(office) { offices.append(office) } }
            var fields = fields
            fields["actor"] = event.actorKind.rawValue
            out.append(Announcement(kind: kind, at: event.at, status: status, opd: opd, offices: offices, fields: fields))
        }
        for event in events {
            let details = event.details
            switch event.kind {
            case .submitted:
                // The category, region and office are the body's own fields; the routing rule says why this office.
                let rule = events.first(where: { $0.kind == .routed })?.details["rule"]
                announce(.filed, event, rule.map { ["rule": $0] } ?? [:])
            case .routed:
                break
            case .forwarded:
                let from = details["from"] ?? opd
                opd = details["to"] ?? opd
                announce(.forwarded, event, details.filter { ["from", "to"].contains($0.key) }, also: from)
            case .statusChanged:
                let reason = details["reason"]
                status = details["to"].flatMap(ComplaintStatus.init(rawValue:)) ?? status
                switch status {
                case .inProgress where reason == nil: announce(.accepted, event, Self.pick(details, "note"))
                case .inProgress where reason == "reporter_replied":
                    // The reply was announced just before; it says where the reply left the complaint.
                    if let index = out.lastIndex(where: { $0.kind == .reporterReplied }) { out[index].status = status }
                case .waitingInfo: announce(.waitingForReporter, event, Self.pick(details, "question"))
                case .resolved: announce(.resolved, event, Self.pick(details, "note"))
                case .rejected: announce(.rejected, event, Self.pick(details, "reason"))
                case .closed: announce(.closed, event, Self.pick(details, "reason").merging(pendingRating) { $1 })
                case .reopened: announce(.reopened, event, Self.pick(details, "reason"))
                // A reply, a rejected resolution and a merge are announced by their own events.
                case .inProgress, .submitted, .duplicate: break
                }
            case .rating:
                pendingRating = Self.pick(details, "rating", "comment")
            case .comment where event.actorKind == .citizen:
                announce(.reporterReplied, event, Self.pick(details, "text"))
            case .comment:
                break
            case .evidence:
                switch details["review"] {
                case ResolutionReview.validated.rawValue: announce(.resolutionValidated, event, Self.pick(details, "note"))
                case "rejected": announce(.resolutionRejected, event, Self.pick(details, "reason"))
                case .some(let review):
                    // The resolution's photos and their verdict belong to the resolution announced just before.
                    if let index = out.lastIndex(where: { $0.kind == .resolved }) {
                        out[index].fields["review"] = review
                        out[index].fields["photos"] = details["photos"]
                    }
                case nil: break
                }
            case .merged:
                if let into = details["into"] { announce(.merged, event, ["into": into]) }
            case .slaAtRisk: announce(.atRisk, event, Self.pick(details, "clock", "due_at"))
            case .slaBreached: announce(.breached, event, Self.pick(details, "clock", "due_at"))
            case .escalated:
                let to = details["to_opd"].flatMap { $0.isEmpty ? nil : $0 }
                if let to { escalatedTo = to }
                announce(.escalated, event, Self.pick(details, "clock", "due_at", "to_opd", "to_role"), also: to)
            }
        }
        return out
    }

    static func pick(_ details: [String: String], _ keys: String...) -> [String: String] {
        details.filter { keys.contains($0.key) }
    }
}
