import AduanCore
import Foundation
import GRDB

/// The months a monthly report reads: six months ending with the report's month, as instants of the region's time
/// zone. Figures "at month end" are taken at `asOf`, the end of the month or, for a month not over, the present.
public struct ReportWindow: Sendable {
    /// Seven instants: the start of each of the six months, then the end of the last.
    public let boundaries: [Date]
    public let asOf: Date
    /// Limits every figure to one office's complaints; nil for the province.
    public let opd: String?

    public init(boundaries: [Date], asOf: Date, opd: String?) {
        precondition(boundaries.count == 7)
        self.boundaries = boundaries
        self.asOf = asOf
        self.opd = opd
    }

    /// The report's month (index 5) and the one before (index 4).
    public static let current = 5
    public static let previous = 4
}

/// Where a figure belongs: the handling office, the kabupaten/kota (the first two levels of the region code) and the
/// category.
public struct ReportCell: Hashable, Sendable {
    public let opd: String
    public let area: String
    public let category: String
}

/// Counts of one cell in one month, as SQLite sums them.
public struct ReportTally: Sendable, Equatable {
    public var responseDue = 0, respondedInTime = 0, resolutionDue = 0, resolvedInTime = 0
    public var received = 0, resolved = 0, rejected = 0, merged = 0
    public var forwarded = 0, reopened = 0, ratings = 0, ratingSum = 0
    /// Open at month end, by age in days: 0-7, 8-14, 15-30, over 30.
    public var backlog = [0, 0, 0, 0]
    public var overdue = 0
    public init() {}
}

/// A working-time measure of one complaint: the first response or the resolution.
public struct ReportDuration: Sendable {
    public let cell: ReportCell
    public let month: Int
    public let workingSeconds: Double
}

/// An open complaint past a deadline at the end of the report's month.
public struct ReportOverdue: Sendable {
    public let ticket: String
    public let cell: ReportCell
    public let status: ComplaintStatus
    public let clock: SLAClock
    public let dueAt: Date
}

/// What the report's queries return, before names and rates are put on them.
public struct ReportData: Sendable {
    /// Per cell, one tally per month of the window (0 oldest ... 5 the report's month). The months before the
    /// previous one carry only the compliance counts the trend needs.
    public var tallies: [ReportCell: [ReportTally]] = [:]
    public var responseTimes: [ReportDuration] = []
    public var resolutionTimes: [ReportDuration] = []
    /// The most overdue first.
    public var mostOverdue: [ReportOverdue] = []
}

extension Store {
    /// Reads everything the monthly report needs in one read transaction (one consistent snapshot of the file).
    /// SQLite does the counting; only the durations (for medians) and the most overdue complaints come back as rows.
    /// `workingSeconds` measures a clock stopped before version 3 of the schema fixed the measure on the complaint.
    public func reportData(
        _ window: ReportWindow, limit: Int, workingSeconds: @Sendable (_ from: Date, _ to: Date) -> Double
    ) async throws -> ReportData {
        try await self.writer.read { db in
            var reader = ReportReader(db: db, window: window)
            try reader.readCompliance()
            try reader.readMonthCounts()
            try reader.readMilestones()
            for month in [ReportWindow.previous, ReportWindow.current] { try reader.readBacklog(month: month) }
            try reader.readDurations(workingSeconds: workingSeconds)
            try reader.readMostOverdue(limit: limit)
            return reader.data
        }
    }
}

/// The report's queries. Duplicates merged into another complaint are left out of every figure but `merged`, so a
/// complaint counts once however often it was filed.
private struct ReportReader {
    let db: Database
    let window: ReportWindow
    var data = ReportData()
    let bounds: [String]
    let asOf: String
    let scope: String
    let scopeArguments: StatementArguments

    init(db: Database, window: ReportWindow) {
        self.db = db
        self.window = window
        self.bounds = window.boundaries.map(DatabaseTimestamp.string)
        self.asOf = DatabaseTimestamp.string(window.asOf)
        self.scope = window.opd == nil ? "" : "AND opd = :opd"
        self.scopeArguments = window.opd.map { ["opd": $0] } ?? [:]
    }

    static let area = "substr(region, 1, 5)"

    /// The month (0-5) a timestamp column falls in, for values inside the window.
    func monthIndex(_ column: String) -> String {
        "(" + (1...5).map { "(\(column) >= :b\($0))" }.joined(separator: " + ") + ")"
    }

    var windowArguments: StatementArguments {
        var arguments: StatementArguments = ["asOf": self.asOf]
        for (index, bound) in self.bounds.enumerated() { _ = arguments.append(contentsOf: ["b\(index)": bound]) }
        _ = arguments.append(contentsOf: self.scopeArguments)
        return arguments
    }

