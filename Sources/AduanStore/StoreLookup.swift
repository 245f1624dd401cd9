import AduanCore
import Foundation
import GRDB

/// The reads of one request, together on one connection and in one snapshot: a view needs the complaint, its photos
/// and its history. Each separate read is a hop to a reader thread and back, and a profile of the public view spent a
/// fifth of its time in those hops (futex, context switches). Every statement here is prepared once per connection:
/// GRDB's query builder compiled each one anew, running SQLite's authorizer over every column, another fifth.
/// Also what a write transaction looks up (a merge's target, the photos on file).
public struct StoreLookup {
    let db: Database

    /// The complaint with this ticket.
    public func callAsFunction(_ ticket: Ticket) throws -> Complaint? {
        try self.complaint(ticket: ticket, proof: nil)
    }

    /// The complaint with this ticket, if `proof` (when given) shows it is the reporter's.
    public func complaint(ticket: Ticket, proof: ReporterProof?) throws -> Complaint? {
        guard let proof else {
            return try ComplaintRecord.fetchOne(
                self.db.cachedStatement(sql: "SELECT * FROM complaint WHERE ticket = ?"), arguments: [ticket.rawValue]
            )?.complaint
        }
        let (condition, value) = proof.sql
        return try ComplaintRecord.fetchOne(
            self.db.cachedStatement(sql: "SELECT * FROM complaint WHERE ticket = ? AND \(condition)"), arguments: [ticket.rawValue, value]
        )?.complaint
    }

    /// A complaint's photos, in the order they came.
    public func photos(complaintID: Int64) throws -> [StoredPhoto] {
        try PhotoRecord.fetchAll(
            self.db.cachedStatement(sql: "SELECT * FROM photo WHERE complaint_id = ? ORDER BY id"), arguments: [complaintID]
        ).map(\.stored)
    }

    /// The complaint's own photos, with `otherEvidence` (read before the transaction: see `evidence(since:)`).
    public func photosOnFile(for complaint: Complaint, otherEvidence: [PhotoFingerprint] = []) throws -> PhotosOnFile {
        PhotosOnFile(complaintPhotos: try self.photos(complaintID: complaint.id), otherEvidence: otherEvidence)
    }

    /// The newest `limit` events of a complaint before event `before` (all when nil), oldest first; only those shown to
    /// the reporter when `reporterOnly`.
    public func history(complaintID: Int64, reporterOnly: Bool, before: Int64? = nil, limit: Int = Store.historyPageSize) throws
        -> HistoryPage
    {
        var sql = "SELECT * FROM complaint_event WHERE complaint_id = ?"
        var arguments: StatementArguments = [complaintID]
        if reporterOnly { sql += " AND visible_to_reporter = 1" }
        if let before {
            sql += " AND id < ?"
            arguments += [before]
        }
        sql += " ORDER BY id DESC LIMIT ?"
        arguments += [limit + 1]
        let rows = try Row.fetchAll(self.db.cachedStatement(sql: sql), arguments: arguments)
        let kept = rows.prefix(limit)
        let events = try kept.reversed().map { try ComplaintEventRecord(row: $0).event }
        return HistoryPage(events: events, olderBefore: rows.count > limit ? kept.last?["id"] : nil)
    }

    /// The members with these ids, for naming the actors of an audit log.
    public func staffMembers(ids: Set<Int64>) throws -> [Int64: StaffMember] {
        guard !ids.isEmpty else { return [:] }
        // One statement for any number of ids: they come as a JSON array.
        let members = try StaffRecord.fetchAll(
            self.db.cachedStatement(sql: "SELECT * FROM staff WHERE id IN (SELECT value FROM json_each(?))"),
            arguments: ["[" + ids.map(String.init).joined(separator: ",") + "]"])
        return Dictionary(uniqueKeysWithValues: members.map { ($0.member.id, $0.member) })
    }
}

extension Store {
    /// Runs `reads` on one reader connection, in one snapshot of the database.
    public func lookUp<T: Sendable>(_ reads: @escaping @Sendable (StoreLookup) throws -> T) async throws -> T {
        try await self.writer.read { db in try reads(StoreLookup(db: db)) }
    }
}

extension ReporterProof {
    /// The proof as a condition on a complaint row, with its one argument.
    var sql: (condition: String, value: any DatabaseValueConvertible) {
        switch self {
        case .trackingToken(let hash): return ("tracking_token_hash = ?", hash)
        case .account(let id): return ("citizen_id = ?", id)
        case .apiKey(let id): return ("id IN (SELECT complaint_id FROM open311_request WHERE api_key_id = ?)", id)
        }
    }

    var condition: SQLExpression {
        let (condition, value) = self.sql
        return SQL(sql: condition, arguments: [value]).sqlExpression
    }
}
