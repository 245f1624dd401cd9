import AduanCore
import Foundation
import GRDB
import GRDBSQLite

/// One complaint as the rakor pack reads it: codes interned by `ReportSource` (`opdCode`, `categoryCode`,
/// `regionCode`, `areaCode`), instants in milliseconds since 1970 (UTC).
public struct RakorComplaintRow: Sendable {
    public var id: Int64 = 0
    public var opd = 0
    public var category = 0
    /// The whole region code it was filed in (a desa's or kecamatan's).
    public var region = 0
    /// Its kabupaten/kota (the first two levels of the region code).
    public var area = 0
    public var status = ComplaintStatus.submitted
    public var lat: Double?
    public var lng: Double?
    public var createdAt: Int64 = 0
    public var resolutionDueAt: Int64 = 0
    /// When it was last settled; nil while open (a reopen clears it).
    public var settledAt: Int64?
    public var reopenCount = 0
    public var supportCount = 0

    /// Whether it was still open at `instant` (filed before it and not settled by then).
    public func isOpen(at instant: Int64) -> Bool { self.createdAt < instant && (self.settledAt.map { $0 >= instant } ?? true) }
}

/// A forward: the office it left and the office it went to.
public struct RakorForwardRow: Sendable {
    public let complaintID: Int64
    public let from: String
    public let to: String
    public let at: Int64
}

extension ReportSource {
    /// The complaints a rakor pack of `[start, end)` with the period before it from `previousStart` reads: every one
    /// filed in `[previousStart, end)`, in table order, then older ones that may still have been open at `start`
    /// (open now, or settled since `start`), through indexes.
    public func rakorComplaints(previousStart: Int64, start: Int64, end: Int64, _ visit: (RakorComplaintRow) -> Void) throws {
        let first =
            try self.session.value(
                Int64.self, "SELECT min(id) FROM complaint WHERE created_at >= ?", [DatabaseTimestamp.string(millis: previousStart)])
            ?? Int64.max
        try self.rakorScan(
            "SELECT \(Self.rakorColumns) FROM complaint WHERE id >= ? AND created_at < ?",
            [first, DatabaseTimestamp.string(millis: end)], visit)
        try self.rakorScan(
            """
            SELECT \(Self.rakorColumns) FROM complaint WHERE id IN (
                SELECT id FROM complaint WHERE status IN (\(ComplaintStatus.sqlList(ComplaintStatus.open))) AND id < ?
                UNION SELECT id FROM complaint WHERE settled_at >= ? AND id < ?)
            """, [first, DatabaseTimestamp.string(millis: start), first], visit)
    }

    /// The forwards made in `[from, to)`.
    public func rakorForwards(from: Int64, to: Int64) throws -> [RakorForwardRow] {
        // The milestone index's condition, word for word (aduan_0003_report.sql): its entries hold the details.
        let json = { (key: String) in self.session.dialect.jsonText("details", key) }
        let sql = """
            SELECT complaint_id, at, \(json("from")) AS from_opd, \(json("to")) AS to_opd FROM complaint_event
            WHERE (kind IN ('forwarded', 'rating') OR (kind = 'status_changed' AND \(json("to")) = 'reopened'))
                AND at >= ? AND at < ? AND kind = 'forwarded'
            """
        return try self.session.fetchAll(sql, [DatabaseTimestamp.string(millis: from), DatabaseTimestamp.string(millis: to)])
            .compactMap { row in
                guard let from = row["from_opd"] as String?, let to = row["to_opd"] as String? else { return nil }
                return RakorForwardRow(complaintID: row["complaint_id"], from: from, to: to, at: Self.time(row["at"]) ?? 0)
            }
    }

    /// The codes behind the interned ids of the rows read so far: `opds[row.opd]`, and so on.
    public var rakorCodes: (opds: [String], categories: [String], regions: [String], areas: [String]) {
        (self.opds.names, self.categories.names, self.regions.names, self.areas.names)
    }

    static let rakorColumns =
        "id, opd, category, region, status, lat, lng, created_at, resolution_due_at, settled_at, reopen_count, support_count"

    private func rakorScan(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?], _ visit: (RakorComplaintRow) -> Void) throws {
        guard let db = self.db else {
            // A database server's rows, by name: the same row, the same codes.
            try self.session.forEachRow(sql, values: arguments.map { $0?.databaseValue ?? .null }) { found in
                var row = RakorComplaintRow()
                row.id = found["id"]
                row.opd = self.opds.id(found["opd"] as String)
                row.category = self.categories.id(found["category"] as String)
                let region: String = found["region"]
                row.region = self.regions.id(region)
                row.area = self.areas.id(CounterKey.area(of: region))
                row.status = try Self.status(found["status"])
                row.lat = found["lat"]
                row.lng = found["lng"]
                row.createdAt = Self.time(found["created_at"]) ?? 0
                row.resolutionDueAt = Self.time(found["resolution_due_at"]) ?? 0
                row.settledAt = Self.time(found["settled_at"])
                row.reopenCount = found["reopen_count"]
                row.supportCount = found["support_count"]
                visit(row)
            }
            return
        }
        let statement = try db.makeStatement(sql: sql)
        statement.arguments = StatementArguments(arguments)
        let handle = statement.sqliteStatement
        let rows = try Row.fetchCursor(statement)
        var row = RakorComplaintRow()
        while try rows.next() != nil {
            row.id = sqlite3_column_int64(handle, 0)
            row.opd = self.opds.id(Self.bytes(handle, 1))
            row.category = self.categories.id(Self.bytes(handle, 2))
            let region = Self.bytes(handle, 3)
            row.region = self.regions.id(region)
            row.area = self.areas.id(UnsafeBufferPointer(rebasing: region.prefix(5)))
            let statusID = self.statuses.id(Self.bytes(handle, 4))
            if statusID == self.statusByID.count { self.statusByID.append(try Self.status(self.statuses.names[statusID])) }
            row.status = self.statusByID[statusID]
            row.lat = Self.double(handle, 5)
            row.lng = Self.double(handle, 6)
            row.createdAt = Self.time(handle, 7) ?? 0
            row.resolutionDueAt = Self.time(handle, 8) ?? 0
            row.settledAt = Self.time(handle, 9)
            row.reopenCount = Int(sqlite3_column_int64(handle, 10))
            row.supportCount = Int(sqlite3_column_int64(handle, 11))
            visit(row)
        }
    }
}
