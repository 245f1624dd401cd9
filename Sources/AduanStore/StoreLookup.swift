import AduanCore
import Foundation
import GRDB

/// The reads of one request, together on one connection and in one snapshot: a view needs the complaint, its photos
/// and its history. Each separate read is a hop to a reader thread and back, and a profile of the public view spent a
/// fifth of its time in those hops (futex, context switches). Every statement here is prepared once per connection:
/// GRDB's query builder compiled each one anew, running SQLite's authorizer over every column, another fifth.
/// Also what a write transaction looks up (a merge's target, the photos on file).
public struct StoreLookup {
    let session: any SQLSession

    /// The complaint with this ticket.
    public func callAsFunction(_ ticket: Ticket) throws -> Complaint? {
        try self.complaint(ticket: ticket, proof: nil)
    }

    /// The complaint with this ticket, if `proof` (when given) shows it is the reporter's.
    public func complaint(ticket: Ticket, proof: ReporterProof?) throws -> Complaint? {
        try Self.complaint(ticket: ticket, proof: proof, self.session)
    }

    /// The complaint with this ticket (and `proof`); `forUpdate`: locked until the transaction ends, so that a change
    /// on another server waits for this one and then decides from what it made.
    static func complaint(ticket: Ticket, proof: ReporterProof?, forUpdate: Bool = false, _ session: some SQLSession) throws -> Complaint? {
        var sql = "SELECT * FROM complaint WHERE ticket = ?"
        var arguments: [(any DatabaseValueConvertible)?] = [ticket.rawValue]
        if let proof {
            let (condition, value) = proof.sql
            sql += " AND \(condition)"
            arguments.append(value)
        }
        if forUpdate { sql += session.dialect.forUpdate }
        return try session.fetchOne(ComplaintRecord.self, sql, arguments)?.complaint
    }

    /// A complaint's photos, in the order they came.
    public func photos(complaintID: Int64) throws -> [StoredPhoto] {
        try self.session.fetchAll(PhotoRecord.self, "SELECT * FROM photo WHERE complaint_id = ? ORDER BY id", [complaintID]).map(\.stored)
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
        var arguments: [(any DatabaseValueConvertible)?] = [complaintID]
        if reporterOnly { sql += " AND visible_to_reporter = 1" }
        if let before {
            sql += " AND id < ?"
            arguments.append(before)
        }
        sql += " ORDER BY id DESC LIMIT ?"
        arguments.append(limit + 1)
        let rows = try self.session.fetchAll(sql, arguments)
        let kept = rows.prefix(limit)
        let events = try kept.reversed().map { try ComplaintEventRecord(row: $0).event }
        return HistoryPage(events: events, olderBefore: rows.count > limit ? kept.last?["id"] : nil)
    }

    /// The members with these ids, for naming the actors of an audit log.
    public func staffMembers(ids: Set<Int64>) throws -> [Int64: StaffMember] {
        guard !ids.isEmpty else { return [:] }
        // One statement for any number of ids: they come as a JSON array.
        let members = try self.session.fetchAll(
            StaffRecord.self, "SELECT * FROM staff WHERE \(self.session.dialect.inIDs)", [SQLDialect.idArray(ids)])
        return Dictionary(uniqueKeysWithValues: members.map { ($0.member.id, $0.member) })
    }
}

extension Store {
    /// Runs `reads` on one reader connection, in one snapshot of the database.
    public func lookUp<T: Sendable>(_ reads: @escaping @Sendable (StoreLookup) throws -> T) async throws -> T {
        try await self.read { session in try reads(StoreLookup(session: session)) }
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
