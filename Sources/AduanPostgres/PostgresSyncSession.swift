import AduanStore
import Dispatch
import Foundation
import GRDB
import NIOCore
import PostgresNIO

/// A leased PostgreSQL connection inside a transaction, driven synchronously from a dispatch thread: the store's
/// logic is written once against `SQLSession` and runs unchanged on SQLite (GRDB runs it on its writer's queue) and
/// here. Each statement waits on the connection's future from that thread, never from an event loop or a task of the
/// cooperative pool, as GRDB's reads and writes wait on their own queues.
struct PostgresSyncSession: SQLSession {
    let connection: PostgresConnection

    var dialect: SQLDialect { .postgres }

    func execute(_ sql: String, values: [DatabaseValue]) throws {
        _ = try self.query(sql, values)
    }

    func fetch(_ sql: String, values: [DatabaseValue]) throws -> [Row] {
        try self.query(sql, values).rows.map { row in
            var columns: [String: DatabaseValue] = [:]
            for cell in row { columns[cell.columnName] = try Self.value(cell).databaseValue }
            return Row(columns)
        }
    }

    func serialize(on key: SerialKey) throws {
        switch key {
        case .outbox: try self.execute("SELECT pg_advisory_xact_lock(\(SerialLock.outbox))", values: [])
        case .monthClose: try self.execute("SELECT pg_advisory_xact_lock(\(SerialLock.monthClose))", values: [])
        case .calendar: try self.execute("SELECT pg_advisory_xact_lock(\(SerialLock.calendar))", values: [])
        // Keys in their own spaces (the two-number form), by a hash of the value: a collision only makes two
        // transactions wait for each other.
        case .idempotencyKey(let hash):
            try self.execute("SELECT pg_advisory_xact_lock(\(SerialLock.idempotencyKeys), hashtext(?))", values: [hash.databaseValue])
        case .signIn(let phone):
            try self.execute("SELECT pg_advisory_xact_lock(\(SerialLock.signIns), hashtext(?))", values: [phone.databaseValue])
        case .reportVersions(let report):
            try self.execute("SELECT pg_advisory_xact_lock(\(SerialLock.reportVersions), hashtext(?))", values: [report.databaseValue])
        }
    }

    private func query(_ sql: String, _ values: [DatabaseValue]) throws -> PostgresQueryResult {
        try self.connection.query(SQLText.numbered(sql), values.map(Self.data)).wait()
    }

    static func data(_ value: DatabaseValue) -> PostgresData {
        switch value.storage {
        case .null: return .null
        case .int64(let integer): return PostgresData(int64: integer)
        case .double(let real): return PostgresData(double: real)
        case .string(let text): return PostgresData(string: text)
        case .blob(let bytes): return PostgresData(bytes: Array(bytes))
        }
    }

    static func value(_ cell: PostgresCell) throws -> StoredValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .float4, .float8: return .real(try cell.decode(Double.self))
        // A sum of bigints is numeric: its text is exact, and becomes an integer when it is whole.
        case .numeric:
            let text = try cell.decode(String.self)
            if let integer = Int64(text) { return .integer(integer) }
            guard let real = Double(text) else { throw StoredValueUnreadable(text: text) }
            return .real(real)
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .bytea: return .blob(Array(buffer: try cell.decode(ByteBuffer.self)))
        default: return .text(try cell.decode(String.self))
        }
    }
}

/// A value PostgreSQL sent that the store cannot hold.
struct StoredValueUnreadable: Error, CustomStringConvertible {
    let text: String
    var description: String { "a value the store cannot read: \(self.text)" }
}

/// Keys of the transaction advisory locks that `SQLSession.serialize(on:)` takes ("Aduan" and a number, apart from
/// the jobs' and the migrations').
enum SerialLock {
    static let outbox: Int64 = 0x4164_7561_6E00_0101
    static let monthClose: Int64 = 0x4164_7561_6E00_0102
    static let calendar: Int64 = 0x4164_7561_6E00_0103
    /// The first number of the two-number form, whose second is the key's hash.
    static let idempotencyKeys: Int32 = 0x4164_7501
    static let signIns: Int32 = 0x4164_7502
    static let reportVersions: Int32 = 0x4164_7503
}

extension PostgresDatabase: SQLSessions {
    /// Runs `body` in a transaction on a leased connection, synchronously on a dispatch thread, within the deadline:
    /// the store's shared logic (`SQLSession`) on PostgreSQL.
    ///
    /// The body runs on the pool's own threads, one per connection (`blockingThreads`), never on Dispatch's global
    /// queues: Swift's tasks run on those on Linux, and bodies blocked there on another transaction's lock would leave
    /// no thread for that transaction's COMMIT (measured: 35 of 40 concurrent filings on two servers timed out so).
    public func withSyncTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        try await self.withTransaction { connection in
            try await self.blockingThreads.runIfActive { try body(PostgresSyncSession(connection: connection)) }
        }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        try await self.withSyncTransaction(body)
    }

    /// One snapshot for the whole read (REPEATABLE READ), as a SQLite read sees; read-only, so that a read cannot write.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        try await self.withSyncTransaction { session in
            try session.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return try body(session)
        }
    }
}
