import Foundation
import GRDB

/// One connection inside a transaction, whichever engine holds it, used synchronously by the store's logic: the
/// shape in which that logic runs on SQLite (GRDB's `Database`, on its writer's queue) and on PostgreSQL (a leased
/// connection driven from a dispatch thread, `AduanPostgres.PostgresSyncSession`) alike. SQL written for it uses `?`
/// placeholders and the syntax both engines share (`ON CONFLICT … DO UPDATE`, `RETURNING`, `IS DISTINCT FROM`;
/// columns qualified with their table inside an upsert, as PostgreSQL requires); what differs is `dialect`'s.
///
/// Rows are read by column name (PostgreSQL's come as a dictionary): a query selects each name once.
public protocol SQLSession {
    var dialect: SQLDialect { get }
    /// Runs a statement that returns no rows.
    func execute(_ sql: String, values: [DatabaseValue]) throws
    /// Runs a query; its rows.
    func fetch(_ sql: String, values: [DatabaseValue]) throws -> [Row]
    /// Runs a query whose rows are read one at a time (SQLite reads them as they come, for a query of many rows; a
    /// row is valid until the next one is read).
    func stream(_ sql: String, values: [DatabaseValue]) throws -> RowStream
    /// Runs a query and decodes each row as a record (SQLite decodes from the statement, without copying the row).
    func fetch<Record: FetchableRecord>(_ type: Record.Type, _ sql: String, values: [DatabaseValue]) throws -> [Record]
    /// Waits until this transaction alone may go on past this point for `key` (PostgreSQL's transaction advisory
    /// lock, held until the commit); SQLite's single writer already is.
    func serialize(on key: SerialKey) throws
}

/// Rows read one at a time: `next()` until nil.
public final class RowStream {
    private let advance: () throws -> Row?
    init(_ advance: @escaping () throws -> Row?) { self.advance = advance }
    public func next() throws -> Row? { try self.advance() }
}

/// What several servers' transactions take turns at: `SQLSession.serialize(on:)`.
public enum SerialKey: Sendable {
    /// The outbox: events get their ids in the order their transactions commit, so that a consumer that keeps
    /// "everything up to id N" never skips one committed late under a smaller id.
    case outbox
    /// Closing the counters' months: the first change of a month closes the one before, once.
    case monthClose
    /// The working calendar's changes: each is checked against every one kept before it.
    case calendar
    /// The versions of one report (kind, period and scope): numbered one generation at a time.
    case reportVersions(String)
    /// Sign-in codes of one phone: their limits count every server's codes and tries.
    case signIn(phone: String)
    /// One Idempotency-Key: a second filing with the key waits for the first to commit, then replays it.
    case idempotencyKey(String)
}

/// Where the engines' SQL differs.
public enum SQLDialect: Sendable {
    case sqlite, postgres

    /// `INDEXED BY name` on SQLite (whose planner, without statistics, would pick a worse index); nothing on
    /// PostgreSQL, whose planner has statistics.
    public func indexedBy(_ index: String) -> String { self == .sqlite ? "INDEXED BY \(index)" : "" }

    /// `id IN (…)` for any number of ids in one statement (prepared once): the ids come as one argument, a JSON array
    /// (`SQLDialect.idArray`).
    public var inIDs: String {
        switch self {
        case .sqlite: return "id IN (SELECT value FROM json_each(?))"
        case .postgres: return "id IN (SELECT CAST(value AS bigint) FROM json_array_elements_text(CAST(? AS json)) AS value)"
        }
    }

    /// The argument of `inIDs`.
    public static func idArray(_ ids: some Sequence<Int64>) -> String { "[" + ids.map(String.init).joined(separator: ",") + "]" }

    /// A key of a JSON object held as text, as text (SQLite's spelling is the one its indexes were made with).
    public func jsonText(_ column: String, _ key: String) -> String {
        self == .sqlite ? "\(column) ->> '$.\(key)'" : "(CAST(\(column) AS json) ->> '\(key)')"
    }

    /// Locks the rows a SELECT reads until the transaction ends (PostgreSQL); SQLite's writer is alone anyway.
    public var forUpdate: String { self == .sqlite ? "" : " FOR UPDATE" }
}

