import Foundation
import GRDB

/// A database server the store's shared logic runs on through sessions: PostgreSQL (`AduanPostgres.PostgresDatabase`).
/// Each call is one transaction, within the deadline the server puts on every use.
public protocol SQLSessions: Sendable {
    /// A read-write transaction; committed when `body` returns, rolled back when it throws.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T
    /// A read-only transaction that sees one moment of the database, as a SQLite read does.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T
    /// Runs `body` if no other server runs `job` now, nil when one does (the caller skips its turn); the job is handed
    /// over when the server running it stops or dies.
    func exclusively<T: Sendable>(_ job: ExclusiveJob, _ body: @escaping @Sendable () async throws -> T) async throws -> T?
    /// Whether the server answers (the readiness check).
    func ping() async throws
}

/// Work that one server at a time does when several share a database.
public enum ExclusiveJob: Sendable, CaseIterable {
    case slaMonitor, reports
}

/// Which engine holds a store's data. Chosen once, when the store is opened; nothing above the store knows which.
enum StoreEngine: Sendable {
    case sqlite(any DatabaseWriter)
    case server(any SQLSessions)
}

/// An operation whose shared logic is not written yet: it runs on SQLite only (issue 18 moves each onto `SQLSession`).
public struct NotOnThisEngine: Error, CustomStringConvertible {
    public let description = "this operation runs on SQLite only so far"
}

extension Store {
    /// The SQLite writer, for operations not yet written against `SQLSession`; on a database server they fail.
    var writer: any DatabaseWriter {
        get throws {
            guard case .sqlite(let writer) = self.engine else { throw NotOnThisEngine() }
            return writer
        }
    }

    /// Which engine this store runs on (for `/readyz` and the logs).
    public var engineName: String {
        switch self.engine {
        case .sqlite: return "sqlite"
        case .server: return "postgresql"
        }
    }

    /// A write transaction of the shared logic, on whichever engine holds the data.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        switch self.engine {
        case .sqlite(let writer): return try await writer.write { db in try body(db) }
        case .server(let server): return try await server.write(body)
        }
    }

    /// A read of the shared logic, in one snapshot, on whichever engine holds the data.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        switch self.engine {
        case .sqlite(let writer): return try await writer.read { db in try body(db) }
        case .server(let server): return try await server.read(body)
        }
    }

    /// Runs `body` unless another server runs `job` now (nil then). One SQLite file has one server.
    func exclusively<T: Sendable>(_ job: ExclusiveJob, _ body: @escaping @Sendable () async throws -> T) async throws -> T? {
        switch self.engine {
        case .sqlite: return try await body()
        case .server(let server): return try await server.exclusively(job, body)
        }
    }

    /// Opens the store on a database server whose schema is migrated (`PostgresMigrations.migrate`). `path` is where
    /// a SQLite file would be: the files kept beside the database (photos, the key) go beside it.
    public static func open(server: any SQLSessions, filesBeside path: String = "./data/aduan.sqlite") async throws -> Store {
        let zone = CounterZone(try await server.read { try Self.recordedCounterZone($0) })
        let bell = Doorbell()
        return Store(
            engine: .server(server), batcher: nil, batchObserver: BatchObserver(), outboxBell: bell, path: path, durability: .full,
            counterZone: zone,
            checkpointer: nil)
    }
}
