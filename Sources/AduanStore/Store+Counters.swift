import AduanCore
import Foundation
import GRDB
import Synchronization

/// The time zone whose months the counters count in, as the database records it (`report_counter_zone`); shared by
/// every path that writes a change.
public final class CounterZone: Sendable {
    /// Made once per zone: a calendar's making samples the zone's offsets.
    private let current: Mutex<CounterMonths>

    init(_ zone: TimeZone) { self.current = Mutex(CounterMonths(timeZone: zone)) }

    public var timeZone: TimeZone { self.months.timeZone }
    var months: CounterMonths { self.current.withLock { $0 } }
    func set(_ zone: TimeZone) { self.current.withLock { $0 = CounterMonths(timeZone: zone) } }
}

extension Store {
    /// Counts a change in the transaction that stores it: the month's close first if this is the first change since a
    /// month ended, then what its events add.
    static func count(
        _ events: [ComplaintEvent], of cursor: CounterCursor, closingBefore instant: Date, _ zone: CounterZone, _ session: some SQLSession
    ) throws {
        var months = zone.months
        try Self.closeMonths(before: instant, months: &months, session)
        var cursor = cursor
        var sheet = CounterSheet()
        cursor.count(events, months: &months, into: &sheet)
        try Self.add(sheet, session)
    }

    static let addSQL: String = {
        let fields = CounterField.allCases.map(\.column)
        return """
            INSERT INTO report_counter (month, opd, area, category, \(fields.joined(separator: ", ")))
            VALUES (?, ?, ?, ?, \(fields.map { _ in "?" }.joined(separator: ", ")))
            ON CONFLICT (month, opd, area, category) DO UPDATE SET
            \(fields.map { "\($0) = report_counter.\($0) + excluded.\($0)" }.joined(separator: ", "))
            """
    }()

    /// Adds counts to the counters, row by row in key order: two servers' transactions that count in the same rows
    /// then wait for each other rather than deadlock.
    static func add(_ sheet: CounterSheet, _ session: some SQLSession) throws {
        guard !sheet.isEmpty else { return }
        for (key, counts) in sheet.counts.sorted(by: { $0.key < $1.key }) {
            var arguments: [(any DatabaseValueConvertible)?] = [key.month, key.opd, key.area, key.category]
            arguments += counts.map { $0 as any DatabaseValueConvertible }
            try session.execute(Self.addSQL, arguments)
        }
    }

    // MARK: - Closing months

    /// Closes every month that ended before `instant` and is not closed yet. The first change of a new database
    /// closes nothing before its own month. Nothing changed since the last change, so the complaints stand now as
    /// they stood at the end of each month closed here.
    static func closeMonths(before instant: Date, months: inout CounterMonths, _ session: some SQLSession) throws {
        let current = months.name(of: instant)
        let closed = "SELECT max(month) FROM report_month_end"
        var latest = try session.value(String.self, closed)
        if latest.map({ CounterMonths.adding(1, to: $0)! < current }) ?? true {
            // A close to make: on several servers, one makes it and the others then see it made.
            try session.serialize(on: .monthClose)
            latest = try session.value(String.self, closed)
        }
        guard let latest else {
            // Nothing was ever closed: months before this one have nothing to count.
            if let previous = CounterMonths.adding(-1, to: current) {
                try Self.recordClose(
                    MonthEnd(month: previous, end: months.start(of: current)!, open: []), closedBy: "change", at: instant, session)
            }
            return
        }
        var month = CounterMonths.adding(1, to: latest)!
        // Several months at once only after the server was down: each is measured against its own end (a deadline
        // between two ends is overdue at the second only).
        while month < current {
            let end = months.end(of: month)!
            try Self.recordClose(
                MonthEnd(month: month, end: end, open: try Self.openStandings(at: end, session)), closedBy: "change", at: instant, session)
            month = CounterMonths.adding(1, to: month)!
        }
    }

    static func recordClose(_ close: MonthEnd, closedBy: String, at instant: Date, _ session: some SQLSession) throws {
        try session.execute(
            "INSERT INTO report_month_end (month, closed_at, closed_by) VALUES (?, ?, ?)",
            [close.month, DatabaseTimestamp.string(instant), closedBy])
        try Self.add(close.counts, session)
        for standing in close.mostOverdue {
            try session.execute(
                "INSERT INTO report_month_overdue (month, opd, complaint_id, clock, due_at) VALUES (?, ?, ?, ?, ?)",
                [
                    close.month, standing.opd, standing.complaintID, standing.overdue!.clock.rawValue,
                    DatabaseTimestamp.string(standing.overdue!.dueAt),
                ])
        }
    }

    /// Every complaint open now, as it stands against a month's `end`: a clock is overdue when it is marked breached,
    /// or runs with its deadline before `end` (the SLA monitor may not have marked it yet). A paused clock whose
    /// deadline passed during the pause is not overdue: the pause moves it.
    static func openStandings(at end: Date, _ session: some SQLSession) throws -> [MonthEndStanding] {
        var standings: [MonthEndStanding] = []
        let breached = SLALevel.breached.rawValue
        try session.forEachRow(
            """
            SELECT id, opd, region, category, created_at, status, paused_at, responded_at, response_sla, response_due_at,
                resolved_at, resolution_sla, resolution_due_at
            FROM complaint WHERE status IN (\(ComplaintStatus.sqlList(ComplaintStatus.open))) AND created_at < ?
            """, values: [DatabaseTimestamp.string(end).databaseValue]
        ) { row in
            let status = ComplaintStatus(rawValue: row["status"]) ?? .submitted
            let running = status.isClockRunning && (row["paused_at"] as String?) == nil
            func overdue(_ stopped: String, _ level: String, _ due: String, _ clock: SLAClock) -> MonthEndStanding.Overdue? {
                guard (row[stopped] as String?) == nil, let dueAt = DatabaseTimestamp.date(row[due] as String) else { return nil }
                return (row[level] as String) == breached || (running && dueAt < end) ? .init(clock: clock, dueAt: dueAt) : nil
            }
            standings.append(
                MonthEndStanding(
                    complaintID: row["id"], opd: row["opd"], area: CounterKey.area(of: row["region"]), category: row["category"],
                    createdAt: DatabaseTimestamp.date(row["created_at"] as String) ?? end,
                    overdue: overdue("responded_at", "response_sla", "response_due_at", .response)
                        ?? overdue("resolved_at", "resolution_sla", "resolution_due_at", .resolution)))
        }
        return standings
    }

    // MARK: - The zone

    /// Counts months in `zone` from now on: the catalog's time zone, given at start. If the database counted in
    /// another zone, its whole history is counted again in this one.
    public func useCounterZone(_ zone: TimeZone, now: Date = Date()) async throws {
        // The recorded zone was read when the store was opened (or migrated).
        guard self.counterZone.timeZone.identifier != zone.identifier else { return }
        try await self.write { session in
            try session.execute("UPDATE report_counter_zone SET time_zone = ?", [zone.identifier])
            try Self.recount(now: now, months: CounterMonths(timeZone: zone), session)
        }
        self.counterZone.set(zone)
    }

    /// The zone recorded in the database (read at open).
    static func recordedCounterZone(_ session: some SQLSession) throws -> TimeZone {
        let identifier = try session.value(String.self, "SELECT time_zone FROM report_counter_zone") ?? "Asia/Jakarta"
        return TimeZone(identifier: identifier) ?? TimeZone(secondsFromGMT: 7 * 3600)!
    }
}