    mutating func tally(_ cell: ReportCell, _ month: Int, _ update: (inout ReportTally) -> Void) {
        var months = self.data.tallies[cell] ?? Array(repeating: ReportTally(), count: 6)
        update(&months[month])
        self.data.tallies[cell] = months
    }

    static func cell(_ row: Row) -> ReportCell { ReportCell(opd: row[0], area: row[1], category: row[2]) }

    /// Response and resolution compliance for the six months: the complaints whose deadline fell in each month (up to
    /// `asOf`), and how many of them were answered by it. Unanswered ones are misses; a complaint paused before its
    /// resolution deadline is not yet due (its deadline moves when it resumes); a rejected one has nothing to resolve.
    mutating func readCompliance() throws {
        let response = """
            SELECT opd, \(Self.area), category, \(self.monthIndex("response_due_at")), count(*),
                sum(responded_at IS NOT NULL AND responded_at <= response_due_at)
            FROM complaint
            WHERE response_due_at >= :b0 AND response_due_at < :asOf AND status <> 'duplicate' \(self.scope)
            GROUP BY 1, 2, 3, 4
            """
        for row in try Row.fetchAll(self.db, sql: response, arguments: self.windowArguments) {
            self.tally(Self.cell(row), row[3]) {
                $0.responseDue = row[4]
                $0.respondedInTime = row[5]
            }
        }
        let resolution = """
            SELECT opd, \(Self.area), category, \(self.monthIndex("resolution_due_at")), count(*),
                sum(resolved_at IS NOT NULL AND resolved_at <= resolution_due_at)
            FROM complaint
            WHERE status IN ('submitted', 'in_progress', 'waiting_info', 'resolved', 'closed', 'reopened')
                AND resolution_due_at >= :b0 AND resolution_due_at < :asOf
                AND NOT (paused_at IS NOT NULL AND paused_at < resolution_due_at) \(self.scope)
            GROUP BY 1, 2, 3, 4
            """
        for row in try Row.fetchAll(self.db, sql: resolution, arguments: self.windowArguments) {
            self.tally(Self.cell(row), row[3]) {
                $0.resolutionDue = row[4]
                $0.resolvedInTime = row[5]
            }
        }
    }

    /// Received (filed), resolved (latest resolution), rejected and merged in the report's month and the one before.
    mutating func readMonthCounts() throws {
        let received = """
            SELECT opd, \(Self.area), category, created_at >= :b5, count(*)
            FROM complaint WHERE created_at >= :b4 AND created_at < :asOf AND status <> 'duplicate' \(self.scope)
            GROUP BY 1, 2, 3, 4
            """
        for row in try Row.fetchAll(self.db, sql: received, arguments: self.windowArguments) {
            self.tally(Self.cell(row), 4 + (row[3] as Int)) { $0.received = row[4] }
        }
        let settled = """
            SELECT opd, \(Self.area), category, settled_at >= :b5, status, count(*)
            FROM complaint WHERE settled_at >= :b4 AND settled_at < :asOf \(self.scope)
            GROUP BY 1, 2, 3, 4, 5
            """
        for row in try Row.fetchAll(self.db, sql: settled, arguments: self.windowArguments) {
            let count: Int = row[5]
            self.tally(Self.cell(row), 4 + (row[3] as Int)) {
                switch ComplaintStatus(rawValue: row[4]) {
                case .resolved, .closed: $0.resolved += count
                case .rejected: $0.rejected += count
                case .duplicate: $0.merged += count
                default: break
                }
            }
        }
    }

    /// Forwards (counted for the office that forwarded), reopens and ratings in the two months, from the history.
    mutating func readMilestones() throws {
        // The index's condition, word for word, so that SQLite reads only these events (aduan_0003_report.sql).
        let milestone = "(e.kind IN ('forwarded', 'rating') OR (e.kind = 'status_changed' AND e.details ->> '$.to' = 'reopened'))"
        let sql = """
            SELECT CASE WHEN e.kind = 'forwarded' THEN e.details ->> '$.from' ELSE c.opd END AS office,
                substr(c.region, 1, 5), c.category, e.at >= :b5, e.kind, count(*), sum(CAST(e.details ->> '$.rating' AS INTEGER))
            FROM complaint_event e JOIN complaint c ON c.id = e.complaint_id
            WHERE \(milestone) AND e.at >= :b4 AND e.at < :asOf AND c.status <> 'duplicate'
                \(self.window.opd == nil ? "" : "AND office = :opd")
            GROUP BY 1, 2, 3, 4, 5
            """
        for row in try Row.fetchAll(self.db, sql: sql, arguments: self.windowArguments) {
            let count: Int = row[5]
            let kind: String = row[4]
            self.tally(Self.cell(row), 4 + (row[3] as Int)) {
                switch kind {
                case "forwarded": $0.forwarded += count
                case "rating":
                    $0.ratings += count
                    $0.ratingSum += row[6] as Int? ?? 0
                default: $0.reopened += count
                }
            }
        }
    }

