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
        try await self.write { session in try Self.recount(now: now, months: months, session) }
    }

    /// What a replay of the history gives, without storing it: for a test against what the changes wrote.
    public func replayCounters(now: Date) async throws -> CounterTables {
        let months = self.counterZone.months
        return try await self.read { session in
            let (sheet, closes) = try Self.replay(now: now, months: months, session)
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
        try await self.read { session in
            let source = ReportSource(session)
            var tables = CounterTables()
            let months = try session.values(String.self, "SELECT DISTINCT month FROM report_counter")
            for (key, counts) in try source.counters(months: months, opd: nil) { tables.counts[key] = counts }
            tables.closedMonths = try session.values(String.self, "SELECT month FROM report_month_end ORDER BY month")
            for month in tables.closedMonths { tables.mostOverdue[month] = try source.mostOverdue(month: month, opd: nil) }
            return tables
        }
    }

    /// Replaces the counters with a replay of the history up to `now`.
    static func recount(now: Date, months: CounterMonths, _ session: some SQLSession) throws {
        // Nothing else changes the counters meanwhile, on any server.
        try session.serialize(on: .monthClose)
        let (sheet, closes) = try Self.replay(now: now, months: months, session)
        for table in ["report_month_overdue", "report_month_end", "report_counter"] { try session.execute("DELETE FROM \(table)") }
        for close in closes { try Self.recordClose(close, closedBy: "replay", at: now, session) }
        try Self.add(sheet, session)
    }

    /// Walks every complaint's history through the counters' rules (`CounterCursor`), and how each stood at the end
    /// of every month from the first filing's to the last one ended before `now`. Events are read in each complaint's
    /// order; those of one instant are counted together, as the change that wrote them was.
    static func replay(now: Date, months: CounterMonths, _ session: some SQLSession) throws -> (CounterSheet, [MonthEnd]) {
        var months = months
        var sheet = CounterSheet()
        guard let first = try session.value(String.self, "SELECT min(created_at) FROM complaint").flatMap(DatabaseTimestamp.date) else {
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
        let details = Self.counterDetails.map { "\(session.dialect.jsonText("details", $0)) AS detail_\($0)" }.joined(separator: ", ")
        let events = try session.stream(
            """
            SELECT complaint_id, kind, actor_kind, at, \(details)
            FROM complaint_event WHERE kind IN (\(kinds.map { "'\($0.rawValue)'" }.joined(separator: ", ")))
            ORDER BY complaint_id, id
            """, values: [])
        var pending: (id: Int64, event: ComplaintEvent)? = try events.next().map(Self.counterEvent)
        let complaints = try session.stream("SELECT id, region, category, created_at FROM complaint ORDER BY id", values: [])
        while let row = try complaints.next() {
            let id: Int64 = row["id"]
            let createdAt = DatabaseTimestamp.date(row["created_at"] as String) ?? first
            var cursor = CounterCursor(complaintID: id, region: row["region"], category: row["category"], createdAt: createdAt)
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

    /// The details the counters' rules read.
    static let counterDetails = ["opd", "from", "to", "rating", "clock", "review"]

    private static func counterEvent(_ row: Row) -> (id: Int64, event: ComplaintEvent) {
        var details: [String: String] = [:]
        for name in Self.counterDetails { if let value = row["detail_" + name] as String? { details[name] = value } }
        let event = ComplaintEvent(
            kind: ComplaintEvent.Kind(rawValue: row["kind"]) ?? .comment,
            actorKind: ComplaintEvent.ActorKind(rawValue: row["actor_kind"]) ?? .system,
            actorID: nil, at: DatabaseTimestamp.date(row["at"] as String) ?? .distantPast, visibleToReporter: false, details: details)
        return (id: row["complaint_id"], event: event)
    }
}
