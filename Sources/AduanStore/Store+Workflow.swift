import AduanCore
import Foundation
import GRDB

/// Which complaints a queue lists, and from where (an opaque cursor is a position in the order).
public struct QueueQuery: Sendable {
    /// Only this office's complaints and those escalated to it; nil for the whole province.
    public var opd: String?
    /// Nil for the open statuses (the work still to do).
    public var statuses: [ComplaintStatus]?
    public var category: String?
    /// This region or any inside it.
    public var region: RegionCode?
    /// At risk on some clock and breached on none.
    public var atRisk = false
    /// Breached on some clock.
    public var breached = false
    /// Resolutions whose flagged evidence awaits a supervisor (only resolved complaints have one).
    public var needsValidation = false
    public var limit = 50
    /// Nearest deadline first (the default), or most supported first.
    public var order = QueueOrder.deadline
    /// Where the page starts: a deadline position, or, for `.support`, a support position.
    public var after: QueuePosition?
    public var afterSupport: SupportPosition?

    public init(opd: String? = nil) { self.opd = opd }
}

/// The orders of a queue.
public enum QueueOrder: String, Sendable, CaseIterable {
    case deadline, support
}

/// A place in the most-supported order: the support count, then the id (both descending). Counts move between pages,
/// so a complaint supported meanwhile may show twice or not at all: this order is for a glance, the deadline order for
/// working through the queue.
public struct SupportPosition: Sendable, Hashable {
    public let supportCount: Int
    public let id: Int64
    public init(supportCount: Int, id: Int64) {
        self.supportCount = supportCount
        self.id = id
    }
}

/// A place in the queue's order: the next deadline, then the id.
public struct QueuePosition: Sendable, Hashable {
    public let nextDueAt: Date
    public let id: Int64
    public init(nextDueAt: Date, id: Int64) {
        self.nextDueAt = nextDueAt
        self.id = id
    }
}

extension Store {
    // MARK: - Writes

    /// Runs `decide` on the complaint with this ticket inside one write transaction and stores the transition it
    /// returns: the new state, its events and its photos commit together or not at all. `decide` gets a lookup for
    /// other complaints (a merge's target) and for the photos on file. Returns nil when there is no such complaint, or,
    /// with `proof`, when it is not that reporter's.
    public func update(
        ticket: Ticket, proof: ReporterProof? = nil,
        _ decide: @escaping @Sendable (_ complaint: Complaint, _ lookup: StoreLookup) throws -> Transition
    ) async throws -> Complaint? {
        try await self.updateRecordingEvents(ticket: ticket, proof: proof, decide)?.complaint
    }

    /// `update`, also returning the ids the transition's events were stored under (an Open311 update's id).
    public func updateRecordingEvents(
        ticket: Ticket, proof: ReporterProof? = nil,
        _ decide: @escaping @Sendable (_ complaint: Complaint, _ lookup: StoreLookup) throws -> Transition
    ) async throws -> (complaint: Complaint, eventIDs: [Int64])? {
        let zone = self.counterZone
        let updated = try await self.write { session -> (Complaint, [Int64])? in
            // Locked: a change racing this one on another server waits, then decides from this one's result (and is
            // refused as on one server, a 409).
            guard var complaint = try StoreLookup.complaint(ticket: ticket, proof: proof, forUpdate: true, session) else { return nil }
            let transition = try decide(complaint, StoreLookup(session: session))
            try Self.apply(transition, to: complaint, counting: zone, session)
            complaint.state = transition.state
            // Inside the write transaction, the complaint's newest events are this transition's.
            let ids = try session.values(
                Int64.self, "SELECT id FROM complaint_event WHERE complaint_id = ? ORDER BY id DESC LIMIT ?",
                [complaint.id, transition.events.count])
            return (complaint, ids.reversed())
        }
        self.outboxBell.ring()
        return updated
    }

    /// What one pass of the SLA monitor did.
    public struct SweepOutcome: Sendable {
        /// Complaints changed.
        public var changed = 0
        /// The longest the pass held the write lock at once (one batch's transaction).
        public var longestHold: Duration = .zero
    }

    /// How long one of the SLA monitor's transactions may hold the write lock before it commits what it has done.
    static let sweepHold: Duration = .milliseconds(20)

