import AduanAPI
import AduanPostgres
import AduanStore
import Logging

/// The database the configuration names, opened for the server: the SQLite file (held with a shared lock, so that
/// `aduan-admin db restore` never replaces it under a running server), or a PostgreSQL server that several
/// aduan-servers share, its schema migrated (one server at a time) and its pool running until `close()`, after the
/// server's own services have stopped.
struct ServerDatabase {
    let store: Store
    /// Where the data is, for the log (a URL never shows its password).
    let location: String
    private let lock: ServerLock?
    private let pool: Task<Void, Never>?

    static func open(_ settings: ServerConfig, logger: Logger) async throws -> ServerDatabase {
        guard let text = settings.databaseURL else {
            let lock = try ServerLock(database: settings.databasePath, exclusive: false)
            let store = try Store.open(
                path: settings.databasePath, durability: settings.durability, submissionQueue: settings.submissionQueue,
                checkpointInBackground: true)
            return ServerDatabase(store: store, location: settings.databasePath, lock: lock, pool: nil)
        }
        let url = try DatabaseURL(text)
        // A missing database or a refused login is said in the server's own words, at once.
        do { try await PostgresDatabase.probe(url) } catch {
            throw DatabaseUnavailable("\(url): \(PostgresDatabase.explanation(of: error) ?? "\(error)")")
        }
        let database = PostgresDatabase(
            url: url, deadline: .seconds(settings.databaseTimeout), maximumConnections: settings.databasePoolSize, logger: nil)
        let pool = Task { await database.run() }
        do {
            let applied = try await database.migrate()
            if !applied.isEmpty { logger.notice("migrated the database", metadata: ["migrations": "\(applied.joined(separator: ", "))"]) }
            let store = try await Store.open(server: database, filesBeside: settings.databasePath)
            return ServerDatabase(store: store, location: url.description, lock: nil, pool: pool)
        } catch {
            pool.cancel()
            throw error
        }
    }

    /// Lets go of the database once the server has stopped.
    func close() async {
        self.lock?.release()
        self.pool?.cancel()
        await self.pool?.value
    }
}
