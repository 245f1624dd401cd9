import AduanCore
import Foundation
import GRDB

/// A working time the report takes a median of: one complaint's first response or latest resolution. Codes are
/// interned (`ReportSource.opdCode` and the like name them), instants in milliseconds since 1970.
public struct ReportTimeRow: Sendable {
    public var opd = 0
    public var area = 0
    public var category = 0
    public var at: Int64 = 0
    public var workingSeconds: Double = 0
}

/// An open complaint's ticket and status now, for the most overdue list.
public struct ReportTicketRow: Sendable {
    public let ticket: String
    public let status: ComplaintStatus
}

extension ReportSource {
    /// The counters of these months (`2026-10`), of one office or all.
    public func counters(months: [String], opd: String?) throws -> [(key: CounterKey, counts: [Int])] {
        let fields = CounterField.allCases.map(\.column).joined(separator: ", ")
        var arguments: [(any DatabaseValueConvertible)?] = months
        if let opd { arguments.append(opd) }
        var result: [(key: CounterKey, counts: [Int])] = []
        try self.session.forEachRow(
            """
            SELECT month, opd, area, category, \(fields) FROM report_counter
            WHERE month IN (\(months.map { _ in "?" }.joined(separator: ", "))) \(opd == nil ? "" : "AND opd = ?")
            """, values: arguments.map { $0?.databaseValue ?? .null }
        ) { row in
            result.append(
                (
                    CounterKey(month: row["month"], opd: row["opd"], area: row["area"], category: row["category"]),
                    CounterField.allCases.map { row[$0.column] as Int }
                ))
        }
        return result
    }

    /// Whether a month's end is recorded. One that is over but not closed has seen no change since it ended, so the
    /// complaints stand as they stood then.
    public func isClosed(_ month: String) throws -> Bool {
        try self.session.value(Bool.self, "SELECT EXISTS (SELECT 1 FROM report_month_end WHERE month = ?)", [month]) ?? false
    }

    /// Every complaint open now, as it stands against `end` (what a month's close records).
    public func openStandings(at end: Date) throws -> [MonthEndStanding] {
        try Store.openStandings(at: end, self.session)
    }

    /// A closed month's most overdue, of one office or all: offices in code order, each the deadline that passed first
    /// first (as `MonthEnd` lists them).
    public func mostOverdue(month: String, opd: String?) throws -> [MonthEndStanding] {
        var arguments: [(any DatabaseValueConvertible)?] = [month]
        if let opd { arguments.append(opd) }
        return try self.session.fetchAll(
            """
            SELECT o.opd, o.complaint_id, o.clock, o.due_at, c.region, c.category, c.created_at
            FROM report_month_overdue o JOIN complaint c ON c.id = o.complaint_id
            WHERE o.month = ? \(opd == nil ? "" : "AND o.opd = ?") ORDER BY o.opd, o.due_at, o.complaint_id
            """, arguments
        ).map { row in
            MonthEndStanding(
                complaintID: row["complaint_id"], opd: row["opd"], area: CounterKey.area(of: row["region"]), category: row["category"],
                createdAt: DatabaseTimestamp.date(row["created_at"] as String) ?? .distantPast,
                overdue: .init(
                    clock: SLAClock(rawValue: row["clock"]) ?? .response,
                    dueAt: DatabaseTimestamp.date(row["due_at"] as String) ?? .distantPast))
        }
    }

    /// The working times of first responses given in `[from, to)` (`.response`), or of the latest resolutions of
    /// complaints settled as resolved in it (`.resolution`), by the office handling each now; `workingSeconds`
    /// measures a clock stopped before schema 3 kept the measure (from, to in milliseconds). Each reads one covering
    /// index (aduan_0011_counters.sql), named: the planner would rather take the status index and visit the table for
    /// every complaint. Columns are read without copies, codes interned, as the rakor scan does.
    public func times(
        _ clock: SLAClock, from: Int64, to: Int64, opd: String?, workingSeconds: (Int64, Int64) -> Double, _ visit: (ReportTimeRow) -> Void
    ) throws {
        let (index, instant, seconds, stopped, status) =
            clock == .response
            ? ("complaint_response_times", "responded_at", "response_working_seconds", "responded_at", "")
            : (
                "complaint_resolution_times", "settled_at", "resolution_working_seconds", "resolved_at",
                "AND status IN (\(ComplaintStatus.sqlList(ComplaintStatus.resolvedOutcome)))"
            )
        let sql = """
            SELECT opd, region, category, created_at, \(instant) AS instant, \(seconds) AS seconds, \(stopped) AS stopped
            FROM complaint \(self.session.dialect.indexedBy(index))
            WHERE \(instant) >= ? AND \(instant) < ? \(status) \(opd == nil ? "" : "AND opd = ?")
            """
        var arguments: [(any DatabaseValueConvertible)?] = [DatabaseTimestamp.string(millis: from), DatabaseTimestamp.string(millis: to)]
        if let opd { arguments.append(opd) }
        guard let db = self.db else {
            // A database server's rows, by name: the same row, the same rules.
            try self.session.forEachRow(sql, values: arguments.map { $0?.databaseValue ?? .null }) { found in
                var row = ReportTimeRow()
                row.opd = self.opds.id(found["opd"] as String)
                row.area = self.areas.id(CounterKey.area(of: found["region"]))
                row.category = self.categories.id(found["category"] as String)
                guard let at = Self.time(found["instant"]) else { return }
                row.at = at
                row.workingSeconds =
                    found["seconds"] as Double? ?? workingSeconds(Self.time(found["created_at"]) ?? at, Self.time(found["stopped"]) ?? at)
                visit(row)
            }
            return
        }
        let statement = try db.makeStatement(sql: sql)
        statement.arguments = StatementArguments(arguments)
        let handle = statement.sqliteStatement
        let rows = try Row.fetchCursor(statement)
        var row = ReportTimeRow()
        while try rows.next() != nil {
            row.opd = self.opds.id(Self.bytes(handle, 0))
            row.area = self.areas.id(UnsafeBufferPointer(rebasing: Self.bytes(handle, 1).prefix(5)))
            row.category = self.categories.id(Self.bytes(handle, 2))
            guard let at = Self.time(handle, 4) else { continue }
            row.at = at
            if let measured = Self.double(handle, 5) {
                row.workingSeconds = measured
            } else {
                row.workingSeconds = workingSeconds(Self.time(handle, 3) ?? at, Self.time(handle, 6) ?? at)
            }
            visit(row)
        }
    }

    /// Tickets and present statuses of these complaints.
    public func ticketRows(_ ids: [Int64]) throws -> [Int64: ReportTicketRow] {
        guard !ids.isEmpty else { return [:] }
        var rows: [Int64: ReportTicketRow] = [:]
        for row in try self.session.fetchAll(
            "SELECT id, ticket, status FROM complaint WHERE id IN (\(ids.map(String.init).joined(separator: ",")))")
        {
            rows[row["id"]] = ReportTicketRow(ticket: row["ticket"], status: try Self.status(row["status"] as String))
        }
        return rows
    }
}