    /// The earliest SLA mark a complaint with a running clock waits for (`complaint_next_sla_mark`,
    /// aduan_0011_counters.sql, spells it the same, so that a pass reads that index's due entries only).
    static let nextSLAMark = """
        min(CASE WHEN responded_at IS NOT NULL THEN '9' WHEN response_sla = 'on_time' THEN COALESCE(response_at_risk_at, response_due_at) \
        WHEN response_sla = 'at_risk' THEN response_due_at ELSE '9' END, CASE WHEN resolved_at IS NOT NULL THEN '9' \
        WHEN resolution_sla = 'on_time' THEN COALESCE(resolution_at_risk_at, resolution_due_at) WHEN resolution_sla = 'at_risk' \
        THEN resolution_due_at ELSE '9' END)
        """

    /// The complaints one pass at `now` has to look at: a running clock's next mark reached, or a resolution's
    /// confirmation window over. Both read an index's due entries, so a pass with nothing due costs two seeks (named on
    /// SQLite, because without statistics it would pick the status index and read every open complaint). Its
    /// arguments: now, and the end of the confirmation window.
    static func dueForSweep(_ dialect: SQLDialect) -> String {
        // PostgreSQL's index spells the scalar min as LEAST (aduan_0011_baseline.sql).
        let mark = dialect == .sqlite ? nextSLAMark : "LEAST" + nextSLAMark.dropFirst("min".count)
        return """
            SELECT id FROM complaint \(dialect.indexedBy("complaint_next_sla_mark"))
            WHERE status IN (\(ComplaintStatus.sqlList(ComplaintStatus.clockRunning))) AND \(mark) <= ?
            UNION SELECT id FROM complaint \(dialect.indexedBy("complaint_confirmation_start"))
            WHERE status = '\(ComplaintStatus.resolved.rawValue)' AND resolution_review IS DISTINCT FROM 'pending'
                AND COALESCE(resolution_reviewed_at, resolved_at) <= ?
            ORDER BY id
            """
    }

    /// One pass of the SLA monitor: every complaint with a threshold or a confirmation window behind it at `now` is
    /// given to `plan`, and what it returns is stored, in batches of short transactions so that filing never waits
    /// long. On several servers, one at a time makes a pass; the others skip theirs.
    public func sweep(
        now: Date, closeResolvedBefore: Date, _ plan: @escaping @Sendable (Complaint) -> Transition?
    ) async throws -> SweepOutcome {
        try await self.exclusively(.slaMonitor) { try await self.sweepPass(now: now, closeResolvedBefore: closeResolvedBefore, plan) }
            ?? SweepOutcome()
    }

    private func sweepPass(
        now: Date, closeResolvedBefore: Date, _ plan: @escaping @Sendable (Complaint) -> Transition?
    ) async throws -> SweepOutcome {
        let arguments = [DatabaseTimestamp.string(now), DatabaseTimestamp.string(closeResolvedBefore)]
        let due = try await self.read { session in try session.values(Int64.self, Self.dueForSweep(session.dialect), arguments) }
        var outcome = SweepOutcome()
        let zone = self.counterZone
        var next = 0
        while next < due.count {
            let batch = Array(due[next..<min(next + 200, due.count)])
            let clock = ContinuousClock()
            // Not fsynced on its own: a pass lost to a power cut is done again by the next (its marks, events and counts
            // commit together, and a mark is dated at its deadline whenever it is made).
            let (last, changed, began) = try await self.relaxedWrite { session -> (Int64, Int, ContinuousClock.Instant) in
                // The hold starts here, once the writer is ours (not while waiting behind a group commit).
                let began = clock.now
                var last: Int64 = 0
                var count = 0
                // Each is looked at as it stands now (locked on a database server, where staff may be changing it);
                // `plan` returns nil if nothing is due any more. The transaction ends once it has held the write lock
                // for `sweepHold`, so that filings never wait longer.
                let records = try session.fetchAll(
                    ComplaintRecord.self,
                    "SELECT * FROM complaint WHERE \(session.dialect.inIDs) ORDER BY id" + session.dialect.forUpdate,
                    [SQLDialect.idArray(batch)])
                for record in records {
                    let complaint = record.complaint
                    last = complaint.id
                    if let transition = plan(complaint) {
                        try Self.apply(transition, to: complaint, counting: zone, session)
                        count += 1
                    }
                    if clock.now - began > Self.sweepHold { break }
                }
                return (last, count, began)
            }
            // On after the last one looked at (all of the batch unless the hold ran out).
            next = max(next + 1, due[next...].firstIndex { $0 > last } ?? due.count)
            // The hold: the transaction, its commit, and the hop back here.
            outcome.longestHold = max(outcome.longestHold, clock.now - began)
            outcome.changed += changed
            if changed > 0 { self.outboxBell.ring() }
        }
        return outcome
    }

