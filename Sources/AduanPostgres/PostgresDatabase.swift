import AduanStore
import Foundation
import Logging
import NIOPosix
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// A PostgreSQL database as Aduan uses it: postgres-nio's connection pool (`PostgresClient`), run as a service, and a
/// deadline on every use. The pool waits for an unreachable server for as long as it is asked to, and a query on a
/// connection whose server went silent does not end when its task is cancelled; a request must not wait that long.
/// Past the deadline the caller gets `DatabaseUnavailable` (answered 503 with Retry-After, like SQLite's faults) and the
/// abandoned work is cancelled. The server side ends a statement at the same deadline (`statement_timeout`), so an
/// abandoned transaction rolls back rather than holding its locks.
public final class PostgresDatabase: Service, Sendable {
    public let url: DatabaseURL
    public let deadline: Duration
    let client: PostgresClient
    let logger: Logger
    /// Where the store's synchronous transactions run (`withSyncTransaction`): a thread for each connection.
    let blockingThreads: NIOThreadPool

    /// `schema`: Aduan's tables in that schema of the database instead of `public` (several installs, or tests, in one
    /// database).
    public init(
        url: DatabaseURL, deadline: Duration = .seconds(5), maximumConnections: Int = 20, schema: String? = nil, logger: Logger? = nil
    ) {
        // The pool's own messages (each failed attempt to connect, at info) only from warnings up: a deadline that
        // passes is reported by whoever waited.
        let logger =
            logger
            ?? {
                var logger = Logger(label: "aduan.postgres")
                logger.logLevel = .warning
                return logger
            }()
        var configuration = url.clientConfiguration()
        configuration.options.maximumConnections = maximumConnections
        // Reaching the server is quick or not at all: a long deadline (a copy's hours) is not a long wait to connect.
        configuration.options.connectTimeout = min(deadline, .seconds(10))
        let milliseconds = deadline.components.seconds * 1000 + deadline.components.attoseconds / 1_000_000_000_000_000
        configuration.options.additionalStartupParameters = [
            ("statement_timeout", String(milliseconds)), ("application_name", "aduan"),
            // Timestamps are written by Aduan as text; nothing may depend on the server's zone or locale.
            ("TimeZone", "UTC"),
        ]
        if let schema { configuration.options.additionalStartupParameters.append(("search_path", Self.quoted(schema))) }
        self.url = url
        self.deadline = deadline
        self.logger = logger
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.blockingThreads = NIOThreadPool(numberOfThreads: maximumConnections)
        self.blockingThreads.start()
    }

    /// The pool's life: connections are leased only while this runs (a server runs it among its services).
    public func run() async {
        await self.client.run()
        // Not waited for: a thread still blocked on a connection the pool gave up would hold the caller (and a
        // process's exit) for as long; its threads end when they are free, or with the process.
        self.blockingThreads.shutdownGracefully { _ in }
    }

    /// Runs `body` with the pool running, for a program that is not a server (the admin CLI, tests).
    public static func using<T: Sendable>(
        _ url: DatabaseURL, deadline: Duration = .seconds(5), _ body: @Sendable (PostgresDatabase) async throws -> T
    ) async throws -> T {
        try await self.using(pools: 1, url, deadline: deadline, maximumConnections: 4) { try await body($0[0]) }
    }

