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
    /// A migration has ten minutes, whatever the deadline of everyday work: a server starting on a busy machine, or a
    /// later migration's rewrite of a large table, takes what it takes.
    @discardableResult
    public func migrate() async throws -> [String] {
        let url = self.url
        return try await self.withTransaction(within: .seconds(600)) { connection in
            try await connection.query("SET LOCAL statement_timeout = 600000", logger: self.logger)
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: self.logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS aduan_migration (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)", logger: self.logger)
            let applied = try await Self.appliedMigrations(connection, self)
            let known = AduanSchema.postgresMigrations.map(\.name)
            let unknown = applied.filter { !known.contains($0) }
            guard unknown.isEmpty else { throw StoreError.databaseNewerThanBinary(path: url.description, unknownMigrations: unknown) }
            var done: [String] = []
            for migration in AduanSchema.postgresMigrations where !applied.contains(migration.name) {
                for statement in SQLText.statements(migration.sql) {
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
        guard !applied.isEmpty else { return ["no Aduan tables (create them with: aduan-admin db migrate --database-url URL)"] }
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