    /// The conditions of a complaint open at `:t` (filed before it, not settled by it) and of one overdue then: a
    /// running clock past its deadline. A clock paused at `:t` runs late only if its deadline had passed before the
    /// pause. A complaint reopened after `:t` may have been settled at `:t`: those few are read from their history.
    static let openAt = """
        created_at < :t AND (settled_at IS NULL OR settled_at >= :t) AND status <> 'duplicate'
        """
    static let responseLateAt = "((responded_at IS NULL OR responded_at >= :t) AND response_due_at < :t)"
    static let resolutionLateAt = """
        (resolution_due_at < :t AND NOT (paused_at IS NOT NULL AND paused_at <= :t AND resolution_due_at > paused_at))
        """
    /// The open complaints, and those settled since `:t`: the rows that can have been open at `:t`.
    static let candidatesAt = """
        SELECT * FROM complaint WHERE status IN ('submitted', 'in_progress', 'waiting_info', 'reopened') AND created_at < :t
        UNION ALL
        SELECT * FROM complaint WHERE settled_at >= :t AND created_at < :t AND status <> 'duplicate'
        """

    mutating func readBacklog(month: Int) throws {
        let t = month == ReportWindow.current ? self.asOf : self.bounds[month + 1]
        var arguments: StatementArguments = ["t": t]
        _ = arguments.append(contentsOf: self.scopeArguments)
        let sql = """
            SELECT opd, \(Self.area), category,
                min(3, (CAST(julianday(:t) - julianday(created_at) AS INTEGER) > 7) + (CAST(julianday(:t) - julianday(created_at) AS INTEGER) > 14)
                    + (CAST(julianday(:t) - julianday(created_at) AS INTEGER) > 30)),
                count(*), sum(\(Self.responseLateAt) OR \(Self.resolutionLateAt))
            FROM (\(Self.candidatesAt))
            WHERE \(Self.openAt) AND (reopened_at IS NULL OR reopened_at < :t) \(self.scope)
            GROUP BY 1, 2, 3, 4
            """
        for row in try Row.fetchAll(self.db, sql: sql, arguments: arguments) {
            self.tally(Self.cell(row), month) {
                $0.backlog[row[3]] += row[4]
                $0.overdue += row[5]
            }
        }
        // Reopened since: open at :t only if the history says so.
        let reopened = """
            SELECT opd, \(Self.area), category, CAST(julianday(:t) - julianday(created_at) AS INTEGER),
                \(Self.responseLateAt) OR \(Self.resolutionLateAt),
                (SELECT e.details ->> '$.to' FROM complaint_event e WHERE e.complaint_id = candidate.id
                    AND e.kind = 'status_changed' AND e.at < :t ORDER BY e.id DESC LIMIT 1)
            FROM (\(Self.candidatesAt)) AS candidate
            WHERE \(Self.openAt) AND reopened_at >= :t \(self.scope)
            """
        for row in try Row.fetchAll(self.db, sql: reopened, arguments: arguments) {
            let statusThen = (row[5] as String?).flatMap(ComplaintStatus.init(rawValue:)) ?? .submitted
            guard statusThen.isOpen else { continue }
            let age: Int = row[3]
            self.tally(Self.cell(row), month) {
                $0.backlog[age > 30 ? 3 : age > 14 ? 2 : age > 7 ? 1 : 0] += 1
                if row[4] as Bool { $0.overdue += 1 }
            }
        }
    }

