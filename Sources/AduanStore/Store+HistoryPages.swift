import AduanCore
import Foundation
import GRDB

/// A page of a complaint's history: the newest events (before a cursor), oldest first, and whether older ones exist.
public struct HistoryPage: Sendable {
    public let events: [ComplaintEvent]
    /// The id of the oldest event shown, when there are older ones: the cursor for the page before.
    public let olderBefore: Int64?
}

extension Store {
    /// The most events a view shows at once; a longer history is paged, never loaded whole.
    public static let historyPageSize = 100

    /// The newest `limit` events of a complaint before event `before` (all when nil); only those shown to the reporter
    /// when `reporterOnly`.
    public func history(complaintID: Int64, reporterOnly: Bool, before: Int64? = nil, limit: Int = Store.historyPageSize)
        async throws -> HistoryPage
    {
        try await self.writer.read { db in
            var request = ComplaintEventRecord.filter(ComplaintEventRecord.Columns.complaintID == complaintID)
            if reporterOnly { request = request.filter(ComplaintEventRecord.Columns.visibleToReporter == true) }
            if let before { request = request.filter(ComplaintEventRecord.Columns.id < before) }
            let rows = try Row.fetchAll(
                db, request.select(AllColumns()).order(ComplaintEventRecord.Columns.id.desc).limit(limit + 1))
            let kept = rows.prefix(limit)
            let events = try kept.reversed().map { try ComplaintEventRecord(row: $0).event }
            return HistoryPage(events: events, olderBefore: rows.count > limit ? kept.last?["id"] : nil)
        }
    }
}

extension StoreLookup {
    /// How many comments the reporter has written on this complaint since `since`, and when the oldest of them was.
    public func reporterComments(complaintID: Int64, since: Date) throws -> (count: Int, oldest: Date?) {
        let row = try Row.fetchOne(
            self.db,
            sql: """
                SELECT count(*) AS n, min(at) AS oldest FROM complaint_event
                WHERE complaint_id = ? AND kind = 'comment' AND actor_kind = 'citizen' AND at >= ?
                """, arguments: [complaintID, DatabaseTimestamp.string(since)])
        return (row?["n"] ?? 0, (row?["oldest"] as String?).flatMap(DatabaseTimestamp.date))
    }
}
