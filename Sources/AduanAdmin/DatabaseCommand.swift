import AduanPostgres
import AduanStore
import ArgumentParser
import Foundation

/// `aduan-admin db ...`: migrate, check, back up and restore the database file.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Migrate, check, back up or restore the database, recount its monthly figures, or copy it to PostgreSQL.",
        subcommands: [Migrate.self, Check.self, Backup.self, Restore.self, Recount.self, Copy.self])

    struct Options: ParsableArguments, StoreLocation {
        @Option(help: "SQLite database file.") var db = "./data/aduan.sqlite"
        @Option(name: .customLong("database-url"), help: "A PostgreSQL database instead of the file (default: ADUAN_DATABASE_URL).")
        var databaseURL: String?
    }

    /// A command that works on either engine: the SQLite file, or a PostgreSQL database by its URL.
    struct EitherOptions: ParsableArguments {
        @Option(help: "SQLite database file.") var db = "./data/aduan.sqlite"
        @Option(name: .customLong("database-url"), help: "A PostgreSQL database (postgres://USER@HOST/DATABASE) instead of the file.")
        var databaseURL: String?

        /// The PostgreSQL database, when one is named.
        func postgres() throws -> DatabaseURL? {
            guard let text = self.databaseURL else { return nil }
            do { return try DatabaseURL(text) } catch { throw Failure("\(error)") }
        }
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply pending migrations (creating the file if needed).",
            discussion: """
                Example: aduan-admin db migrate --db /var/lib/aduan/aduan.sqlite
                         aduan-admin db migrate --database-url postgres://aduan@db.internal/aduan
                """)
        @OptionGroup var options: EitherOptions

        func run() async throws {
            if let url = try self.options.postgres() {
                // A migration may rewrite large tables: minutes, not the seconds a request gets.
                let applied = try await DatabaseCommand.onPostgres(url, deadline: .seconds(600)) { try await $0.migrate() }
                print(applied.isEmpty ? "\(url): up to date" : "\(url): applied \(applied.joined(separator: ", "))")
                return
            }
            do {
                let store = try Store.open(path: self.options.db, migrate: false)
                let applied = try store.migrate()
                print(applied.isEmpty ? "\(self.options.db): up to date" : "\(self.options.db): applied \(applied.joined(separator: ", "))")
            } catch let error as StoreError {
                throw Failure(error.description)
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the file's integrity and migration state.",
            discussion: """
                Example: aduan-admin db check --db /var/lib/aduan/aduan.sqlite
                         aduan-admin db check --database-url postgres://aduan@db.internal/aduan
                """)
        @OptionGroup var options: EitherOptions

        func run() async throws {
            if let url = try self.options.postgres() {
                let (problems, applied) = try await DatabaseCommand.onPostgres(url) {
                    (try await $0.check(), try await $0.appliedMigrations())
                }
                guard problems.isEmpty else {
                    throw Failure("\(url): \(problems.count) problem(s): \(problems.prefix(5).joined(separator: "; "))")
                }
                print("\(url): ok, migrations: \(applied.joined(separator: ", "))")
                return
            }
            guard FileManager.default.fileExists(atPath: self.options.db) else {
                throw Failure("no database at \(self.options.db) (create it with: aduan-admin db migrate --db \(self.options.db))")
            }
            do {
                let store = try Store.open(path: self.options.db, migrate: false)
                let problems = try store.check()
                let applied = try store.appliedMigrations()
                guard problems.isEmpty else {
                    throw Failure("\(self.options.db): \(problems.count) problem(s): \(problems.prefix(5).joined(separator: "; "))")
                }
                print(
                    "\(self.options.db): ok, \(try await store.complaintCount()) complaint(s), migrations: \(applied.joined(separator: ", "))"
                )
            } catch let error as StoreError {
                throw Failure(error.description)
            }
        }
    }

    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the database while the server runs, check the copy and print what it holds.",
            discussion: """
                The copy is one consistent moment (SQLite's online backup), checked with integrity_check. It holds the
                database only: copy the photos directory beside it too, and keep the key file (aduan.key) apart from
                backups, or a backup could open what the key seals. On PostgreSQL (--database-url) it is pg_dump's
                custom format, listed back with pg_restore before it is kept.
                Example: aduan-admin db backup --db /var/lib/aduan/aduan.sqlite --to /var/lib/aduan/backups/aduan-20261206.sqlite
                         aduan-admin db backup --database-url postgres://aduan@db.internal/aduan --to /backups/aduan-20261206.dump
                """)
        @OptionGroup var options: EitherOptions
        @Option(help: "Where the copy goes (must not exist).") var to: String

        func run() async throws {
            if let url = try self.options.postgres() {
                do {
                    let (tables, bytes) = try PostgresBackup.backup(url, to: self.to)
                    print(
                        "\(self.to): ok, pg_dump of \(url): \(tables) tables' data, \(bytes) bytes (restore: aduan-admin db restore --database-url)"
                    )
                } catch let error as BackupFailed {
                    throw Failure(error.description)
                }
                return
            }
            guard FileManager.default.fileExists(atPath: self.options.db) else { throw Failure("no database at \(self.options.db)") }
            do {
                // As it is, never migrated: a backup taken before an upgrade must hold the old schema, and a backup
                // must not write to the database a running server holds.
                let store = try Store.open(path: self.options.db, migrate: false)
                let counts = try store.backup(to: self.to)
                print("\(self.to): ok, \(counts)")
            } catch let error as BackupError {
                throw Failure(error.description)
            } catch let error as StoreError {
                throw Failure(error.description)
            }
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a backup in the place of the database (the server must be stopped).",
            discussion: """
                The backup is checked first. The database it replaces is kept as FILE.before-restore-TIME. On PostgreSQL
                (--database-url, a pg_dump from db backup) it goes into a new, empty database, in one transaction.
                Example: aduan-admin db restore --from /var/lib/aduan/backups/aduan-20261206.sqlite --db /var/lib/aduan/aduan.sqlite
                         aduan-admin db restore --from /backups/aduan-20261206.dump --database-url postgres://aduan@db.internal/aduan2
                """)
        @OptionGroup var options: EitherOptions
        @Option(help: "The backup to restore.") var from: String

        func run() async throws {
            guard FileManager.default.fileExists(atPath: self.from) else { throw Failure("no backup at \(self.from)") }
            if let url = try self.options.postgres() {
                do {
                    try PostgresBackup.restore(self.from, into: url)
                } catch let error as BackupFailed {
                    throw Failure(error.description)
                }
                let problems = try await DatabaseCommand.onPostgres(url) { try await $0.check() }
                guard problems.isEmpty else { throw Failure("\(url): restored, but \(problems.joined(separator: "; "))") }
                print("\(url): restored from \(self.from), checked")
                return
            }
            do {
                let (counts, kept) = try Store.restore(from: self.from, to: self.options.db)
                print("\(self.options.db): restored from \(self.from), \(counts)")
                if let kept { print("the database it replaced is kept as \(kept)") }
            } catch let error as BackupError {
                throw Failure(error.description)
            }
        }
    }

    struct Recount: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count the monthly figures again from the complaints' history.",
            discussion: """
                The monthly report reads counters written with each change. This replaces them with a replay of the
                whole history (as the upgrade to schema 11 did), in one transaction: filings wait meanwhile.
                Example: aduan-admin db recount --db /var/lib/aduan/aduan.sqlite
                """)
        @OptionGroup var options: Options

        func run() async throws {
            // Read through SQLite's cache, not mapped: a whole history's pages would count as this command's memory.
            let store = try await StoreAccess.open(self.options, memoryMapped: false)
            let started = ContinuousClock.now
            try await store.recountCounters()
            let elapsed = ContinuousClock.now - started
            let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
            print("\(self.options.db): counted \(try await store.complaintCount()) complaint(s) again in \(milliseconds) ms")
        }
    }
}

