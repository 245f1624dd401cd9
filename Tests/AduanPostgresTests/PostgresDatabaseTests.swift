import AduanSchema
import AduanStore
import Foundation
import PostgresNIO
import Synchronization
import Testing

@testable import AduanPostgres

/// The PostgreSQL these tests use: `ADUAN_TEST_DATABASE_URL` (`.ci/run` starts a throwaway cluster with
/// `ops/postgres.sh` and sets it). Without it the tests that need a server are skipped, and say so.
enum TestPostgres {
    static let url: DatabaseURL? = ProcessInfo.processInfo.environment["ADUAN_TEST_DATABASE_URL"].flatMap { try? DatabaseURL($0) }
    static var available: Bool { url != nil }
    /// Generous: the whole suite runs at once on two cores, and a deadline missed here would say nothing about the code
    /// (the deadline itself is tested with an unreachable server).
    static let deadline: Duration = .seconds(60)

    /// A new, empty database on the test server, dropped afterwards.
    static func withFreshDatabase<T: Sendable>(_ body: @Sendable (DatabaseURL) async throws -> T) async throws -> T {
        let server = try #require(url)
        let name = "aduan_test_\(UInt32.random(in: 0...UInt32.max))"
        try await PostgresDatabase.using(server, deadline: TestPostgres.deadline) { try await $0.createDatabase(name) }
        do {
            let result = try await body(server.naming(database: name))
            try await drop(name, on: server)
            return result
        } catch {
            try? await drop(name, on: server)
            throw error
        }
    }

    static func drop(_ name: String, on server: DatabaseURL) async throws {
        try await PostgresDatabase.using(server, deadline: TestPostgres.deadline) { try await $0.dropDatabase(name) }
    }
}

@Suite("PostgreSQL: database URLs")
struct DatabaseURLTests {
    @Test("a URL gives host, port, user, password, database and TLS mode; its description hides the password")
    func parts() throws {
        let url = try DatabaseURL("postgres://aduan:s%40cret@db.lampung.go.id:6432/aduan_prod?sslmode=require")
        #expect(url.host == "db.lampung.go.id" && url.port == 6432 && url.username == "aduan" && url.password == "s@cret")
        #expect(url.database == "aduan_prod" && url.tls == .require && url.socket == nil)
        #expect(url.description == "postgres://aduan:***@db.lampung.go.id:6432/aduan_prod")
        #expect(!url.description.contains("cret"))
        let local = try DatabaseURL("postgresql://postgres@localhost/aduan?host=/run/postgresql")
        #expect(local.port == 5432 && local.password == nil && local.tls == .prefer && local.socket == "/run/postgresql")
        #expect(DatabaseURL.isPostgres("postgres://x@y/z") && !DatabaseURL.isPostgres("./data/aduan.sqlite"))
    }

    @Test("a URL without user or database, with an unknown parameter or TLS mode, or not postgres:// is refused, saying why")
    func refusals() {
        for (text, reason) in [
            ("postgres://localhost/aduan", "no user name"), ("postgres://u@localhost", "no database name"),
            ("postgres://u@localhost/aduan?sslmode=verify", "sslmode"), ("postgres://u@localhost/aduan?pool=3", "unknown parameter"),
            ("mysql://u@localhost/aduan", "not a postgres:// URL"), ("postgres://u@localhost:70000/aduan", "port"),
        ] {
            let error = #expect(throws: DatabaseURLError.self, "\(text)") { try DatabaseURL(text) }
            #expect(error?.description.contains(reason) == true, "\(text): \(String(describing: error))")
        }
    }
}

@Suite("PostgreSQL: SQL split into statements")
struct SQLTextTests {
    @Test("semicolons inside literals, quoted names, comments and dollar-quoted bodies do not end a statement")
    func split() {
        let sql = """
            -- a comment; not a statement
            CREATE TABLE "odd;name" (a TEXT DEFAULT 'x;y''z');
            /* block; comment */ CREATE FUNCTION f() RETURNS trigger AS $body$
            BEGIN RAISE EXCEPTION 'no; never'; RETURN NEW; END;
            $body$ LANGUAGE plpgsql;
            DO $$ BEGIN PERFORM 1; END $$;
            SELECT 1
            """
        let statements = SQLText.statements(sql)
        #expect(statements.count == 4, "\(statements)")
        #expect(statements[0].hasSuffix("CREATE TABLE \"odd;name\" (a TEXT DEFAULT 'x;y''z')"))
        #expect(statements[1].contains("RAISE EXCEPTION 'no; never'; RETURN NEW; END;\n$body$ LANGUAGE plpgsql"))
        #expect(statements[2] == "DO $$ BEGIN PERFORM 1; END $$")
        #expect(statements[3] == "SELECT 1")
    }

    @Test("? placeholders are numbered outside literals, quoted names, comments and dollar-quoted bodies")
    func placeholders() {
        let sql = "SELECT ?, '?', \"a?\", ? -- why?\n, /* no? */ ?, $$ ? $$, $t$?$t$, ?"
        #expect(SQLText.numbered(sql) == "SELECT $1, '?', \"a?\", $2 -- why?\n, /* no? */ $3, $$ ? $$, $t$?$t$, $4")
    }

