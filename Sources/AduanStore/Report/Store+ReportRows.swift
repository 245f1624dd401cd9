import AduanCore
import Foundation
import GRDB
import GRDBSQLite

/// One complaint as the monthly report reads it: codes interned (ids that `ReportSource` names), instants in
/// milliseconds since 1970 (UTC), read from SQLite's columns without copies.
public struct ReportComplaintRow: Sendable {
    public var id: Int64 = 0
    public var opd = 0
    /// The kabupaten/kota: the first two levels of the region code (`18.71`).
    public var area = 0
    public var category = 0
    public var status = ComplaintStatus.submitted
    public var createdAt: Int64 = 0
    public var responseDueAt: Int64 = 0
    public var respondedAt: Int64?
    public var resolutionDueAt: Int64 = 0
    public var resolvedAt: Int64?
    public var settledAt: Int64?
    public var pausedAt: Int64?
    public var reopenedAt: Int64?
    /// Fixed when the clock stopped (schema 3); nil for clocks stopped before.
    public var responseWorkingSeconds: Double?
    public var resolutionWorkingSeconds: Double?
}

/// A forward, a reopen, a rating or a resolution's evidence: the few events the report counts by month.
public struct ReportMilestoneRow: Sendable {
    /// A resolution's evidence: after-photos that raised no flag needing validation, photos that did, or a flagged
    /// resolution a supervisor rejected.
    public enum Kind: Sendable { case forwarded, reopened, rating, evidenceClean, evidenceFlagged, resolutionRejected }
    public let complaintID: Int64
    public let kind: Kind
    public let at: Int64
    /// The office a forward left, or the office whose resolution the evidence was (it may since have forwarded it).
    public let from: String?
    public let rating: Int?
}

/// Where a complaint belongs, for one not met by the scan.
public struct ReportHome: Sendable {
    public let opd: String
    public let area: String
    public let category: String
    public let status: ComplaintStatus
}

/// The monthly report's reads, inside one read transaction (one consistent snapshot of the file): plain rows, no
/// figures. Why it reads this way: the report must cost about what a plain GROUP BY over its months costs, so the
/// complaints filed in the window are read once, in the table's order; the few older ones that still matter come
/// through indexes.
public final class ReportSource {
    let db: Database
    var opds = CodeInterner()
    var areas = CodeInterner()
    var categories = CodeInterner()
    var statuses = CodeInterner()
    var statusByID: [ComplaintStatus] = []
    /// Whole region codes (a desa's or kecamatan's), for the rakor pack's places.
    var regions = CodeInterner()

    init(_ db: Database) { self.db = db }

    public func opdCode(_ id: Int) -> String { self.opds.names[id] }
    public func areaCode(_ id: Int) -> String { self.areas.names[id] }
    public func categoryCode(_ id: Int) -> String { self.categories.names[id] }
    public func opdID(_ code: String) -> Int { self.opds.id(code) }
    public func areaID(_ code: String) -> Int { self.areas.id(code) }
    public func categoryID(_ code: String) -> Int { self.categories.id(code) }
    public func regionCode(_ id: Int) -> String { self.regions.names[id] }

    /// Forwards, reopens, ratings and resolutions' evidence in `[from, to)`.
    public func milestones(from: Int64, to: Int64) throws -> [ReportMilestoneRow] {
        // The index's condition, word for word, so that SQLite reads only these events (aduan_0003_report.sql).
        let sql = """
            SELECT complaint_id, kind, at, details ->> '$.from', details ->> '$.rating' FROM complaint_event
            WHERE (kind IN ('forwarded', 'rating') OR (kind = 'status_changed' AND details ->> '$.to' = 'reopened'))
                AND at >= ? AND at < ?
            """
        var rows: [ReportMilestoneRow] = []
        let cursor = try Row.fetchCursor(self.db, sql: sql, arguments: [DatabaseTimestamp.string(millis: from), DatabaseTimestamp.string(millis: to)])
        while let row = try cursor.next() {
            let kind: ReportMilestoneRow.Kind = switch row[1] as String {
            case ComplaintEvent.Kind.forwarded.rawValue: .forwarded
            case ComplaintEvent.Kind.rating.rawValue: .rating
            default: .reopened
            }
            rows.append(ReportMilestoneRow(
                complaintID: row[0], kind: kind, at: DatabaseTimestamp.millis(row[2] as String) ?? 0, from: row[3],
                rating: (row[4] as String?).flatMap { Int($0) }))
        }
        // A resolution's evidence and its verdict (aduan_0005_photos.sql indexes these events).
        let evidence = try Row.fetchCursor(
            self.db,
            sql: "SELECT complaint_id, at, details ->> '$.review', details ->> '$.opd' FROM complaint_event WHERE kind = 'evidence' AND at >= ? AND at < ?",
            arguments: [DatabaseTimestamp.string(millis: from), DatabaseTimestamp.string(millis: to)])
        while let row = try evidence.next() {
            let kind: ReportMilestoneRow.Kind
            switch row[2] as String? {
            case ResolutionReview.clean.rawValue?: kind = .evidenceClean
            case ResolutionReview.pending.rawValue?: kind = .evidenceFlagged
            case "rejected"?: kind = .resolutionRejected
            default: continue  // a validation, or the reporter's own photos
            }
            rows.append(ReportMilestoneRow(
                complaintID: row[0], kind: kind, at: DatabaseTimestamp.millis(row[1] as String) ?? 0, from: row[3], rating: nil))
        }
        return rows
    }

