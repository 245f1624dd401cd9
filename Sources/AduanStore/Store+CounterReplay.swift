import AduanCore
import Foundation
import GRDB

/// The counters as tables hold them: counts per key, and each closed month's most overdue.
public struct CounterTables: Sendable, Equatable {
    public var counts: [CounterKey: [Int]] = [:]
    /// Per closed month: (office, complaint id, clock, deadline), in the table's order.
    public var mostOverdue: [String: [MonthEndStanding]] = [:]
    public var closedMonths: [String] = []
}

extension Store {
    /// Counts the whole history again from the events, in one write transaction: after the demo writes its past
    /// histories, and when the counters' zone changes. The migration that adds the counters does the same.
    public func recountCounters(now: Date = Date()) async throws {
        let months = self.counterZone.months
        try await self.writer.write { db in try Self.recount(now: now, months: months, db) }
    }

    /// What a replay of the history gives, without storing it: for a test against what the changes wrote.
    public func replayCounters(now: Date) async throws -> CounterTables {
        let months = self.counterZone.months
        return try await self.writer.read { db in
            let (sheet, closes) = try Self.replay(now: now, months: months, db)
            var tables = CounterTables()
            var all = sheet
            for close in closes {
                all.add(close.counts)
                tables.mostOverdue[close.month] = close.mostOverdue
                tables.closedMonths.append(close.month)
            }
            tables.counts = all.counts
            return tables
        }
    }

    /// The counters as stored, read as the report reads them.
    public func counterTables() async throws -> CounterTables {
        try await self.writer.read { db in
            let source = ReportSource(db)
            var tables = CounterTables()
            let months = try String.fetchAll(db, sql: "SELECT DISTINCT month FROM report_counter")
            for (key, counts) in try source.counters(months: months, opd: nil) { tables.counts[key] = counts }
            tables.closedMonths = try String.fetchAll(db, sql: "SELECT month FROM report_month_end ORDER BY month")
            for month in tables.closedMonths { tables.mostOverdue[month] = try source.mostOverdue(month: month, opd: nil) }
            return tables
        }
    }

    /// Replaces the counters with a replay of the history up to `now`.
    static func recount(now: Date, months: CounterMonths, _ db: Database) throws {
        let (sheet, closes) = try Self.replay(now: now, months: months, db)
        try db.execute(sql: "DELETE FROM report_month_overdue; DELETE FROM report_month_end; DELETE FROM report_counter")
        for close in closes { try Self.recordClose(close, closedBy: "replay", at: now, db) }
        try Self.add(sheet, db)
    }

    /// Walks every complaint's history through the counters' rules (`CounterCursor`), and how each stood at the end
    /// of every month from the first filing's to the last one ended before `now`. Events are read in each complaint's
    /// order; those of one instant are counted together, as the change that wrote them was.
    static func replay(now: Date, months: CounterMonths, _ db: Database) throws -> (CounterSheet, [MonthEnd]) {
        var months = months
        var sheet = CounterSheet()
        guard let first = try String.fetchOne(db, sql: "SELECT min(created_at) FROM complaint").flatMap(DatabaseTimestamp.date) else {
            return (sheet, [])
        }
        // The month ends to stand complaints at: from the first filing's month to the last month over before now.
        var ends: [(month: String, end: Date)] = []
        var month = months.name(of: first)
        while let end = months.end(of: month), end <= now {
            ends.append((month, end))
            month = CounterMonths.adding(1, to: month)!
        }
        var closes = ends.map { MonthEnd(month: $0.month, end: $0.end) }

        let kinds: [ComplaintEvent.Kind] = [.routed, .forwarded, .rating, .slaBreached, .evidence, .statusChanged]
        let events = try Row.fetchCursor(
            db,
            sql: """
                SELECT complaint_id, kind, actor_kind, at, details ->> '$.opd', details ->> '$.from', details ->> '$.to',
                    details ->> '$.rating', details ->> '$.clock', details ->> '$.review'
                FROM complaint_event WHERE kind IN (\(kinds.map { "'\($0.rawValue)'" }.joined(separator: ", ")))
                ORDER BY complaint_id, id
                """)
        var pending: (id: Int64, event: ComplaintEvent)? = try events.next().map(Self.counterEvent)
        let complaints = try Row.fetchCursor(db, sql: "SELECT id, region, category, created_at FROM complaint ORDER BY id")
        while let row = try complaints.next() {
            let id: Int64 = row[0]
            let createdAt = DatabaseTimestamp.date(row[3] as String) ?? first
            var cursor = CounterCursor(complaintID: id, region: row[1], category: row[2], createdAt: createdAt)
            var next = ends.firstIndex { $0.end > createdAt } ?? ends.count
            func stand(before instant: Date) {
                while next < ends.count, ends[next].end <= instant {
                    if let standing = cursor.standing(at: ends[next].end) { closes[next].add(standing) }
                    next += 1
                }
            }
            while let waiting = pending, waiting.id < id { pending = try events.next().map(Self.counterEvent) }
            while let current = pending, current.id == id {
                let event = current.event
                var group = [event]
                pending = try events.next().map(Self.counterEvent)
                while let following = pending, following.id == id, following.event.at == event.at {
                    group.append(following.event)
                    pending = try events.next().map(Self.counterEvent)
                }
                stand(before: event.at)
                cursor.count(group, months: &months, into: &sheet)
            }
            stand(before: .distantFuture)
        }
        return (sheet, closes)
    }

    private static func counterEvent(_ row: Row) -> (id: Int64, event: ComplaintEvent) {
        let names = ["opd", "from", "to", "rating", "clock", "review"]
        var details: [String: String] = [:]
        for (index, name) in names.enumerated() { if let value = row[4 + index] as String? { details[name] = value } }
        let event = ComplaintEvent(
            kind: ComplaintEvent.Kind(rawValue: row[1]) ?? .comment, actorKind: ComplaintEvent.ActorKind(rawValue: row[2]) ?? .system,
            actorID: nil, at: DatabaseTimestamp.date(row[3] as String) ?? .distantPast, visibleToReporter: false, details: details)
        return (id: row[0], event: event)
    }
}