    @Test("every PostgreSQL migration splits into whole statements: each begins with a statement's keyword, none inside a body")
    func migrationsSplit() {
        let keywords = ["CREATE ", "INSERT ", "ALTER ", "DO ", "COMMENT ", "SELECT "]
        for migration in AduanSchema.postgresMigrations {
            let statements = SQLText.statements(migration.sql)
            #expect(statements.count > 10, "\(migration.name)")
            for statement in statements {
                // Past its leading comments, a statement starts as one does; a split inside a function body would
                // start with BEGIN, RETURN, END or the like.
                let code = statement.split(separator: "\n").drop { $0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
                    .joined(separator: "\n")
                #expect(keywords.contains { code.hasPrefix($0) }, "\(migration.name): \(code.prefix(80))")
            }
        }
    }
}

@Suite("PostgreSQL: migrations and faults", .enabled(if: TestPostgres.available, "set ADUAN_TEST_DATABASE_URL (ops/postgres.sh) to run"))
struct PostgresMigrationTests {
    @Test("a fresh database gets the baseline once; a second migrate applies nothing; check finds nothing wrong")
    func migrateOnce() async throws {
        try await TestPostgres.withFreshDatabase { url in
            try await PostgresDatabase.using(url, deadline: TestPostgres.deadline) { database in
                #expect(try await database.appliedMigrations().isEmpty)
                #expect(try await database.migrate() == AduanSchema.postgresMigrations.map(\.name))
                #expect(try await database.migrate().isEmpty)
                #expect(try await database.check().isEmpty)
                let tables = try await database.withConnection { connection in
                    var names: [String] = []
                    let rows = try await connection.query(
                        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
                        logger: database.logger)
                    for try await (name) in rows.decode(String.self) { names.append(name) }
                    return names
                }
                for table in ["complaint", "complaint_event", "outbox_event", "report_counter", "staff", "photo", "support"] {
                    #expect(tables.contains(table), "\(table) in \(tables)")
                }
            }
        }
    }

    @Test("two servers migrating one database at once apply the baseline once between them")
    func concurrentMigrations() async throws {
        try await TestPostgres.withFreshDatabase { url in
            async let first = PostgresDatabase.using(url, deadline: TestPostgres.deadline) { try await $0.migrate() }
            async let second = PostgresDatabase.using(url, deadline: TestPostgres.deadline) { try await $0.migrate() }
            let applied = try await [first, second]
            #expect(applied.flatMap { $0 } == AduanSchema.postgresMigrations.map(\.name))
        }
    }

    @Test("a probe says why a database cannot be used: one that does not exist is named by the server, not a silent wait")
    func probe() async throws {
        let server = try #require(TestPostgres.url)
        try await PostgresDatabase.probe(server)
        let missing = try DatabaseURL("postgres://\(server.username)@\(server.host):\(server.port)/aduan_absent_db?sslmode=disable")
        let error = await #expect(throws: (any Error).self) { try await PostgresDatabase.probe(missing) }
        let explanation = error.flatMap { PostgresDatabase.explanation(of: $0) } ?? ""
        #expect(explanation.contains("does not exist") && explanation.contains("3D000"), "\(explanation)")
    }

    @Test("a database migrated by a newer binary is refused, naming the migrations this one does not know")
    func newerRefused() async throws {
        try await TestPostgres.withFreshDatabase { url in
            try await PostgresDatabase.using(url, deadline: TestPostgres.deadline) { database in
                try await database.migrate()
                _ = try await database.withConnection {
                    try await $0.query(
                        "INSERT INTO aduan_migration (name, applied_at) VALUES ('aduan_0099_future', 'x')", logger: database.logger)
                }
                let error = await #expect(throws: StoreError.self) { try await database.migrate() }
                #expect("\(error.map { "\($0)" } ?? "")".contains("aduan_0099_future"))
                #expect(try await database.check().contains { $0.contains("newer") })
            }
        }
    }
}

@Suite("PostgreSQL: faults (no server needed)")
struct PostgresFaultTests {
    @Test("an unreachable server is DatabaseUnavailable within the deadline (a 503 fault), not a wait without end")
    func unreachable() async throws {
        // A port nothing listens on (a listener opened and closed again).
        let url = try DatabaseURL("postgres://aduan@127.0.0.1:\(try closedPort())/aduan?sslmode=disable")
        // The ping's own wait, not the pool's teardown afterwards (which a loaded test run can hold up).
        let answered = Mutex<Duration?>(nil)
        let error = await #expect(throws: DatabaseUnavailable.self) {
            try await PostgresDatabase.using(url, deadline: .milliseconds(800)) { database in
                let started = ContinuousClock.now
                defer { answered.withLock { $0 = ContinuousClock.now - started } }
                try await database.ping()
            }
        }
        #expect(error.map { StoreFault($0) } == .unavailable)
        #expect(try #require(answered.withLock { $0 }) < .seconds(10))
    }
}

/// A loopback port that nothing listens on.
func closedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}