    /// The working time of each first response and each resolution in the two months, for medians and p90.
    mutating func readDurations(workingSeconds: (Date, Date) -> Double) throws {
        let responses = """
            SELECT opd, \(Self.area), category, responded_at >= :b5, response_working_seconds, created_at, responded_at
            FROM complaint WHERE responded_at >= :b4 AND responded_at < :asOf AND status <> 'duplicate' \(self.scope)
            """
        let cursor = try Row.fetchCursor(self.db, sql: responses, arguments: self.windowArguments)
        while let row = try cursor.next() {
            let seconds = row[4] as Double? ?? workingSeconds(row[5], row[6])
            self.data.responseTimes.append(ReportDuration(cell: Self.cell(row), month: 4 + (row[3] as Int), workingSeconds: seconds))
        }
        let resolutions = """
            SELECT opd, \(Self.area), category, settled_at >= :b5, resolution_working_seconds, created_at, resolved_at
            FROM complaint WHERE settled_at >= :b4 AND settled_at < :asOf AND status IN ('resolved', 'closed') \(self.scope)
            """
        let resolved = try Row.fetchCursor(self.db, sql: resolutions, arguments: self.windowArguments)
        while let row = try resolved.next() {
            let seconds = row[4] as Double? ?? workingSeconds(row[5], row[6])
            self.data.resolutionTimes.append(ReportDuration(cell: Self.cell(row), month: 4 + (row[3] as Int), workingSeconds: seconds))
        }
    }

    /// The open complaints furthest past a deadline at the end of the report's month.
    mutating func readMostOverdue(limit: Int) throws {
        var arguments: StatementArguments = ["t": self.asOf, "limit": limit]
        _ = arguments.append(contentsOf: self.scopeArguments)
        let sql = """
            SELECT opd, \(Self.area), category, ticket, status, \(Self.responseLateAt) AS response_late,
                CASE WHEN \(Self.responseLateAt) THEN response_due_at ELSE resolution_due_at END AS due
            FROM (\(Self.candidatesAt))
            WHERE \(Self.openAt) AND (reopened_at IS NULL OR reopened_at < :t) AND (\(Self.responseLateAt) OR \(Self.resolutionLateAt))
                \(self.scope)
            ORDER BY due, ticket LIMIT :limit
            """
        self.data.mostOverdue = try Row.fetchAll(self.db, sql: sql, arguments: arguments).map { row in
            ReportOverdue(
                ticket: row[3], cell: Self.cell(row), status: ComplaintStatus(rawValue: row[4]) ?? .submitted,
                clock: row[5] ? .response : .resolution, dueAt: (row[6] as Date).nearestMillisecond)
        }
    }
}

/// A kept report: its version and the figures as JSON.
public struct ReportSnapshot: Sendable {
    public let version: Int
    public let generatedAt: Date
    public let generatedBy: String
    public let body: String
}

extension Store {
    /// Keeps a generated report as the next version of its period and scope; `body` gets that version number.
    /// Versions are numbered inside the write transaction, so two generations at once get two versions.
    public func saveReport(
        period: String, scope: String, generatedAt: Date, generatedBy: String, body: @Sendable (_ version: Int) throws -> String
    ) async throws -> ReportSnapshot {
        try await self.writer.write { db in
            let version = try Int.fetchOne(
                db, sql: "SELECT coalesce(max(version), 0) + 1 FROM report_snapshot WHERE kind = 'monthly_sla' AND period = ? AND scope = ?",
                arguments: [period, scope])!
            let text = try body(version)
            try db.execute(
                sql: """
                    INSERT INTO report_snapshot (kind, period, scope, version, generated_at, generated_by, body)
                    VALUES ('monthly_sla', ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [period, scope, version, DatabaseTimestamp.string(generatedAt), String(generatedBy.prefix(120)), text])
            return ReportSnapshot(version: version, generatedAt: generatedAt, generatedBy: generatedBy, body: text)
        }
    }

    /// A kept report: the given version, or the latest when nil; nil when there is none.
    public func report(period: String, scope: String, version: Int? = nil) async throws -> ReportSnapshot? {
        try await self.writer.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT version, generated_at, generated_by, body FROM report_snapshot
                    WHERE kind = 'monthly_sla' AND period = ? AND scope = ? AND (? IS NULL OR version = ?)
                    ORDER BY version DESC LIMIT 1
                    """, arguments: [period, scope, version, version])
            return row.map {
                ReportSnapshot(
                    version: $0["version"], generatedAt: ($0["generated_at"] as Date).nearestMillisecond,
                    generatedBy: $0["generated_by"], body: $0["body"])
            }
        }
    }

    /// The versions kept for a period and scope, oldest first.
    public func reportVersions(period: String, scope: String) async throws -> [(version: Int, generatedAt: Date, generatedBy: String)] {
        try await self.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT version, generated_at, generated_by FROM report_snapshot
                    WHERE kind = 'monthly_sla' AND period = ? AND scope = ? ORDER BY version
                    """, arguments: [period, scope]
            ).map { (version: $0["version"], generatedAt: ($0["generated_at"] as Date).nearestMillisecond, generatedBy: $0["generated_by"]) }
        }
    }
}
