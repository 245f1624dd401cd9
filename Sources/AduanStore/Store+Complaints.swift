import AduanCore
import Foundation
import GRDB

/// The result of filing: a new complaint, or the one an earlier request with the same Idempotency-Key made.
public enum SubmissionOutcome: Sendable {
    case created(Complaint)
    case replayed(Complaint, maskedToken: [UInt8])
}

extension Store {
    // MARK: - Writes

    /// Files a complaint durably. On SQLite, concurrent calls share one transaction (group commit), each in its own
    /// savepoint so that one refused filing does not undo the others; a database server commits each in its own (and
    /// groups commits itself). Returns once the transaction has committed.
    public func file(_ filing: Filing) async throws -> SubmissionOutcome {
        if let batcher = self.batcher { return try await batcher.submit(filing) }
        let zone = self.counterZone
        let outcome = try await self.write { try Self.insert(filing, counting: zone, $0) }
        self.outboxBell.ring()
        self.batchObserver.committed(1)
        return outcome
    }

    /// Saves a filing as the domain decided it: the complaint with its next ticket number, its events and its
    /// Idempotency-Key, or the complaint an earlier filing with the same key made.
    /// `counting` is nil for a past history (the demo's), counted afterwards by `recount`.
    ///
    /// On several servers, the rows other filings also write are taken in one order (the key, the counters' rows, the
    /// month's ticket row, the outbox), so that two filings wait for each other instead of deadlocking. Every filing of a
    /// month waits for the ticket row from its number to its commit: on a database server the number is taken last
    /// (the row goes in under a provisional ticket, numbered just before the outbox), so that filings overlap in all
    /// but those few statements. SQLite's one writer numbers first and saves the update.
    static func insert(_ filing: Filing, announce: Bool = true, counting zone: CounterZone?, _ session: some SQLSession) throws
        -> SubmissionOutcome
    {
        if let idempotency = filing.idempotency {
            try session.serialize(on: .idempotencyKey(idempotency.keyHash))
            if let earlier = try session.fetchOne(
                "SELECT request_hash, complaint_id, masked_token, created_at FROM idempotency_key WHERE key_hash = ?", [idempotency.keyHash]
            ) {
                if (earlier["created_at"] as String) < DatabaseTimestamp.string(filing.complaint.createdAt - IdempotencyKey.lifetime) {
                    // Expired: the key is forgotten and files anew (the sweep would have removed it soon).
                    try session.execute("DELETE FROM idempotency_key WHERE key_hash = ?", [idempotency.keyHash])
                } else {
                    guard (earlier["request_hash"] as String) == idempotency.requestHash else { throw StoreError.idempotencyKeyReused }
                    // The foreign key guarantees the complaint exists.
                    let record = try session.fetchOne(
                        ComplaintRecord.self, "SELECT * FROM complaint WHERE id = ?", [earlier["complaint_id"] as Int64])
                    return .replayed(record!.complaint, maskedToken: Array(earlier["masked_token"] as Data))
                }
            }
        }
        let new = filing.complaint
        let numberLast = session.dialect == .postgres
        func numbered(_ ticket: Ticket, id: Int64) -> Complaint {
            Complaint(
                id: id, ticket: ticket, category: new.category, description: new.description, region: new.region,
                location: new.location, address: new.address, reporter: new.reporter, visibility: new.visibility,
                anonymous: new.anonymous, routingRule: new.routingRule, createdAt: new.createdAt, locationSource: new.locationSource,
                state: filing.state)
        }
        func nextTicket() throws -> Ticket {
            Ticket(period: new.ticketPeriod, sequence: try TicketNumbers.next(period: new.ticketPeriod, session))
        }
        // A provisional ticket matches the ticket's CHECK (four digits, a dash, five digits, then anything) and no real one.
        let first = numberLast ? Ticket("0000-00000-" + UUID().uuidString) : try nextTicket()
        var complaint = try ComplaintRecord(numbered(first, id: 0), trackingTokenHash: filing.trackingTokenHash).insert(session)
        for event in filing.events { try Self.append(event, to: complaint.id, session) }
        for photo in filing.photos { try PhotoRecord(photo, complaintID: complaint.id).insert(session) }
        try Self.insertAttributes(new.attributes, of: complaint.id, session)
        if let client = filing.client { try Self.insertOpen311Request(client, of: complaint.id, session) }
        if let idempotency = filing.idempotency {
            try session.execute(
                """
                INSERT INTO idempotency_key (key_hash, request_hash, complaint_id, masked_token, created_at)
                VALUES (?, ?, ?, ?, ?)
                """,
                [
                    idempotency.keyHash, idempotency.requestHash, complaint.id, Data(idempotency.maskedToken),
                    DatabaseTimestamp.string(new.createdAt),
                ])
        }
        if let zone {
            try Self.count(filing.events, of: CounterCursor(filing: complaint), closingBefore: new.createdAt, zone, session)
        }
        if numberLast {
            let ticket = try nextTicket()
            try session.execute("UPDATE complaint SET ticket = ? WHERE id = ?", [ticket.rawValue, complaint.id])
            complaint = numbered(ticket, id: complaint.id)
        }
        // Last: the outbox is taken in turns until the commit (`SerialKey.outbox`).
        if announce { try Self.announce(Announcement.of(filing.events, before: nil, after: filing.state), of: complaint, session) }
        return .created(complaint)
    }

    /// Forgets the Idempotency-Keys older than their lifetime; returns how many.
    @discardableResult
    public func forgetExpiredIdempotencyKeys(now: Date) async throws -> Int {
        try await self.write { session in
            try session.fetchAll(
                "DELETE FROM idempotency_key WHERE created_at < ? RETURNING key_hash",
                [DatabaseTimestamp.string(now - IdempotencyKey.lifetime)]
            ).count
        }
    }

    /// The reporter turns messages about their complaint on or off; nil when the proof does not show it is theirs.
    public func setNotifyReporter(ticket: Ticket, proof: ReporterProof, _ notify: Bool) async throws -> Complaint? {
        try await self.write { session in
            let (condition, value) = proof.sql
            return try session.fetchOne(
                ComplaintRecord.self, "UPDATE complaint SET notify_reporter = ? WHERE ticket = ? AND \(condition) RETURNING *",
                [notify, ticket.rawValue, value]
            )?.complaint
        }
    }

    /// Appends one event to a complaint's history (the table refuses anything but appends).
    static func append(_ event: ComplaintEvent, to complaintID: Int64, _ session: some SQLSession) throws {
        try ComplaintEventRecord(event, complaintID: complaintID).insert(session)
    }

    // MARK: - Reads

    public func complaint(ticket: Ticket) async throws -> Complaint? {
        try await self.lookUp { try $0(ticket) }
    }

    /// The history of a complaint, oldest first.
    public func events(complaintID: Int64) async throws -> [ComplaintEvent] {
        try await self.read { session in
            try session.fetchAll(
                ComplaintEventRecord.self, "SELECT * FROM complaint_event WHERE complaint_id = ? ORDER BY id", [complaintID]
            )
            .map(\.event)
        }
    }

    public func complaintCount() async throws -> Int {
        try await self.read { session in try session.value(Int.self, "SELECT count(*) FROM complaint") ?? 0 }
    }
}
