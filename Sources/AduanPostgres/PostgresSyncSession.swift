import AduanStore
import Dispatch
import Foundation
import NIOCore
import PostgresNIO

/// A leased PostgreSQL connection inside a transaction, driven synchronously from a dispatch thread: the store's
/// logic is written once against `SQLSession` and runs unchanged on SQLite (GRDB runs it on its writer's queue) and
/// here. Each statement waits on the connection's future from that thread, never from an event loop or a task of the
/// cooperative pool, as GRDB's reads and writes wait on their own queues.
struct PostgresSyncSession: SQLSession {
    let connection: PostgresConnection

    func execute(_ sql: String, _ arguments: [StoredValue]) throws {
        _ = try self.rows(sql, arguments)
    }

    func rows(_ sql: String, _ arguments: [StoredValue]) throws -> [[StoredValue]] {
        let result = try self.connection.query(SQLText.numbered(sql), arguments.map(Self.data)).wait()
        return try result.rows.map { row in try row.map(Self.value) }
    }

    static func data(_ value: StoredValue) -> PostgresData {
        switch value {
        case .null: return .null
        case .integer(let integer): return PostgresData(int64: integer)
        case .real(let real): return PostgresData(double: real)
        case .text(let text): return PostgresData(string: text)
        case .blob(let bytes): return PostgresData(bytes: bytes)
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

extension PostgresDatabase {
    /// Runs `body` in a transaction on a leased connection, synchronously on a dispatch thread, within the deadline:
    /// the store's shared logic (`SQLSession`) on PostgreSQL.
    public func withSyncTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        try await self.withTransaction { connection in
            try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(with: Result { try body(PostgresSyncSession(connection: connection)) })
                }
            }
        }
    }
}
