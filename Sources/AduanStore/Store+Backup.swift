import AduanCore
import Foundation
import GRDB

/// What a backup holds, counted in the copy itself.
public struct BackupCounts: Sendable, Equatable, CustomStringConvertible {
    public var complaints = 0
    public var events = 0
    public var photos = 0
    public var reports = 0
    public var deliveries = 0
    public var migrations: [String] = []

    public var description: String {
        "\(self.complaints) complaints, \(self.events) events, \(self.photos) photo rows, \(self.reports) report versions, "
            + "\(self.deliveries) deliveries, schema \(self.migrations.last ?? "-")"
    }
}

/// Why a backup or restore was refused.
public enum BackupError: Error, CustomStringConvertible, Equatable {
    case exists(String)
    case notADatabase(String, reason: String)
    case damaged(String, problems: [String])
    case newerThanBinary(String, unknown: [String])
    case live(String)

    public var description: String {
        switch self {
        case .exists(let path): return "\(path) already exists; choose a new name (backups are never overwritten)"
        case .notADatabase(let path, let reason): return "\(path) is not an Aduan database: \(reason)"
        case .damaged(let path, let problems): return "\(path) failed its integrity check: \(problems.prefix(3).joined(separator: "; "))"
        case .newerThanBinary(let path, let unknown):
            return "\(path) was made by a newer aduan (migrations \(unknown.joined(separator: ", "))); restore it with that version"
        case .live(let path):
            return "\(path) is in use by a running aduan-server; stop it first (systemctl stop aduan-server)"
        }
    }
}

extension Store {
    /// Copies the database to `path` while the server goes on writing: SQLite's online backup from one read
    /// transaction (in WAL mode a reader neither blocks the writer nor sees half a commit, so the copy is one
    /// consistent moment). Written beside `path` first, checked (`integrity_check`), then renamed into place.
    public func backup(to path: String) throws -> BackupCounts {
        guard !FileManager.default.fileExists(atPath: path) else { throw BackupError.exists(path) }
        let temporary = path + ".partial-" + Secrets.hex(Secrets.randomBytes(4))
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        do {
            let copy = try DatabaseQueue(path: temporary)
            try self.writer.backup(to: copy)
            // One self-contained file, with no -wal beside it (the server turns WAL on again when it opens a restore).
            try copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try copy.close()
        }
        let counts = try Self.verify(temporary)
        try Self.syncFile(temporary)
        guard rename(temporary, path) == 0 else { throw BackupError.notADatabase(path, reason: String(cString: strerror(errno))) }
        try Self.syncFile((path as NSString).deletingLastPathComponent)
        return counts
    }

    /// Checks a copy (integrity, an Aduan schema this binary knows) and counts what it holds.
    public static func verify(_ path: String) throws -> BackupCounts {
        var configuration = Configuration()
        configuration.readonly = true
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw BackupError.notADatabase(path, reason: "\(error)")
        }
        defer { try? queue.close() }
        return try queue.read { db in
            let problems: [String]
            let applied: [String]
            do {
                problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
                applied = try Self.migrator.appliedIdentifiers(db).sorted()
            } catch {
                throw BackupError.notADatabase(path, reason: (error as? DatabaseError)?.message ?? "\(error)")
            }
            guard problems.isEmpty else { throw BackupError.damaged(path, problems: problems) }
            guard !applied.isEmpty else { throw BackupError.notADatabase(path, reason: "no Aduan migrations") }
            let unknown = Set(applied).subtracting(Self.migrator.migrations).sorted()
            guard unknown.isEmpty else { throw BackupError.newerThanBinary(path, unknown: unknown) }
            func count(_ table: String) throws -> Int { try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
            var counts = BackupCounts()
            counts.complaints = try count("complaint")
            counts.events = try count("complaint_event")
            counts.photos = try count("photo")
            counts.reports = try count("report_snapshot")
            counts.deliveries = try count("delivery")
            counts.migrations = applied
            return counts
        }
    }

    /// Puts a checked backup in the place of the database at `path`, which no server may have open: the copy is written
    /// beside it and synced, the old file is kept as `path.before-restore-<time>` (with its WAL checkpointed into it),
    /// and the copy renamed into place.
    public static func restore(from backup: String, to path: String, now: Date = Date()) throws -> (BackupCounts, kept: String?) {
        let counts = try Self.verify(backup)
        let lock = try ServerLock(database: path, exclusive: true)
        defer { lock.release() }
        let temporary = path + ".restoring-" + Secrets.hex(Secrets.randomBytes(4))
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: backup, toPath: temporary)
        try Self.syncFile(temporary)
        var kept: String?
        if FileManager.default.fileExists(atPath: path) {
            // Fold the old WAL into its file, so the kept copy is whole on its own.
            if let old = try? DatabaseQueue(path: path) {
                try? old.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
                try? old.close()
            }
            let name = path + ".before-restore-" + DatabaseTimestamp.string(now).prefix(19).replacingOccurrences(of: " ", with: "T")
                .replacingOccurrences(of: ":", with: "")
            guard rename(path, name) == 0 else { throw BackupError.notADatabase(path, reason: String(cString: strerror(errno))) }
            kept = name
        }
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        guard rename(temporary, path) == 0 else { throw BackupError.notADatabase(path, reason: String(cString: strerror(errno))) }
        try Self.syncFile((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent)
        return (counts, kept)
    }

    static func syncFile(_ path: String) throws {
        let descriptor = Glibc.open(path.isEmpty ? "." : path, O_RDONLY)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        fsync(descriptor)
    }
}

/// The server's hold on its database: `aduan-server` takes it shared for its lifetime on `<db>.lock`, and a restore
/// takes it exclusively, so a restore never replaces a file a running server has open. An advisory lock (flock): it
/// goes with the process, whatever way it ends.
public final class ServerLock: Sendable {
    let descriptor: Int32

    public init(database: String, exclusive: Bool) throws {
        let path = database + ".lock"
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw BackupError.notADatabase(database, reason: "cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0 else {
            close(descriptor)
            throw BackupError.live(database)
        }
        self.descriptor = descriptor
    }

    public func release() {
        flock(self.descriptor, LOCK_UN)
        close(self.descriptor)
    }
}
