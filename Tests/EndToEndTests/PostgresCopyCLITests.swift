import Foundation
import Testing

/// The PostgreSQL the CI starts (`ops/postgres.sh`): these tests use `psql` and the real aduan-admin against it.
let testDatabaseURL = ProcessInfo.processInfo.environment["ADUAN_TEST_DATABASE_URL"]

/// `psql` on the test server's database `database` (the server's own when nil): its output, unaligned, no headers.
func psql(_ sql: String, database: String? = nil) throws -> String {
    var url = try #require(testDatabaseURL)
    if let database, let range = url.range(of: "/[^/?]+\\?", options: .regularExpression) {
        url.replaceSubrange(range, with: "/\(database)?")
    }
    let result = try run("/usr/bin/psql", [url, "-v", "ON_ERROR_STOP=1", "-Atqc", sql])
    guard result.status == 0 else { throw PSQLFailed(message: result.stderr) }
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
}

struct PSQLFailed: Error { let message: String }

extension EndToEnd {
    @Suite(
        "The real aduan-admin db copy into PostgreSQL, and backups of it",
        .enabled(if: testDatabaseURL != nil, "set ADUAN_TEST_DATABASE_URL (ops/postgres.sh) to run"))
    struct PostgresCopyCLITests {
        @Test(
            "a seeded SQLite database is copied whole: every table's count, the ids continue after it, the guards work again; a second copy is refused"
        )
        func copyWhole() throws {
            let directory = try temporaryDirectory()
            let db = directory.appendingPathComponent("aduan.sqlite").path
            let seeded = try run(
                binary("aduan-admin"),
                ["demo", "seed", "--db", db, "--complaints", "400", "--months", "3", "--now", "2026-12-01T10:00:00+07:00"])
            try #require(seeded.status == 0, "\(seeded.stderr)")
            let name = "aduan_copy_\(UInt32.random(in: 0...UInt32.max))"
            _ = try psql("CREATE DATABASE \(name)")
            defer { _ = try? psql("DROP DATABASE \(name) WITH (FORCE)") }
            let url = try #require(testDatabaseURL).replacingOccurrences(
                of: "/[^/?]+\\?", with: "/\(name)?", options: .regularExpression)

            let refused = try run(binary("aduan-admin"), ["db", "copy", "--from", db, "--to", url])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("no Aduan tables"), "\(refused.stderr)")
            #expect(try run(binary("aduan-admin"), ["db", "migrate", "--database-url", url]).status == 0)
            let copy = try run(binary("aduan-admin"), ["db", "copy", "--from", db, "--to", url, "--batch", "97"])
            try #require(copy.status == 0, "\(copy.stderr)")
            #expect(copy.stdout.contains("counts checked"))

            // Every table the copy named holds what SQLite holds.
            let tables = copy.stdout.split(separator: "\n").compactMap { line -> String? in
                let parts = line.split(separator: ":")
                return parts.count == 2 && !line.hasPrefix("copied") ? String(parts[0]) : nil
            }
            #expect(tables.count >= 30, "\(copy.stdout)")
            for table in ["complaint", "complaint_event", "report_counter", "place_open", "support", "ticket_counter"] {
                #expect(tables.contains(table))
            }
            for table in tables {
                let here = try run("/usr/bin/sqlite3", [db, "SELECT count(*) FROM \(table)"]).stdout.trimmingCharacters(
                    in: .whitespacesAndNewlines)
                #expect(try psql("SELECT count(*) FROM \(table)", database: name) == here, "\(table)")
            }
            #expect(Int(try psql("SELECT count(*) FROM complaint", database: name)) == 400)
            // Values, not only counts: the same tickets, texts, deadlines and counter sums.
            let sample =
                "SELECT ticket || '|' || status || '|' || response_due_at || '|' || description FROM complaint ORDER BY id LIMIT 25"
            #expect(
                try psql(sample, database: name)
                    == run("/usr/bin/sqlite3", [db, sample]).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            let sums = "SELECT sum(received) || '|' || sum(resolved) || '|' || sum(rating_sum) FROM report_counter"
            #expect(
                try psql(sums, database: name)
                    == run("/usr/bin/sqlite3", [db, sums]).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            // The next id comes after the copied ones; the append-only guard is on again.
            let maxID = try psql("SELECT max(id) FROM complaint_event", database: name)
            #expect(Int(try psql("SELECT nextval(pg_get_serial_sequence('complaint_event', 'id'))", database: name))! > Int(maxID)!)
            #expect(throws: PSQLFailed.self) { try psql("UPDATE complaint_event SET kind = 'x' WHERE id = \(maxID)", database: name) }
            #expect(try run(binary("aduan-admin"), ["db", "check", "--database-url", url]).status == 0)

            let again = try run(binary("aduan-admin"), ["db", "copy", "--from", db, "--to", url])
            #expect(again.status != 0)
            #expect(again.stderr.contains("already holds"), "\(again.stderr)")

            // A pg_dump of it, restored into a new database, holds the same.
            let dump = directory.appendingPathComponent("aduan.dump").path
            let backup = try run(binary("aduan-admin"), ["db", "backup", "--database-url", url, "--to", dump])
            try #require(backup.status == 0, "\(backup.stderr)")
            #expect(backup.stdout.contains("tables' data"))
            let twice = try run(binary("aduan-admin"), ["db", "backup", "--database-url", url, "--to", dump])
            #expect(twice.status != 0 && twice.stderr.contains("exists"))
            let restoredName = name + "_restored"
            _ = try psql("CREATE DATABASE \(restoredName)")
            defer { _ = try? psql("DROP DATABASE \(restoredName) WITH (FORCE)") }
            let restoredURL = url.replacingOccurrences(of: "/\(name)?", with: "/\(restoredName)?")
            let restore = try run(binary("aduan-admin"), ["db", "restore", "--from", dump, "--database-url", restoredURL])
            try #require(restore.status == 0, "\(restore.stderr)")
            for table in tables {
                #expect(
                    try psql("SELECT count(*) FROM \(table)", database: restoredName)
                        == psql("SELECT count(*) FROM \(table)", database: name))
            }
            #expect(throws: PSQLFailed.self) { try psql("DELETE FROM complaint_event", database: restoredName) }
            // Not over a database that already has tables.
            let over = try run(binary("aduan-admin"), ["db", "restore", "--from", dump, "--database-url", url])
            #expect(over.status != 0 && over.stderr.contains("already has tables"), "\(over.stderr)")
        }
    }
}