    /// Stores a transition of `complaint` (as it was before): its state, events, photos and announcements.
    /// `counting` is nil for a past history (the demo's), counted afterwards by `recount`.
    static func apply(
        _ transition: Transition, to complaint: Complaint, announce: Bool = true, counting zone: CounterZone?, _ session: some SQLSession
    ) throws {
        let complaintID = complaint.id
        if let zone {
            try Self.count(transition.events, of: CounterCursor(complaint), closingBefore: transition.state.updatedAt, zone, session)
        }
        try ComplaintRecord.update(transition.state, id: complaintID, session)
        for event in transition.events { try Self.append(event, to: complaintID, session) }
        for photo in transition.photos { try PhotoRecord(photo, complaintID: complaintID).insert(session) }
        for (id, event) in transition.relatedEvents { try Self.append(event, to: id, session) }
        if let target = transition.state.mergedInto, complaint.state.mergedInto == nil {
            try Self.carrySupport(from: complaint, into: target, at: transition.state.updatedAt, session)
        }
        // Last: the outbox is taken in turns until the commit (`SerialKey.outbox`).
        if announce {
            try Self.announce(Announcement.of(transition.events, before: complaint.state, after: transition.state), of: complaint, session)
        }
    }

    // MARK: - Reads

    /// A page of a queue, ordered by the nearest deadline (response while unanswered, else resolution).
    public func queue(_ query: QueueQuery) async throws -> [Complaint] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        conditions.append("status IN (\(ComplaintStatus.sqlList(query.statuses.map(Set.init) ?? ComplaintStatus.open)))")
        if let opd = query.opd {
            conditions.append("(opd = ? OR escalated_to = ?)")
            arguments += [opd, opd]
        }
        if let category = query.category {
            conditions.append("category = ?")
            arguments.append(category)
        }
        if let region = query.region {
            conditions.append("(region = ? OR region LIKE ?)")
            arguments += [region.rawValue, region.rawValue + ".%"]
        }
        if query.atRisk {
            conditions.append(
                "(response_sla = 'at_risk' OR resolution_sla = 'at_risk') AND response_sla <> 'breached' AND resolution_sla <> 'breached'")
        }
        if query.breached { conditions.append("(response_sla = 'breached' OR resolution_sla = 'breached')") }
        if query.needsValidation { conditions.append("resolution_review = 'pending'") }
        let nextDue = "(CASE WHEN responded_at IS NULL THEN response_due_at ELSE resolution_due_at END)"
        let order: String
        let index: String?
        switch query.order {
        case .deadline:
            if let after = query.after {
                let due = DatabaseTimestamp.string(after.nextDueAt)
                conditions.append("(\(nextDue) > ? OR (\(nextDue) = ? AND id > ?))")
                arguments += [due, due, after.id]
            }
            order = "\(nextDue), id"
            // The default (open) queue walks complaint_open_next_due (aduan_0002_triage.sql) in order and stops after a
            // page; its expression and status list are the ones above, character for character.
            index = query.statuses == nil ? "complaint_open_next_due" : nil
        case .support:
            if let after = query.afterSupport {
                // A row value, so that the page starts by a seek in the index rather than a walk from its top.
                conditions.append("(support_count, id) < (?, ?)")
                arguments += [after.supportCount, after.id]
            }
            order = "support_count DESC, id DESC"
            // Likewise complaint_open_support (aduan_0007_citizens.sql).
            index = query.statuses == nil ? "complaint_open_support" : nil
        }
        let condition = conditions.joined(separator: " AND ")
        let sql = { @Sendable (dialect: SQLDialect) in
            "SELECT * FROM complaint \(index.map(dialect.indexedBy) ?? "") WHERE \(condition) ORDER BY \(order) LIMIT ?"
        }
        arguments.append(query.limit)
        let values = arguments.map { $0?.databaseValue ?? .null }
        return try await self.read { session in
            // Cached on SQLite: a queue's few shapes of query are compiled once per connection, not per page.
            try session.fetch(ComplaintRecord.self, sql(session.dialect), values: values).map(\.complaint)
        }
    }
}
