import AduanPostgres
import AduanStore
import Foundation

/// A store on PostgreSQL of a test's own: a fresh schema in the test server's database (`ADUAN_TEST_DATABASE_URL`,
/// which `ops/postgres.sh` exports), migrated, and dropped afterwards.
public enum PostgresTestStore {
    /// The test server, when there is one.
    public static let url: DatabaseURL? = ProcessInfo.processInfo.environment["ADUAN_TEST_DATABASE_URL"].flatMap { try? DatabaseURL($0) }

    /// Runs `body` with the store; files kept beside the database go beside `path`.
    public static func with<T: Sendable>(filesBeside path: String, _ body: @Sendable (Store) async throws -> T) async throws -> T {
        guard let url else { throw Unavailable() }
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await PostgresDatabase.using(url, deadline: .seconds(60)) { try await $0.createSchema(schema) }
        do {
            let result = try await PostgresDatabase.using(pools: 1, schema: schema, url, deadline: .seconds(60), maximumConnections: 8) {
                _ = try await $0[0].migrate()
                return try await body(try await Store.open(server: $0[0], filesBeside: path))
            }
            try await PostgresDatabase.using(url, deadline: .seconds(60)) { try await $0.dropSchema(schema) }
            return result
        } catch {
            try? await PostgresDatabase.using(url, deadline: .seconds(60)) { try await $0.dropSchema(schema) }
            throw error
        }
    }

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String { "no test PostgreSQL: set ADUAN_TEST_DATABASE_URL (source ops/postgres.sh)" }
    }
}

/// A store of a test's own on the engine the suites run on: a fresh SQLite file, or with `ADUAN_TEST_ENGINE=postgresql`
/// (and `ADUAN_TEST_DATABASE_URL`) a fresh schema in the test server's database.
public enum TestStores {
    public static let onPostgres: Bool = {
        guard ProcessInfo.processInfo.environment["ADUAN_TEST_ENGINE"] == "postgresql" else { return false }
        guard PostgresTestStore.url != nil else {
            fatalError("ADUAN_TEST_ENGINE=postgresql needs ADUAN_TEST_DATABASE_URL (source ops/postgres.sh)")
        }
        return true
    }()

    /// Runs `body` with the store, gone afterwards.
    public static func with<T: Sendable>(durability: Durability = .normal, _ body: @Sendable (Store) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aduan-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("aduan.sqlite").path
        guard self.onPostgres else { return try await body(try Store.open(path: path, durability: durability)) }
        return try await PostgresTestStore.with(filesBeside: path, body)
    }
}