extension SQLSession {
    public func execute(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []) throws {
        try self.execute(sql, values: arguments.map { $0?.databaseValue ?? .null })
    }

    public func fetchAll(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []) throws -> [Row] {
        try self.fetch(sql, values: arguments.map { $0?.databaseValue ?? .null })
    }

    public func fetchOne(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []) throws -> Row? {
        try self.fetchAll(sql, arguments).first
    }

    public func fetchAll<Record: FetchableRecord>(
        _ type: Record.Type, _ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []
    ) throws -> [Record] {
        try self.fetch(type, sql, values: arguments.map { $0?.databaseValue ?? .null })
    }

    public func fetchOne<Record: FetchableRecord>(
        _ type: Record.Type, _ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []
    ) throws -> Record? {
        try self.fetchAll(type, sql, arguments).first
    }

    /// The first column of the first row (a query that selects one column), nil when there is none or it is NULL.
    public func value<Value: DatabaseValueConvertible>(
        _ type: Value.Type, _ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []
    ) throws -> Value? {
        guard let row = try self.fetchOne(sql, arguments), row.count > 0 else { return nil }
        return row[0]
    }

    /// The first column of every row.
    public func values<Value: DatabaseValueConvertible>(
        _ type: Value.Type, _ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []
    ) throws -> [Value] {
        try self.fetchAll(sql, arguments).map { $0[0] }
    }

    /// The default: all rows, then one at a time.
    public func stream(_ sql: String, values: [DatabaseValue]) throws -> RowStream {
        var rows = try self.fetch(sql, values: values).makeIterator()
        return RowStream { rows.next() }
    }

    /// Each row of a query, one at a time (`stream`).
    public func forEachRow(_ sql: String, values: [DatabaseValue], _ body: (Row) throws -> Void) throws {
        let rows = try self.stream(sql, values: values)
        while let row = try rows.next() { try body(row) }
    }

    /// The default: decode each row by name.
    public func fetch<Record: FetchableRecord>(_ type: Record.Type, _ sql: String, values: [DatabaseValue]) throws -> [Record] {
        try self.fetch(sql, values: values).map { try Record(row: $0) }
    }
}

/// SQLite's side: GRDB's connection, statements prepared once per connection.
extension Database: SQLSession {
    public var dialect: SQLDialect { .sqlite }

    public func execute(_ sql: String, values: [DatabaseValue]) throws {
        try self.cachedStatement(sql: sql).execute(arguments: StatementArguments(values))
    }

    public func fetch(_ sql: String, values: [DatabaseValue]) throws -> [Row] {
        try Row.fetchAll(self.cachedStatement(sql: sql), arguments: StatementArguments(values))
    }

    public func stream(_ sql: String, values: [DatabaseValue]) throws -> RowStream {
        let cursor = try Row.fetchCursor(self.cachedStatement(sql: sql), arguments: StatementArguments(values))
        return RowStream { try cursor.next() }
    }

    public func fetch<Record: FetchableRecord>(_ type: Record.Type, _ sql: String, values: [DatabaseValue]) throws -> [Record] {
        try Record.fetchAll(self.cachedStatement(sql: sql), arguments: StatementArguments(values))
    }

    public func serialize(on key: SerialKey) throws {}
}

/// Ticket numbers: contiguous within a month, never given twice. The counter's row is updated in the filing's own
/// transaction, so the number is held until the filing commits (a second server's filing waits on the row) and
/// handed out again if it rolls back.
public enum TicketNumbers {
    public static func next(period: String, _ session: some SQLSession) throws -> Int {
        let sequence = try session.value(
            Int.self,
            """
            INSERT INTO ticket_counter (period, last_sequence) VALUES (?, 1)
            ON CONFLICT (period) DO UPDATE SET last_sequence = ticket_counter.last_sequence + 1
            RETURNING last_sequence
            """, [period])
        guard let sequence else { throw StoredValueInvalid(table: "ticket_counter", column: "last_sequence", value: "none returned") }
        return sequence
    }
}
