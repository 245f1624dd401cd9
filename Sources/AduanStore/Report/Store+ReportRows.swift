import AduanCore
import Foundation
import GRDB
import GRDBSQLite

/// The reports' reads, inside one read transaction (one consistent snapshot of the file): plain rows, no figures. The
/// monthly report reads the monthly counters (`Store+CounterRows.swift`); the rakor pack scans the complaints of its
/// period (`Store+RakorRows.swift`), reading columns without copies.
public final class ReportSource {
    let session: any SQLSession
    /// SQLite's connection, whose columns the scans read without copies; nil on a database server.
    let db: Database?
    var opds = CodeInterner()
    var areas = CodeInterner()
    var categories = CodeInterner()
    var statuses = CodeInterner()
    var statusByID: [ComplaintStatus] = []
    /// Whole region codes (a desa's or kecamatan's), for the rakor pack's places.
    var regions = CodeInterner()

    init(_ session: any SQLSession) {
        self.session = session
        self.db = session as? Database
    }

    public func opdCode(_ id: Int) -> String { self.opds.names[id] }
    public func areaCode(_ id: Int) -> String { self.areas.names[id] }
    public func categoryCode(_ id: Int) -> String { self.categories.names[id] }
    public func opdID(_ code: String) -> Int { self.opds.id(code) }
    public func areaID(_ code: String) -> Int { self.areas.id(code) }
    public func categoryID(_ code: String) -> Int { self.categories.id(code) }
    public func regionCode(_ id: Int) -> String { self.regions.names[id] }

    /// The tickets of these complaints.
    public func tickets(_ ids: [Int64]) throws -> [Int64: String] { try self.ticketRows(ids).mapValues(\.ticket) }

    // MARK: - Reading columns

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

    /// A stored instant read as text (a database server's rows), in milliseconds.
    static func time(_ text: String?) -> Int64? {
        guard var text else { return nil }
        return text.withUTF8 { DatabaseTimestamp.millis($0) }
    }

    static func time(_ row: SQLiteStatement, _ column: Int32) -> Int64? {
        sqlite3_column_type(row, column) == SQLITE_NULL ? nil : DatabaseTimestamp.millis(self.bytes(row, column))
    }
}

extension Store {
    /// Runs the report's reads in one read transaction.
    public func readReport<T: Sendable>(_ body: @escaping @Sendable (ReportSource) throws -> T) async throws -> T {
        try await self.read { session in try body(ReportSource(session)) }
    }
}
