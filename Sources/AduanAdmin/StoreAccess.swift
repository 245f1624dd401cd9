import AduanPostgres
import AduanStore
import Foundation

/// Where an operator command finds the database: the SQLite file (`--db`), or a PostgreSQL database (`--database-url`,
/// or `ADUAN_DATABASE_URL` as the server reads it).
protocol StoreLocation {
    var db: String { get }
    var databaseURL: String? { get }
}

extension StoreLocation {
    /// The PostgreSQL database named, if any: the flag, else the server's environment variable.
    var postgresURL: String? {
        self.databaseURL ?? ProcessInfo.processInfo.environment["ADUAN_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Opens an existing database for an operator command, refusing to create one by mistake.
enum StoreAccess {
    /// The operating-system account running the command, recorded in the staff account log.
    static var operatorName: String {
        let name = NSUserName()
        return name.isEmpty ? "unknown" : name
    }

    /// The database `location` names. A PostgreSQL database's pool runs until the command's process ends.
    static func open(_ location: some StoreLocation, memoryMapped: Bool = true) async throws -> Store {
        guard let text = location.postgresURL else { return try self.open(location.db, memoryMapped: memoryMapped) }
        let url: DatabaseURL
        do { url = try DatabaseURL(text) } catch { throw Failure("\(error)") }
        return try await DatabaseCommand.explaining(url) {
            try await PostgresDatabase.probe(url)
            let database = PostgresDatabase(url: url, deadline: .seconds(60), maximumConnections: 4)
            Task.detached { await database.run() }
            guard !(try await database.appliedMigrations()).isEmpty else {
                throw Failure("\(url) has no Aduan tables (create them with: aduan-admin db migrate --database-url URL)")
            }
            _ = try await database.migrate()
            return try await Store.open(server: database, filesBeside: location.db)
        }
    }

    /// The SQLite file at `path`.
    static func open(_ path: String, memoryMapped: Bool = true) throws -> Store {
        guard FileManager.default.fileExists(atPath: path) else {
            throw Failure("no database at \(path) (create it with: aduan-admin db migrate --db \(path))")
        }
        do {
            // Never write Aduan's tables into some other SQLite file: only a file `db migrate` made is upgraded.
            let store = try Store.open(path: path, migrate: false, memoryMapped: memoryMapped)
            guard (try? store.appliedMigrations())?.isEmpty == false else {
                throw Failure("\(path) is not an Aduan database (create one with: aduan-admin db migrate --db PATH)")
            }
            try store.migrate()
            return store
        } catch let error as StoreError {
            throw Failure(error.description)
        }
    }
}
