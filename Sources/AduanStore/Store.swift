import AduanCore
import AduanSchema
import Foundation
import GRDB

/// Errors of the store that callers are expected to handle.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The database was migrated by a newer binary; running this one could corrupt it.
    case databaseNewerThanBinary(path: String, unknownMigrations: [String])
    /// An Idempotency-Key was used before for a different request.
    case idempotencyKeyReused
    case cannotOpen(path: String, reason: String)
    /// So many filings wait for the next group commit that another would only wait longer: try again shortly.
    case submissionQueueFull(waiting: Int)

    public var description: String {
        switch self {
        case .databaseNewerThanBinary(let path, let unknown):
            return "\(path) was migrated by a newer aduan (unknown migrations: \(unknown.joined(separator: ", "))); "
                + "upgrade this binary instead of running an older one"
        case .idempotencyKeyReused:
            return "the Idempotency-Key was already used for a different request"
        case .cannotOpen(let path, let reason):
            return "cannot open database \(path): \(reason)"
        case .submissionQueueFull(let waiting):
            return "\(waiting) filings are waiting for the database"
        }
    }
}

/// How hard SQLite works to keep commits on disk.
public enum Durability: String, Sendable, CaseIterable {
    /// Survives a crash of the process; the last commits may be lost if the machine loses power.
    case normal
    /// Survives power loss too: every commit is fsynced.
    case full
}

/// The one gateway to the database, shared by the server and the admin CLI: a SQLite file (a DatabasePool in WAL mode
/// with a busy timeout), or a PostgreSQL server for several servers (`open(server:)`, `StoreEngine.swift`).
public struct Store: Sendable {
    let engine: StoreEngine
    /// SQLite's group commit of filings; a database server commits each filing in its own transaction.
    let batcher: SubmissionBatcher?
    /// Told the size of each group of filings committed together: SQLite's groups, a database server's single ones.
    let batchObserver: BatchObserver
    /// Rung when a commit has put announcements in the outbox, so that the dispatcher need not poll for them.
    public let outboxBell: Doorbell
    public let path: String
    let durability: Durability
    /// The months the counters count in (read from the database once migrated).
    let counterZone: CounterZone
    /// A connection of its own for WAL checkpoints, when they run in the background (`checkpoint()`) instead of in the
    /// commit that happens to fill the WAL.
    let checkpointer: DatabaseQueue?

