import Foundation
import GRDB

/// A value as SQLite holds it, for copying a database to another engine.
public enum StoredValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// One of Aduan's tables as the copy sees it: its columns in order, its key (what its rows are read in order of) and
/// how many rows it holds.
public struct ExportedTable: Sendable, Equatable {
    public let name: String
    public let columns: [String]
    public let key: [String]
    public let rows: Int
}

/// A database frozen at one moment, to be read table by table in batches: what `aduan-admin db copy` reads. Every
/// read sees the same state, even if a server writes meanwhile.
public struct StoreExport: Sendable {
    let snapshot: DatabaseSnapshot

    /// Aduan's tables in the order they were created (a table's references were created before it), without SQLite's
    /// own tables, the migrations' bookkeeping or the R*Tree's shadow tables (an R*Tree is copied as its rows).
    public func tables() throws -> [ExportedTable] {
        try self.snapshot.read { db in
            let listed = try Row.fetchAll(db, sql: "SELECT name, type FROM pragma_table_list WHERE schema = 'main'")
            let kinds = Dictionary(uniqueKeysWithValues: listed.map { ($0["name"] as String, $0["type"] as String) })
            let created = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")
            return try created.filter { name in
                ["table", "virtual"].contains(kinds[name]) && !name.hasPrefix("sqlite_") && name != "grdb_migrations"
            }.map { name in
                let info = try Row.fetchAll(db, sql: "SELECT name, pk FROM pragma_table_info(?) ORDER BY cid", arguments: [name])
                let columns = info.map { $0["name"] as String }
                let key = info.filter { ($0["pk"] as Int) > 0 }.sorted { ($0["pk"] as Int) < ($1["pk"] as Int) }.map {
                    $0["name"] as String
                }
                let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(name.quotedDatabaseIdentifier)") ?? 0
                // A table without a declared key (an R*Tree's is its first column) is read in rowid order.
                return ExportedTable(
                    name: name, columns: columns, key: key.isEmpty ? [kinds[name] == "virtual" ? columns[0] : "rowid"] : key, rows: rows)
            }
        }
    }

    /// Up to `limit` rows of `table` after the row whose key is `after` (from the first when nil), in key order, with
    /// the key of the last one: the next batch starts after it.
    public func rows(of table: ExportedTable, after: [StoredValue]?, limit: Int) throws -> (rows: [[StoredValue]], last: [StoredValue]?) {
        try self.snapshot.read { db in
            let key = table.key.map(\.quotedDatabaseIdentifier)
            let keyList = key.count == 1 ? key[0] : "(" + key.joined(separator: ", ") + ")"
            let placeholders = key.count == 1 ? "?" : "(" + Array(repeating: "?", count: key.count).joined(separator: ", ") + ")"
            let selected = (table.columns.map(\.quotedDatabaseIdentifier) + key).joined(separator: ", ")
            let sql =
                "SELECT \(selected) FROM \(table.name.quotedDatabaseIdentifier)"
                + (after == nil ? "" : " WHERE \(keyList) > \(placeholders)") + " ORDER BY \(key.joined(separator: ", ")) LIMIT ?"
            var arguments = StatementArguments((after ?? []).map(\.databaseValue))
            arguments += [limit]
            var rows: [[StoredValue]] = []
            var last: [StoredValue]?
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            let width = table.columns.count
            while let row = try cursor.next() {
                let values = (0..<row.count).map { StoredValue(row[$0] as DatabaseValue) }
                rows.append(Array(values[..<width]))
                last = Array(values[width...])
            }
            return (rows, last)
        }
    }
}

extension Store {
    /// The database as it is now, for a copy (see `StoreExport`).
    public func export() throws -> StoreExport {
        guard let pool = try self.writer as? DatabasePool else { preconditionFailure("a SQLite store is always a DatabasePool") }
        return StoreExport(snapshot: try pool.makeSnapshot())
    }
}

extension StoredValue {
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let integer): self = .integer(integer)
        case .double(let real): self = .real(real)
        case .string(let text): self = .text(text)
        case .blob(let data): self = .blob(Array(data))
        }
    }

    public var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case .integer(let integer): return integer.databaseValue
        case .real(let real): return real.databaseValue
        case .text(let text): return text.databaseValue
        case .blob(let bytes): return Data(bytes).databaseValue
        }
    }
}