    /// Runs `body` with `pools` pools on one database running, as that many servers would have (tests, benchmarks).
    public static func using<T: Sendable>(
        pools: Int, schema: String? = nil, _ url: DatabaseURL, deadline: Duration = .seconds(5), maximumConnections: Int,
        _ body: @Sendable ([PostgresDatabase]) async throws -> T
    ) async throws -> T {
        let databases = (0..<pools).map { _ in
            PostgresDatabase(url: url, deadline: deadline, maximumConnections: maximumConnections, schema: schema)
        }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for database in databases { group.addTask { await database.run() } }
            defer { group.cancelAll() }
            return try await body(databases)
        }
    }

    /// Creates an empty database on this server (for a restore, a test, a benchmark).
    public func createDatabase(_ name: String) async throws {
        try await self.withConnection {
            _ = try await $0.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(Self.quoted(name))"), logger: self.logger)
        }
    }

    /// Creates an empty schema in this database.
    public func createSchema(_ name: String) async throws {
        try await self.withConnection {
            _ = try await $0.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(Self.quoted(name))"), logger: self.logger)
        }
    }

    /// Drops a schema of this database with everything in it.
    public func dropSchema(_ name: String) async throws {
        try await self.withConnection {
            _ = try await $0.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(Self.quoted(name)) CASCADE"), logger: self.logger)
        }
    }

    /// Drops a database of this server, closing its connections first.
    public func dropDatabase(_ name: String) async throws {
        try await self.withConnection {
            _ = try await $0.query(
                PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(Self.quoted(name)) WITH (FORCE)"), logger: self.logger)
        }
    }

    /// A name as an SQL identifier.
    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// `body` on a leased connection, within the deadline.
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await self.withinDeadline { try await self.client.withConnection { try await body($0) } }
    }

    /// `body` in a transaction on a leased connection (committed if it returns, rolled back if it throws), within the
    /// deadline.
    public func withTransaction<T: Sendable>(
        within deadline: Duration? = nil, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await Self.within(deadline ?? self.deadline) {
            do {
                return try await self.client.withConnection { connection in
                    try await connection.withTransaction(logger: self.logger) {
                        let result = try await body($0)
                        // Past the deadline (or with its caller gone) the work is abandoned: it rolls back rather than
                        // commit after the caller was told it failed.
                        try Task.checkCancellation()
                        return result
                    }
                }
            } catch let error as PostgresTransactionError {
                // The body's own error is the answer; a failed BEGIN, COMMIT or ROLLBACK is the database's: a lost
                // connection is a fault (a commit cut off may or may not have happened), anything else (a
                // serialization failure, a deferred constraint) is the error itself.
                if let error = error.closureError { throw error }
                let failure: any Error = error.beginError ?? error.commitError ?? error.rollbackError ?? error
                throw Self.fault(failure) ?? failure
            }
        }
    }

    /// `work`, or `DatabaseUnavailable` once the deadline passes first (the work is then cancelled and left to end on
    /// its own). A connection fault is `DatabaseUnavailable` too; any other error is the work's own.
    func withinDeadline<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await Self.within(self.deadline, work)
    }

    static func within<T: Sendable>(_ deadline: Duration, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.start(continuation)
                let worker = Task {
                    do {
                        race.finish(.success(try await work()))
                    } catch {
                        race.finish(.failure(Self.fault(error) ?? error))
                    }
                }
                let timer = Task {
                    try? await Task.sleep(for: deadline)
                    if race.finish(.failure(DatabaseUnavailable("no answer within \(deadline) (is the server up and reachable?)"))) {
                        worker.cancel()
                    }
                }
                // Whichever ends the race, the others stop: the timer, and the work once its caller is gone.
                race.onFinish {
                    timer.cancel()
                    worker.cancel()
                }
            }
        } onCancel: {
            race.finish(.failure(CancellationError()))
        }
    }

    /// What a PostgreSQL error says, in the server's own words and SQLSTATE (which never hold a password), or the
    /// client's error code; nil for an error that is not PostgreSQL's. postgres-nio's own description hides everything.
    public static func explanation(of error: any Error) -> String? {
        guard let error = error as? PSQLError else { return nil }
        if error.code == .sslUnsupported { return "the server does not offer TLS (sslmode=require or verify-…)" }
        guard let message = error.serverInfo?[.message] else { return "\(error.code)" }
        return message + (error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
    }

    /// The connection faults among postgres-nio's errors: the server cannot be reached or went away.
    static func fault(_ error: any Error) -> DatabaseUnavailable? {
        if let error = error as? DatabaseUnavailable { return error }
        // The store's synchronous statements go through postgres-nio's older query API, whose errors are its older type.
        if let error = error as? PostgresError {
            switch error {
            case .connectionClosed: return DatabaseUnavailable("connection closed")
            case .server(let message): return Self.passing(message.fields[.sqlState] ?? "", message.fields[.message] ?? "")
            case .protocol: return nil
            }
        }
        guard let error = error as? PSQLError else { return nil }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed, .queryCancelled:
            return DatabaseUnavailable("\(error.code)" + (error.underlying.map { ": \($0)" } ?? ""))
        case .server:
            return Self.passing(error.serverInfo?[.sqlState] ?? "", error.serverInfo?[.message] ?? "")
        default:
            return nil
        }
    }

    /// A server's refusal that passes: of its own state (shutting down, too many connections, a statement timeout) or
    /// of the moment (a deadlock or serialization failure, undone and worth trying again). SQLSTATE classes 08
    /// (connection), 40 (transaction rollback), 53 (resources), 57 (operator intervention).
    static func passing(_ state: String, _ message: String) -> DatabaseUnavailable? {
        ["08", "40", "53", "57"].contains(String(state.prefix(2))) ? DatabaseUnavailable("server: \(state) \(message)") : nil
    }
}

/// The first of the work, the deadline and the caller's cancellation to finish resumes the caller; the others find the
/// race over. A finish that comes before the caller is waiting is kept until it is.
private final class Race<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var result: Result<T, any Error>?
        var onFinish: (@Sendable () -> Void)?
    }
    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<T, any Error>) {
        let result = self.state.withLock { state -> Result<T, any Error>? in
            if state.result == nil { state.continuation = continuation }
            return state.result
        }
        if let result { continuation.resume(with: result) }
    }

    /// `action` once the race is over (at once if it is).
    func onFinish(_ action: @escaping @Sendable () -> Void) {
        let over = self.state.withLock { state in
            if state.result == nil { state.onFinish = action }
            return state.result != nil
        }
        if over { action() }
    }

    /// Ends the race with `result` unless it is already over; whether it was this call that ended it.
    @discardableResult
    func finish(_ result: Result<T, any Error>) -> Bool {
        let ended = self.state.withLock { state -> (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?)? in
            guard state.result == nil else { return nil }
            state.result = result
            defer {
                state.continuation = nil
                state.onFinish = nil
            }
            return (state.continuation, state.onFinish)
        }
        guard let (continuation, action) = ended else { return false }
        continuation?.resume(with: result)
        action?()
        return true
    }
}

extension PostgresDatabase {
    /// Connects once, directly, and fails with the reason if it cannot. The pool only retries and logs, so a wrong
    /// database name, a refused password or a certificate the check rejects would otherwise look like a silent server.
    public static func probe(_ url: DatabaseURL, within deadline: Duration = .seconds(10)) async throws {
        let configuration = try url.connectionConfiguration()
        try await Self.within(deadline) {
            let connection = try await PostgresConnection.connect(
                configuration: configuration, id: 0, logger: Logger(label: "aduan.postgres.probe"))
            try await connection.close()
        }
    }
}