extension DatabaseCommand {
    /// `body` on the PostgreSQL database, its faults and refusals as one-line failures.
    static func onPostgres<T: Sendable>(
        _ url: DatabaseURL, deadline: Duration = .seconds(10), _ body: @Sendable (PostgresDatabase) async throws -> T
    ) async throws -> T {
        try await Self.explaining(url) {
            try await PostgresDatabase.probe(url)
            return try await PostgresDatabase.using(url, deadline: deadline, body)
        }
    }

    /// `body`, its database faults and refusals as one-line failures that name `url`.
    static func explaining<T>(_ url: DatabaseURL, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw Failure(error.description)
        } catch let error as DatabaseUnavailable {
            throw Failure("\(url): \(error)")
        } catch let error where PostgresDatabase.explanation(of: error) != nil {
            throw Failure("\(url): \(PostgresDatabase.explanation(of: error)!)")
        }
    }
}

extension DatabaseCommand {
    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a whole SQLite database into an empty, migrated PostgreSQL database, and check the counts.",
            discussion: """
                Everything is copied: complaints, their history, photos' rows, snapshots, the monthly counters. It is one
                transaction: a copy that fails leaves the target as it was. The source is read as it stood when the copy
                began; stop the server first, or what it writes meanwhile is not copied. Needs a superuser role on the
                target (rows go in with triggers off).
                Example: aduan-admin db migrate --database-url postgres://postgres@db.internal/aduan
                         aduan-admin db copy --from /var/lib/aduan/aduan.sqlite --to postgres://postgres@db.internal/aduan
                """)
        @Option(help: "The SQLite database file to copy.") var from: String
        @Option(help: "The PostgreSQL database (postgres://USER@HOST/DATABASE), migrated and empty.") var to: String
        @Option(help: "Rows per INSERT.") var batch = 1000

        func run() async throws {
            guard self.batch > 0 else { throw Failure("--batch must be positive") }
            let source = try StoreAccess.open(self.from, memoryMapped: false)
            let url: DatabaseURL
            do { url = try DatabaseURL(self.to) } catch { throw Failure("\(error)") }
            let export = try source.export()
            let started = ContinuousClock.now
            let batch = self.batch
            let copied = try await DatabaseCommand.onPostgres(url, deadline: .seconds(6 * 3600)) { database in
                do {
                    return try await database.copy(from: export, batch: batch) { print("\($0.name): \($0.rows)") }
                } catch let error as CopyRefused {
                    throw Failure("\(error)")
                }
            }
            let rows = copied.map(\.rows).reduce(0, +)
            print(
                "copied \(copied.count) tables, \(rows) rows, counts checked, in \(started.duration(to: .now).formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1))))"
            )
        }
    }
}
