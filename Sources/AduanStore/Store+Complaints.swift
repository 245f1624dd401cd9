import AduanCore
import Foundation
import GRDB

/// A complaint to file, with its secrets already reduced to what is stored.
public struct Submission: Sendable {
    public let complaint: NewComplaint
    public let trackingTokenHash: String
    public let idempotency: Idempotency?

    /// What an Idempotency-Key leaves in the database.
    public struct Idempotency: Sendable {
        public let keyHash: String
        public let requestHash: String
        public let maskedToken: [UInt8]
        public init(keyHash: String, requestHash: String, maskedToken: [UInt8]) {
            self.keyHash = keyHash
            self.requestHash = requestHash
            self.maskedToken = maskedToken
        }
    }

    public init(complaint: NewComplaint, trackingTokenHash: String, idempotency: Idempotency?) {
        self.complaint = complaint
        self.trackingTokenHash = trackingTokenHash
        self.idempotency = idempotency
    }
}

/// The result of filing: a new complaint, or the one an earlier request with the same Idempotency-Key made.
public enum SubmissionOutcome: Sendable {
    case created(Complaint)
    case replayed(Complaint, maskedToken: [UInt8])
}

extension Store {
    // MARK: - Writes

    /// Files a complaint durably. Concurrent calls share one transaction (group commit), each in its own savepoint
    /// so that one refused submission does not undo the others. Returns once the transaction has committed.
    public func file(_ submission: Submission) async throws -> SubmissionOutcome {
        try await self.batcher.submit(submission)
    }

    static func insert(_ submission: Submission, _ db: Database) throws -> SubmissionOutcome {
        if let idempotency = submission.idempotency,
            let earlier = try Row.fetchOne(
                db, sql: "SELECT request_hash, complaint_id, masked_token FROM idempotency_key WHERE key_hash = ?",
                arguments: [idempotency.keyHash])
        {
            guard (earlier["request_hash"] as String) == idempotency.requestHash else { throw StoreError.idempotencyKeyReused }
            let record = try ComplaintRecord.fetchOne(db, key: earlier["complaint_id"] as Int64)
            // The foreign key guarantees the complaint exists.
            return .replayed(record!.complaint, maskedToken: Array(earlier["masked_token"] as Data))
        }
        let complaint = submission.complaint
        let sequence = try Int.fetchOne(
            db,
            sql: """
                INSERT INTO ticket_counter (period, last_sequence) VALUES (?, 1)
                ON CONFLICT (period) DO UPDATE SET last_sequence = last_sequence + 1
                RETURNING last_sequence
                """, arguments: [complaint.ticketPeriod])!
        let record = try ComplaintRecord(
            new: complaint, ticket: Ticket(period: complaint.ticketPeriod, sequence: sequence),
            trackingTokenHash: submission.trackingTokenHash
        ).inserted(db)
        let id = record.id!
        let events = [
            ComplaintEvent(
                kind: .submitted, actorKind: .citizen, actorID: nil, at: complaint.createdAt, visibleToReporter: true,
                details: ["category": complaint.category, "region": complaint.region.rawValue]),
            ComplaintEvent(
                kind: .routed, actorKind: .system, actorID: nil, at: complaint.createdAt, visibleToReporter: true,
                details: ["opd": complaint.opd, "rule": complaint.routingRule]),
        ]
        for event in events { try ComplaintEventRecord(complaintID: id, event: event).insert(db) }
        if let idempotency = submission.idempotency {
            try db.execute(
                sql: """
                    INSERT INTO idempotency_key (key_hash, request_hash, complaint_id, masked_token, created_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [idempotency.keyHash, idempotency.requestHash, id, Data(idempotency.maskedToken), complaint.createdAt])
        }
        return .created(record.complaint)
    }

    // MARK: - Reads

    public func complaint(ticket: Ticket) async throws -> Complaint? {
        try await self.writer.read { db in
            try ComplaintRecord.filter(Column("ticket") == ticket.rawValue).fetchOne(db)?.complaint
        }
    }

    /// The complaint if `trackingTokenHash` is its reporter's token, else nil.
    public func complaint(ticket: Ticket, trackingTokenHash: String) async throws -> Complaint? {
        try await self.writer.read { db in
            try ComplaintRecord
                .filter(Column("ticket") == ticket.rawValue && Column("tracking_token_hash") == trackingTokenHash)
                .fetchOne(db)?.complaint
        }
    }

    /// The history of a complaint, oldest first.
    public func events(complaintID: Int64) async throws -> [ComplaintEvent] {
        try await self.writer.read { db in
            try ComplaintEventRecord.filter(Column("complaint_id") == complaintID).order(Column("id")).fetchAll(db).map(\.event)
        }
    }

    public func complaintCount() async throws -> Int {
        try await self.writer.read { db in try ComplaintRecord.fetchCount(db) }
    }
}
