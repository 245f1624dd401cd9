import AduanCore
import Foundation
import GRDB

/// A page of a complaint's history: the newest events (before a cursor), oldest first, and whether older ones exist.
public struct HistoryPage: Sendable {
    public let events: [ComplaintEvent]
    /// The id of the oldest event shown, when there are older ones: the cursor for the page before.
    public let olderBefore: Int64?
}

/// A page of a complaint's audit log: its history, with the staff members who acted in it.
public struct AuditPage: Sendable {
    public let history: HistoryPage
    public let actors: [Int64: StaffMember]
}

extension Store {
    /// The most events a view shows at once; a longer history is paged, never loaded whole.
    public static let historyPageSize = 100

    /// The newest `limit` events of a complaint before event `before` (see `StoreLookup.history`).
    public func history(complaintID: Int64, reporterOnly: Bool, before: Int64? = nil, limit: Int = Store.historyPageSize)
        async throws -> HistoryPage
    {
        try await self.lookUp { try $0.history(complaintID: complaintID, reporterOnly: reporterOnly, before: before, limit: limit) }
    }
}

extension StoreLookup {
    /// A page of the audit log: every event (before `before`), and the members who acted in them.
    public func audit(complaintID: Int64, before: Int64? = nil) throws -> AuditPage {
        let history = try self.history(complaintID: complaintID, reporterOnly: false, before: before)
        let ids = Set(history.events.compactMap { $0.actorKind == .staff ? $0.actorID.flatMap { Int64($0) } : nil })
        return AuditPage(history: history, actors: try self.staffMembers(ids: ids))
    }

    /// How many comments the reporter has written on this complaint since `since`, and when the oldest of them was.
    public func reporterComments(complaintID: Int64, since: Date) throws -> (count: Int, oldest: Date?) {
        let row = try self.session.fetchOne(
            """
            SELECT count(*) AS n, min(at) AS oldest FROM complaint_event
            WHERE complaint_id = ? AND kind = 'comment' AND actor_kind = 'citizen' AND at >= ?
            """, [complaintID, DatabaseTimestamp.string(since)])
        return (row?["n"] ?? 0, (row?["oldest"] as String?).flatMap(DatabaseTimestamp.date))
    }
}
