import Foundation
import GRDB

/// One connection inside a transaction, whichever engine holds it, used synchronously by the store's logic: the
/// shape in which that logic can run on SQLite (GRDB's `Database`, on its writer's queue) and on PostgreSQL (a leased
/// connection driven from a dispatch thread, `AduanPostgres.PostgresSyncSession`) alike. SQL written for it uses `?`
/// placeholders and the syntax both engines share (`ON CONFLICT … DO UPDATE`, `RETURNING`, `IS DISTINCT FROM`;
/// columns qualified with their table inside an upsert, as PostgreSQL requires).
public protocol SQLSession {
    /// Runs a statement that returns no rows.
    func execute(_ sql: String, _ arguments: [StoredValue]) throws
    /// Runs a query; its rows, each value as the engine holds it.
    func rows(_ sql: String, _ arguments: [StoredValue]) throws -> [[StoredValue]]
}

extension SQLSession {
    /// The first column of the first row, as an integer (nil when there is none, or it is NULL).
    public func integer(_ sql: String, _ arguments: [StoredValue]) throws -> Int64? {
        guard let value = try self.rows(sql, arguments).first?.first else { return nil }
        switch value {
        case .integer(let integer): return integer
        case .real(let real): return Int64(exactly: real)
        case .text(let text): return Int64(text)
        case .null, .blob: return nil
        }
    }
}

/// SQLite's side: GRDB's connection, statements prepared once per connection.
struct SQLiteSession: SQLSession {
    let db: Database

    func execute(_ sql: String, _ arguments: [StoredValue]) throws {
        try self.db.cachedStatement(sql: sql).execute(arguments: StatementArguments(arguments.map(\.databaseValue)))
    }

    func rows(_ sql: String, _ arguments: [StoredValue]) throws -> [[StoredValue]] {
        try Row.fetchAll(self.db.cachedStatement(sql: sql), arguments: StatementArguments(arguments.map(\.databaseValue))).map { row in
            (0..<row.count).map { StoredValue(row[$0] as DatabaseValue) }
        }
    }
}

/// Ticket numbers: contiguous within a month, never given twice. The counter's row is updated in the filing's own
/// transaction, so the number is held until the filing commits (a second server's filing waits on the row) and
/// handed out again if it rolls back.
public enum TicketNumbers {
    public static func next(period: String, _ session: some SQLSession) throws -> Int {
        let sequence = try session.integer(
            """
            INSERT INTO ticket_counter (period, last_sequence) VALUES (?, 1)
            ON CONFLICT (period) DO UPDATE SET last_sequence = ticket_counter.last_sequence + 1
            RETURNING last_sequence
            """, [.text(period)])
        guard let sequence else { throw StoredValueInvalid(table: "ticket_counter", column: "last_sequence", value: "none returned") }
        return Int(sequence)
    }
}
