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
                db.cachedStatement(sql: "SELECT request_hash, complaint_id, masked_token FROM idempotency_key WHERE key_hash = ?"),
                arguments: [idempotency.keyHash])
        {
            guard (earlier["request_hash"] as String) == idempotency.requestHash else { throw StoreError.idempotencyKeyReused }
            let record = try ComplaintRecord.fetchOne(db, key: earlier["complaint_id"] as Int64)
            // The foreign key guarantees the complaint exists.
            return .replayed(record!.complaint, maskedToken: Array(earlier["masked_token"] as Data))
        }
        let complaint = submission.complaint
        let sequence = try Int.fetchOne(
            db.cachedStatement(
                sql: """
                INSERT INTO ticket_counter (period, last_sequence) VALUES (?, 1)
                ON CONFLICT (period) DO UPDATE SET last_sequence = last_sequence + 1
                RETURNING last_sequence
                """), arguments: [complaint.ticketPeriod])!
        let ticket = Ticket(period: complaint.ticketPeriod, sequence: sequence)
        let created = DatabaseTimestamp.string(complaint.createdAt)
        try db.cachedStatement(
            sql: """
                INSERT INTO complaint (ticket, category, description, region, lat, lng, address, reporter_name,
                    reporter_phone, visibility, anonymous, status, opd, routing_rule, response_due_at, resolution_due_at,
                    response_at_risk_at, resolution_at_risk_at, tracking_token_hash, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            ticket.rawValue, complaint.category, complaint.description, complaint.region.rawValue, complaint.location?.lat,
            complaint.location?.lng, complaint.address, complaint.reporter.name, complaint.reporter.phone,
            complaint.visibility.rawValue, complaint.anonymous, ComplaintStatus.submitted.rawValue, complaint.opd,
            complaint.routingRule, DatabaseTimestamp.string(complaint.responseDueAt),
            DatabaseTimestamp.string(complaint.resolutionDueAt), DatabaseTimestamp.string(complaint.responseAtRiskAt),
            DatabaseTimestamp.string(complaint.resolutionAtRiskAt), submission.trackingTokenHash, created, created,
        ])
        let id = db.lastInsertedRowID
        let events = [
            ComplaintEvent(
                kind: .submitted, actorKind: .citizen, actorID: nil, at: complaint.createdAt, visibleToReporter: true,
                details: ["category": complaint.category, "region": complaint.region.rawValue]),
            ComplaintEvent(
                kind: .routed, actorKind: .system, actorID: nil, at: complaint.createdAt, visibleToReporter: true,
                details: ["opd": complaint.opd, "rule": complaint.routingRule]),
        ]
        for event in events { try Self.append(event, to: id, db) }
        if let idempotency = submission.idempotency {
            try db.execute(
                sql: """
                    INSERT INTO idempotency_key (key_hash, request_hash, complaint_id, masked_token, created_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [idempotency.keyHash, idempotency.requestHash, id, Data(idempotency.maskedToken), created])
        }
        return .created(
            Complaint(
                id: id, ticket: ticket, category: complaint.category, description: complaint.description,
                region: complaint.region, location: complaint.location, address: complaint.address,
                reporter: complaint.reporter, visibility: complaint.visibility, anonymous: complaint.anonymous,
                routingRule: complaint.routingRule, createdAt: complaint.createdAt,
                state: ComplaintState(
                    status: .submitted, opd: complaint.opd, responseDueAt: complaint.responseDueAt,
                    resolutionDueAt: complaint.resolutionDueAt, responseAtRiskAt: complaint.responseAtRiskAt,
                    resolutionAtRiskAt: complaint.resolutionAtRiskAt, updatedAt: complaint.createdAt)))
    }

    /// Appends one event to a complaint's history (the table refuses anything but appends).
    static func append(_ event: ComplaintEvent, to complaintID: Int64, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO complaint_event (complaint_id, kind, actor_kind, actor_id, at, visible_to_reporter, details)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            complaintID, event.kind.rawValue, event.actorKind.rawValue, event.actorID, DatabaseTimestamp.string(event.at),
            event.visibleToReporter, DetailsJSON.encode(event.details),
        ])
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