    /// Every complaint that can count in a window that starts at `start`: those filed since (in table order), then
    /// older ones that are open, settled since `start`, first answered since `recent`, or due since `start`.
    /// `opd` limits the scan to one office's complaints.
    public func complaints(since start: Int64, answeredSince recent: Int64, opd: String?, _ visit: (ReportComplaintRow) -> Void) throws {
        let scope = opd == nil ? "" : "AND opd = :opd"
        let startText = DatabaseTimestamp.string(millis: start)
        let first = try Int64.fetchOne(self.db, sql: "SELECT min(id) FROM complaint WHERE created_at >= ?", arguments: [startText]) ?? Int64.max
        var arguments: StatementArguments = ["first": first]
        if let opd { _ = arguments.append(contentsOf: ["opd": opd]) }
        try self.scan("SELECT \(Self.columns) FROM complaint WHERE id >= :first \(scope)", arguments, visit)
        // Each part reads index entries only, and the table for matches. (One filed in the window with an id below
        // `first` cannot exist: `first` is the least id filed in it.)
        var older: StatementArguments = ["first": first, "start": startText, "recent": DatabaseTimestamp.string(millis: recent)]
        if let opd { _ = older.append(contentsOf: ["opd": opd]) }
        try self.scan(
            """
            SELECT \(Self.columns) FROM complaint WHERE id IN (
                SELECT id FROM complaint WHERE status IN (\(ComplaintStatus.sqlList(ComplaintStatus.open))) AND id < :first
                UNION SELECT id FROM complaint WHERE settled_at >= :start AND id < :first
                UNION SELECT id FROM complaint WHERE responded_at >= :recent AND id < :first
                UNION SELECT id FROM complaint WHERE response_due_at >= :start AND id < :first
                UNION SELECT id FROM complaint
                    WHERE status IN (\(ComplaintStatus.sqlList(ComplaintStatus.resolvable))) AND resolution_due_at >= :start AND id < :first
            ) \(scope)
            """, older, visit)
    }