    /// Opens (creating if needed) the database at `path` and applies pending migrations. `memoryMapped: false` reads
    /// through SQLite's page cache instead of mapping the file: for one-off reads of a large part of it (the monthly
    /// report), whose mapped pages would otherwise count in the process's resident memory.
    ///
    /// `checkpointInBackground`: SQLite copies the WAL back into the file (a checkpoint, with its fsyncs) inside the
    /// commit that fills it, holding the writer meanwhile; a server turns that off and calls `checkpoint()` from a
    /// background service instead, so that no filing waits for it.
    public static func open(
        path: String, durability: Durability = .full, migrate: Bool = true, memoryMapped: Bool = true, submissionQueue: Int = 4096,
        checkpointInBackground: Bool = false
    ) throws -> Store {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "cannot create \(directory.path): \(error.localizedDescription)")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        configuration.label = "aduan"
        configuration.prepareDatabase { db in
            // Reads map the file instead of copying each page into every connection's cache (a profile of the
            // staff queue spent a tenth of its time in pread copies).
            if memoryMapped { try db.execute(sql: "PRAGMA mmap_size = 268435456") }
        }
        let pool: DatabasePool
        let checkpointer: DatabaseQueue?
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // DatabasePool sets synchronous=NORMAL after prepareDatabase, so the level is set here, afterwards.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(durability == .full ? "FULL" : "NORMAL")")
                if checkpointInBackground { try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
            }
            if checkpointInBackground {
                var checkpointing = Configuration()
                checkpointing.busyMode = .timeout(10)
                checkpointing.label = "aduan.checkpoint"
                checkpointer = try DatabaseQueue(path: path, configuration: checkpointing)
            } else {
                checkpointer = nil
            }
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error)")
        }
        let bell = Doorbell()
        let zone = CounterZone(TimeZone(identifier: "Asia/Jakarta")!)
        let observer = BatchObserver()
        let store = Store(
            engine: .sqlite(pool),
            batcher: SubmissionBatcher(
                writer: pool, outboxBell: bell, maxWaiting: submissionQueue, counterZone: zone, batchObserver: observer),
            batchObserver: observer,
            outboxBell: bell, path: path, durability: durability, counterZone: zone, checkpointer: checkpointer)
        if migrate { try store.migrate() } else { try store.readCounterZone() }
        return store
    }

    /// A write transaction whose commit is not fsynced: for what the dispatcher writes (fan-outs, attempts), which can
    /// be done again if a power cut loses it (a fan-out is redone from its place in the outbox, an attempt is
    /// repeated: delivery is at least once). The next fully synced commit makes it durable with everything before it
    /// (WAL frames are synced in order), so nothing is ever reordered. Keeps the dispatcher from adding an fsync per
    /// group commit of filings.
    /// A database server makes every commit durable: there it is a write.
    func relaxedWrite<T: Sendable>(_ updates: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        guard case .sqlite(let writer) = self.engine, self.durability == .full else { return try await self.write(updates) }
        return try await writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            let result = Result {
                var value: T?
                try db.inTransaction {
                    value = try updates(db)
                    return .commit
                }
                return value!
            }
            // Back to FULL before anything else uses the connection; if that fails, so does this write, loudly.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            return try result.get()
        }
    }

    // MARK: - Migrations

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in AduanSchema.migrations {
            migrator.registerMigration(migration.name) { db in
                try db.execute(sql: migration.sql)
                // The counters start from the history already there.
                if migration.name == "aduan_0011_counters" {
                    try Self.recount(now: Date(), months: CounterMonths(timeZone: try Self.recordedCounterZone(db)), db)
                }
            }
        }
        return migrator
    }

    /// Applies the migrations this binary knows and the database lacks; refuses a database from a newer binary.
    @discardableResult
    public func migrate() throws -> [String] {
        let migrator = Self.migrator
        let (applied, known) = try self.writer.read { db in (try migrator.appliedIdentifiers(db), migrator.migrations) }
        let unknown = applied.subtracting(known).sorted()
        if !unknown.isEmpty { throw StoreError.databaseNewerThanBinary(path: self.path, unknownMigrations: unknown) }
        let pending = known.filter { !applied.contains($0) }
        try migrator.migrate(self.writer)
        try self.readCounterZone()
        return pending
    }

    /// Takes the counters' zone from the database, once it has one.
    func readCounterZone() throws {
        let zone = try self.writer.read { db in
            try db.tableExists("report_counter_zone") ? try Self.recordedCounterZone(db) : nil
        }
        if let zone { self.counterZone.set(zone) }
    }

    /// The migrations applied to the database, in order.
    public func appliedMigrations() throws -> [String] {
        let migrator = Self.migrator
        return try self.writer.read { db in try migrator.appliedMigrations(db) }
    }

    /// The `PRAGMA synchronous` level in force on the writer connection (2 = FULL, 1 = NORMAL).
    public func synchronousLevel() throws -> Int {
        try self.writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// SQLite's integrity and foreign-key checks; an empty list means the file is sound.
    public func check() throws -> [String] {
        try self.writer.read { db in
            var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            let violations = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            problems += violations.map { "foreign key violation in \($0[0] as String? ?? "?") row \($0[1] as Int64? ?? 0)" }
            return problems
        }
    }

    /// Whether the database answers a query: the readiness check.
    public func ping() async throws {
        switch self.engine {
        case .sqlite(let writer): _ = try await writer.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
        case .server(let server): try await server.ping()
        }
    }

    /// Whether the writer can write now: it takes the write lock and gives it back (`BEGIN IMMEDIATE; ROLLBACK`), so a
    /// read-only file or a lock held past the busy timeout fails here rather than on the next filing.
    public func checkWritable() async throws {
        guard case .sqlite(let writer) = self.engine else {
            // A database server: a standby (or a read-only one) refuses a read-write transaction.
            return try await self.write { try $0.execute("SET TRANSACTION READ WRITE") }
        }
        try await writer.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            try db.execute(sql: "ROLLBACK")
        }
    }

    /// Whether checkpoints are the caller's to run (`checkpointInBackground`).
    public var checkpointsInBackground: Bool { self.checkpointer != nil }

    /// Copies what the WAL holds back into the database file, waiting for no writer or reader (PASSIVE: what a reader
    /// still uses stays for the next one). Returns the WAL's frames and how many are now copied; nil when SQLite
    /// checkpoints by itself.
    @discardableResult
    public func checkpoint() async throws -> (frames: Int, copied: Int)? {
        guard let checkpointer = self.checkpointer else { return nil }
        return try await checkpointer.writeWithoutTransaction { db in
            let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
            return (row?[1] ?? 0, row?[2] ?? 0)
        }
    }

    /// Bytes free on the filesystem that holds the database file.
    public func freeDiskBytes() throws -> Int64 {
        let directory = (self.path as NSString).deletingLastPathComponent
        let attributes = try FileManager.default.attributesOfFileSystem(forPath: directory.isEmpty ? "." : directory)
        return (attributes[.systemFreeSize] as? NSNumber)?.int64Value ?? 0
    }
}
