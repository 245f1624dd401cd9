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
        _ events: [ComplaintEvent], of cursor: CounterCursor, closingBefore instant: Date, _ zone: CounterZone, _ db: Database
    ) throws {
        var months = zone.months
        try Self.closeMonths(before: instant, months: &months, db)
        var cursor = cursor
        var sheet = CounterSheet()
        cursor.count(events, months: &months, into: &sheet)
        try Self.add(sheet, db)
    }

    /// Adds counts to the counters.
    static func add(_ sheet: CounterSheet, _ db: Database) throws {
        guard !sheet.isEmpty else { return }
        let fields = CounterField.allCases.map(\.column)
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO report_counter (month, opd, area, category, \(fields.joined(separator: ", ")))
                VALUES (?, ?, ?, ?, \(fields.map { _ in "?" }.joined(separator: ", ")))
                ON CONFLICT (month, opd, area, category) DO UPDATE SET
                \(fields.map { "\($0) = \($0) + excluded.\($0)" }.joined(separator: ", "))
                """)
        for (key, counts) in sheet.counts {
            var arguments: [(any DatabaseValueConvertible)?] = [key.month, key.opd, key.area, key.category]
            arguments += counts.map { $0 as any DatabaseValueConvertible }
            try statement.execute(arguments: StatementArguments(arguments))
        }
    }

    // MARK: - Closing months

    /// Closes every month that ended before `instant` and is not closed yet. The first change of a new database
    /// closes nothing before its own month. Nothing changed since the last change, so the complaints stand now as
    /// they stood at the end of each month closed here.
    static func closeMonths(before instant: Date, months: inout CounterMonths, _ db: Database) throws {
        let current = months.name(of: instant)
        let latest = try String.fetchOne(db.cachedStatement(sql: "SELECT max(month) FROM report_month_end"))
        guard let latest else {
            // Nothing was ever closed: months before this one have nothing to count.
            if let previous = CounterMonths.adding(-1, to: current) {
                try Self.recordClose(
                    MonthEnd(month: previous, end: months.start(of: current)!, open: []), closedBy: "change", at: instant, db)
            }
            return
        }
        var month = CounterMonths.adding(1, to: latest)!
        // Several months at once only after the server was down: each is measured against its own end (a deadline
        // between two ends is overdue at the second only).
        while month < current {
            let end = months.end(of: month)!
            try Self.recordClose(
                MonthEnd(month: month, end: end, open: try Self.openStandings(at: end, db)), closedBy: "change", at: instant, db)
            month = CounterMonths.adding(1, to: month)!
        }
    }

    static func recordClose(_ close: MonthEnd, closedBy: String, at instant: Date, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO report_month_end (month, closed_at, closed_by) VALUES (?, ?, ?)",
            arguments: [close.month, DatabaseTimestamp.string(instant), closedBy])
        try Self.add(close.counts, db)
        let statement = try db.cachedStatement(
            sql: "INSERT INTO report_month_overdue (month, opd, complaint_id, clock, due_at) VALUES (?, ?, ?, ?, ?)")
        for standing in close.mostOverdue {
            try statement.execute(arguments: [
                close.month, standing.opd, standing.complaintID, standing.overdue!.clock.rawValue,
                DatabaseTimestamp.string(standing.overdue!.dueAt),
            ])
        }
    }

    /// Every complaint open now, as it stands against a month's `end`: a clock is overdue when it is marked breached,
    /// or runs with its deadline before `end` (the SLA monitor may not have marked it yet). A paused clock whose
    /// deadline passed during the pause is not overdue: the pause moves it.
    static func openStandings(at end: Date, _ db: Database) throws -> [MonthEndStanding] {
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT id, opd, region, category, created_at, status, paused_at, responded_at, response_sla, response_due_at,
                    resolved_at, resolution_sla, resolution_due_at
                FROM complaint WHERE status IN (\(ComplaintStatus.sqlList(ComplaintStatus.open))) AND created_at < ?
                """, arguments: [DatabaseTimestamp.string(end)])
        let breached = SLALevel.breached.rawValue
        var standings: [MonthEndStanding] = []
        while let row = try rows.next() {
            let status = ComplaintStatus(rawValue: row[5]) ?? .submitted
            let running = status.isClockRunning && (row[6] as String?) == nil
            func overdue(_ stopped: Int, _ level: Int, _ due: Int, _ clock: SLAClock) -> MonthEndStanding.Overdue? {
                guard (row[stopped] as String?) == nil, let dueAt = DatabaseTimestamp.date(row[due] as String) else { return nil }
                return (row[level] as String) == breached || (running && dueAt < end) ? .init(clock: clock, dueAt: dueAt) : nil
            }
            standings.append(
                MonthEndStanding(
                    complaintID: row[0], opd: row[1], area: CounterKey.area(of: row[2]), category: row[3],
                    createdAt: DatabaseTimestamp.date(row[4] as String) ?? end,
                    overdue: overdue(7, 8, 9, .response) ?? overdue(10, 11, 12, .resolution)))
        }
        return standings
    }

    // MARK: - The zone

    /// Counts months in `zone` from now on: the catalog's time zone, given at start. If the database counted in
    /// another zone, its whole history is counted again in this one.
    public func useCounterZone(_ zone: TimeZone, now: Date = Date()) async throws {
        // The recorded zone was read when the store was opened (or migrated).
        guard self.counterZone.timeZone.identifier != zone.identifier else { return }
        try await self.writer.write { db in
            try db.execute(sql: "UPDATE report_counter_zone SET time_zone = ?", arguments: [zone.identifier])
            try Self.recount(now: now, months: CounterMonths(timeZone: zone), db)
        }
        self.counterZone.set(zone)
    }

    /// The zone recorded in the database (read at open).
    static func recordedCounterZone(_ db: Database) throws -> TimeZone {
        let identifier = try String.fetchOne(db, sql: "SELECT time_zone FROM report_counter_zone") ?? "Asia/Jakarta"
        return TimeZone(identifier: identifier) ?? TimeZone(secondsFromGMT: 7 * 3600)!
    }
}
