import AduanStore
import Foundation
import NIOCore
import PostgresNIO

/// A table copied, and its rows.
public struct CopiedTable: Sendable, Equatable {
    public let name: String
    public let rows: Int
}

/// Why a copy stopped (nothing of it was kept: it is one transaction).
public struct CopyRefused: Error, CustomStringConvertible {
    public let description: String
    init(_ reason: String) { self.description = reason }
}

extension PostgresDatabase {
    /// Copies a whole SQLite database (`Store.export()`) into this one, which must be migrated and hold no Aduan data:
    /// every table's rows as they are (history, snapshots, counters, the place indexes), in one transaction, then the
    /// identity sequences moved past the copied ids, then each table's count checked against the source. Triggers
    /// are off while rows go in (`session_replication_role = replica`, which needs a superuser): the append-only
    /// guards would refuse nothing here, and the counting triggers would count twice what the rows already hold.
    public func copy(from export: StoreExport, batch: Int = 1000, progress: @escaping @Sendable (CopiedTable) -> Void = { _ in })
        async throws -> [CopiedTable]
    {
        let tables = try export.tables()
        let migrated = try await self.appliedMigrations()
        guard !migrated.isEmpty else {
            throw CopyRefused("\(self.url) has no Aduan tables (run: aduan-admin db migrate --database-url URL)")
        }
        return try await self.withTransaction { connection in
            do {
                try await connection.query("SET LOCAL session_replication_role = replica", logger: self.logger)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42501" {
                throw CopyRefused("db copy needs a superuser role on \(self.url): it writes rows as they are, with triggers off")
            }
            let types = try await Self.columnTypes(connection, self)
            // The baseline's one seeded row is replaced by the source's.
            try await connection.query("DELETE FROM report_counter_zone", logger: self.logger)
            for table in tables {
                guard let target = types[table.name] else { throw CopyRefused("\(table.name): no such table in \(self.url)") }
                let missing = table.columns.filter { target[$0] == nil }
                guard missing.isEmpty else {
                    throw CopyRefused("\(table.name): no column(s) \(missing.joined(separator: ", ")) in \(self.url)")
                }
                let rows = try await connection.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table.name)"), logger: self.logger)
                for try await (count) in rows.decode(Int64.self) where count > 0 {
                    throw CopyRefused("\(self.url) already holds \(table.name) rows: db copy fills an empty database only")
                }
            }
            var copied: [CopiedTable] = []
            for table in tables {
                let columnTypes = table.columns.map { types[table.name]![$0]! }
                let perStatement = max(1, min(batch, Int(UInt16.max) / max(1, table.columns.count)))
                var after: [StoredValue]? = nil
                var count = 0
                while true {
                    let (rows, last) = try export.rows(of: table, after: after, limit: perStatement)
                    if rows.isEmpty { break }
                    try await connection.query(try Self.insert(rows, into: table, types: columnTypes), logger: self.logger)
                    count += rows.count
                    after = last
                }
                let done = CopiedTable(name: table.name, rows: count)
                copied.append(done)
                progress(done)
            }
            try await Self.advanceIdentities(connection, self)
            // The check: every table holds what the source held.
            for table in tables {
                let rows = try await connection.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table.name)"), logger: self.logger)
                for try await (count) in rows.decode(Int64.self) where count != table.rows {
                    throw CopyRefused("\(table.name): \(count) rows copied, the source has \(table.rows)")
                }
            }
            return copied
        }
    }

    /// Each table's columns and their types, generated columns left out (PostgreSQL computes them).
    static func columnTypes(_ connection: PostgresConnection, _ database: PostgresDatabase) async throws -> [String: [String: String]] {
        var types: [String: [String: String]] = [:]
        let rows = try await connection.query(
            """
            SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns
            WHERE table_schema = current_schema() AND is_generated = 'NEVER'
            """, logger: database.logger)
        for try await (table, column, type) in rows.decode((String, String, String).self) { types[table, default: [:]][column] = type }
        return types
    }

    /// One multi-row INSERT, each value bound as its column's type.
    static func insert(_ rows: [[StoredValue]], into table: ExportedTable, types: [String]) throws -> PostgresQuery {
        var bindings = PostgresBindings(capacity: rows.count * table.columns.count)
        var tuples: [String] = []
        tuples.reserveCapacity(rows.count)
        var parameter = 0
        for row in rows {
            var placeholders: [String] = []
            for (index, value) in row.enumerated() {
                parameter += 1
                placeholders.append("$\(parameter)")
                try bind(value, as: types[index], to: &bindings, column: "\(table.name).\(table.columns[index])")
            }
            tuples.append("(" + placeholders.joined(separator: ", ") + ")")
        }
        let columns = table.columns.map { "\"\($0)\"" }.joined(separator: ", ")
        return PostgresQuery(unsafeSQL: "INSERT INTO \(table.name) (\(columns)) VALUES " + tuples.joined(separator: ", "), binds: bindings)
    }

    static func bind(_ value: StoredValue, as type: String, to bindings: inout PostgresBindings, column: String) throws {
        func refuse() -> CopyRefused { CopyRefused("\(column): \(value) does not fit \(type)") }
        switch (value, type) {
        case (.null, _): bindings.appendNull()
        case (.integer(let integer), "bigint"), (.integer(let integer), "integer"), (.integer(let integer), "smallint"):
            bindings.append(integer)
        case (.real(let real), "bigint"), (.real(let real), "integer"), (.real(let real), "smallint"):
            guard let integer = Int64(exactly: real) else { throw refuse() }
            bindings.append(integer)
        case (.integer(let integer), "double precision"), (.integer(let integer), "real"), (.integer(let integer), "numeric"):
            bindings.append(Double(integer))
        case (.real(let real), "double precision"), (.real(let real), "real"), (.real(let real), "numeric"):
            bindings.append(real)
        case (.text(let text), "text"), (.text(let text), "character varying"):
            guard !text.utf8.contains(0) else { throw CopyRefused("\(column): a text with a NUL character, which PostgreSQL cannot hold") }
            bindings.append(text)
        case (.integer(let integer), "text"):
            bindings.append(String(integer))
        case (.blob(let bytes), "bytea"):
            bindings.append(ByteBuffer(bytes: bytes))
        case (.text(let text), "bytea"):
            bindings.append(ByteBuffer(string: text))
        default:
            throw refuse()
        }
    }

    /// Moves every identity sequence past the largest id copied, so that the next row gets a new id.
    static func advanceIdentities(_ connection: PostgresConnection, _ database: PostgresDatabase) async throws {
        var identities: [(String, String)] = []
        let rows = try await connection.query(
            """
            SELECT table_name::text, column_name::text FROM information_schema.columns
            WHERE table_schema = current_schema() AND is_identity = 'YES'
            """, logger: database.logger)
        for try await (table, column) in rows.decode((String, String).self) { identities.append((table, column)) }
        for (table, column) in identities {
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT setval(pg_get_serial_sequence('\(table)', '\(column)'), COALESCE(max("\(column)"), 1), max("\(column)") IS NOT NULL)
                        FROM \(table)
                        """), logger: database.logger)
        }
    }
}
