import AduanSchema
import AduanStore
import Foundation
import PostgresNIO

extension PostgresDatabase {
    /// The advisory lock servers take to migrate one at a time ("AduanMig").
    static let migrationLock: Int64 = 0x4164_7561_6E4D_6967

    /// Applies the migrations this binary knows and the database lacks, in one transaction under an advisory lock, so
    /// that servers starting together migrate once; refuses a database migrated by a newer binary. PostgreSQL's
    /// migrations start at a baseline equal to SQLite's schema 1-11 (`schema/postgres/`); later ones come in pairs with
    /// SQLite's, under the same names.
    @discardableResult
    public func migrate() async throws -> [String] {
        let url = self.url
        return try await self.withTransaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: self.logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS aduan_migration (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)", logger: self.logger)
            let applied = try await Self.appliedMigrations(connection, self)
            let known = AduanSchema.postgresMigrations.map(\.name)
            let unknown = applied.filter { !known.contains($0) }
            guard unknown.isEmpty else { throw StoreError.databaseNewerThanBinary(path: url.description, unknownMigrations: unknown) }
            var done: [String] = []
            for migration in AduanSchema.postgresMigrations where !applied.contains(migration.name) {
                for statement in SQLStatements.split(migration.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                }
                let now = ISO8601DateFormatter().string(from: Date())
                try await connection.query(
                    "INSERT INTO aduan_migration (name, applied_at) VALUES (\(migration.name), \(now))", logger: self.logger)
                done.append(migration.name)
            }
            return done
        }
    }

    /// The migrations applied to the database, in order (none when it has no Aduan tables).
    public func appliedMigrations() async throws -> [String] {
        try await self.withConnection { connection in try await Self.appliedMigrations(connection, self) }
    }

    static func appliedMigrations(_ connection: PostgresConnection, _ database: PostgresDatabase) async throws -> [String] {
        let exists = try await connection.query("SELECT to_regclass('aduan_migration') IS NOT NULL", logger: database.logger)
        for try await (present) in exists.decode(Bool.self) where !present { return [] }
        var names: [String] = []
        for try await (name) in try await connection.query("SELECT name FROM aduan_migration ORDER BY name", logger: database.logger)
            .decode(String.self)
        {
            names.append(name)
        }
        return names
    }

    /// What is wrong with the database, if anything: migrations missing or unknown to this binary, and constraints
    /// PostgreSQL could not validate. An empty list means it is sound.
    public func check() async throws -> [String] {
        let applied = try await self.appliedMigrations()
        let known = AduanSchema.postgresMigrations.map(\.name)
        var problems: [String] = []
        let unknown = applied.filter { !known.contains($0) }
        if !unknown.isEmpty { problems.append("migrated by a newer aduan: \(unknown.joined(separator: ", "))") }
        let missing = known.filter { !applied.contains($0) }
        if !missing.isEmpty { problems.append("migrations not applied: \(missing.joined(separator: ", "))") }
        let invalid = try await self.withConnection { connection in
            var names: [String] = []
            let rows = try await connection.query(
                "SELECT conname::text FROM pg_constraint WHERE NOT convalidated ORDER BY conname", logger: self.logger)
            for try await (name) in rows.decode(String.self) { names.append(name) }
            return names
        }
        problems += invalid.map { "constraint not validated: \($0)" }
        return problems
    }

    /// Whether the database answers a query: the readiness check.
    public func ping() async throws {
        try await self.withConnection { connection in _ = try await connection.query("SELECT 1", logger: self.logger) }
    }
}

/// SQL text as its statements, for a driver that sends one statement at a time: split at semicolons outside string
/// literals, quoted names, comments and dollar-quoted bodies (a PL/pgSQL function is one statement).
enum SQLStatements {
    static func split(_ sql: String) -> [String] {
        let text = Array(sql.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0
        func flush() {
            let statement = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
            if !statement.isEmpty, !Self.isOnlyComments(statement) { statements.append(statement) }
            current = String.UnicodeScalarView()
        }
        while index < text.count {
            let scalar = text[index]
            let next = index + 1 < text.count ? text[index + 1] : nil
            if scalar == "-" && next == "-" {
                // A line comment: kept with its statement, up to the end of the line.
                while index < text.count && text[index] != "\n" {
                    current.append(text[index])
                    index += 1
                }
                continue
            }
            if scalar == "/" && next == "*" {
                let end = Self.find(["*", "/"], in: text, from: index + 2) ?? text.count
                current.append(contentsOf: text[index..<min(end + 2, text.count)])
                index = end + 2
                continue
            }
            if scalar == "'" || scalar == "\"" {
                // A literal or quoted name; a doubled quote inside is part of it.
                var end = index + 1
                while end < text.count {
                    if text[end] == scalar {
                        if end + 1 < text.count && text[end + 1] == scalar { end += 2; continue }
                        break
                    }
                    end += 1
                }
                current.append(contentsOf: text[index..<min(end + 1, text.count)])
                index = end + 1
                continue
            }
            if scalar == "$", let tag = Self.dollarTag(text, at: index) {
                let close = Self.find(tag, in: text, from: index + tag.count) ?? text.count
                current.append(contentsOf: text[index..<min(close + tag.count, text.count)])
                index = close + tag.count
                continue
            }
            if scalar == ";" {
                flush()
                index += 1
                continue
            }
            current.append(scalar)
            index += 1
        }
        flush()
        return statements
    }

    /// `$tag$` (or `$$`) starting at `index`, if one does.
    static func dollarTag(_ text: [Unicode.Scalar], at index: Int) -> [Unicode.Scalar]? {
        var end = index + 1
        while end < text.count,
            text[end] == "_" || text[end].properties.isAlphabetic || (end > index + 1 && ("0"..."9").contains(text[end]))
        {
            end += 1
        }
        guard end < text.count, text[end] == "$" else { return nil }
        return Array(text[index...end])
    }

    static func find(_ needle: [Unicode.Scalar], in text: [Unicode.Scalar], from start: Int) -> Int? {
        guard !needle.isEmpty, start <= text.count - needle.count else { return nil }
        for position in start...(text.count - needle.count) where text[position] == needle[0] {
            if Array(text[position..<(position + needle.count)]) == needle { return position }
        }
        return nil
    }

    static func isOnlyComments(_ statement: String) -> Bool {
        statement.split(separator: "\n").allSatisfy { $0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
    }
}