    /// Where complaints the scan did not meet belong (older ones, or another office's in a scoped report).
    public func homes(_ ids: [Int64]) throws -> [Int64: ReportHome] {
        var homes: [Int64: ReportHome] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            let list = ids[start..<min(start + 500, ids.count)].map(String.init).joined(separator: ",")
            for row in try Row.fetchAll(self.db, sql: "SELECT id, opd, region, category, status FROM complaint WHERE id IN (\(list))") {
                let region: String = row[2]
                homes[row[0]] = ReportHome(
                    opd: row[1], area: String(region.prefix(5)), category: row[3], status: try Self.status(row[4] as String))
            }
        }
        return homes
    }

    /// The status a complaint had just before `instant`, from its history (nil: none recorded, i.e. submitted).
    public func status(of id: Int64, before instant: Int64) throws -> ComplaintStatus? {
        let statement = try self.db.cachedStatement(
            sql: """
                SELECT details ->> '$.to' FROM complaint_event
                WHERE complaint_id = ? AND kind = 'status_changed' AND at < ? ORDER BY id DESC LIMIT 1
                """)
        return try String.fetchOne(statement, arguments: [id, DatabaseTimestamp.string(millis: instant)]).map(Self.status)
    }

    /// The tickets of these complaints.
    public func tickets(_ ids: [Int64]) throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        return try Dictionary(
            uniqueKeysWithValues: Row.fetchAll(
                self.db, sql: "SELECT id, ticket FROM complaint WHERE id IN (\(ids.map(String.init).joined(separator: ",")))"
            ).map { ($0[0] as Int64, $0[1] as String) })
    }

    // MARK: - The scan

    /// The scan's columns, in SELECT order: a row is read by these positions, and the names are the record's.
    enum ScanColumn: Int32, CaseIterable {
        case id, opd, category, region, status, createdAt, responseDueAt, respondedAt, resolutionDueAt, resolvedAt
        case settledAt, pausedAt, reopenedAt, responseWorkingSeconds, resolutionWorkingSeconds

        var column: Column {
            typealias C = ComplaintRecord.Columns
            switch self {
            case .id: return C.id
            case .opd: return C.opd
            case .category: return C.category
            case .region: return C.region
            case .status: return C.status
            case .createdAt: return C.createdAt
            case .responseDueAt: return C.responseDueAt
            case .respondedAt: return C.respondedAt
            case .resolutionDueAt: return C.resolutionDueAt
            case .resolvedAt: return C.resolvedAt
            case .settledAt: return C.settledAt
            case .pausedAt: return C.pausedAt
            case .reopenedAt: return C.reopenedAt
            case .responseWorkingSeconds: return C.responseWorkingSeconds
            case .resolutionWorkingSeconds: return C.resolutionWorkingSeconds
            }
        }
    }

    static let columns = ScanColumn.allCases.map(\.column.name).joined(separator: ", ")

    private func scan(_ sql: String, _ arguments: StatementArguments, _ visit: (ReportComplaintRow) -> Void) throws {
        let statement = try self.db.makeStatement(sql: sql)
        statement.arguments = arguments
        let handle = statement.sqliteStatement
        let rows = try Row.fetchCursor(statement)
        var row = ReportComplaintRow()
        while try rows.next() != nil {
            typealias C = ScanColumn
            row.id = sqlite3_column_int64(handle, C.id.rawValue)
            row.opd = self.opds.id(Self.bytes(handle, C.opd.rawValue))
            row.category = self.categories.id(Self.bytes(handle, C.category.rawValue))
            // The kabupaten/kota of a region code: its first two levels (`18.71`), or the code itself when shorter.
            row.area = self.areas.id(UnsafeBufferPointer(rebasing: Self.bytes(handle, C.region.rawValue).prefix(5)))
            let statusID = self.statuses.id(Self.bytes(handle, C.status.rawValue))
            if statusID == self.statusByID.count { self.statusByID.append(try Self.status(self.statuses.names[statusID])) }
            row.status = self.statusByID[statusID]
            row.createdAt = Self.time(handle, C.createdAt.rawValue) ?? 0
            row.responseDueAt = Self.time(handle, C.responseDueAt.rawValue) ?? 0
            row.respondedAt = Self.time(handle, C.respondedAt.rawValue)
            row.resolutionDueAt = Self.time(handle, C.resolutionDueAt.rawValue) ?? 0
            row.resolvedAt = Self.time(handle, C.resolvedAt.rawValue)
            row.settledAt = Self.time(handle, C.settledAt.rawValue)
            row.pausedAt = Self.time(handle, C.pausedAt.rawValue)
            row.reopenedAt = Self.time(handle, C.reopenedAt.rawValue)
            row.responseWorkingSeconds = Self.double(handle, C.responseWorkingSeconds.rawValue)
            row.resolutionWorkingSeconds = Self.double(handle, C.resolutionWorkingSeconds.rawValue)
            visit(row)
        }
    }

    static func status(_ text: String) throws -> ComplaintStatus {
        guard let status = ComplaintStatus(rawValue: text) else {
            throw StoredValueInvalid(table: "complaint", column: "status", value: text)
        }
        return status
    }

    static func bytes(_ row: SQLiteStatement, _ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let text = sqlite3_column_text(row, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(row, column)))
    }

    static func double(_ row: SQLiteStatement, _ column: Int32) -> Double? {
        sqlite3_column_type(row, column) == SQLITE_NULL ? nil : sqlite3_column_double(row, column)
    }

    static func time(_ row: SQLiteStatement, _ column: Int32) -> Int64? {
        sqlite3_column_type(row, column) == SQLITE_NULL ? nil : DatabaseTimestamp.millis(self.bytes(row, column))
    }
}

extension Store {
    /// Runs the report's reads in one read transaction.
    public func readReport<T: Sendable>(_ body: @Sendable (ReportSource) throws -> T) async throws -> T {
        try await self.writer.read { db in try body(ReportSource(db)) }
    }
}
