import AduanWire
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

extension EndToEnd {
    @Suite("The real aduan-admin db backup and restore, with the real server writing")
    struct BackupCLITests {
        @Test("a backup taken while the server files is whole and checked; restored, it holds exactly what it counted")
        func backupWhileWriting() async throws {
            let directory = try temporaryDirectory()
            let db = directory.appendingPathComponent("aduan.sqlite").path
            let server = try ServerProcess(arguments: ["--db", db])
            let port = server.port
            let backup = directory.appendingPathComponent("backups/aduan-1.sqlite").path
            try FileManager.default.createDirectory(
                at: directory.appendingPathComponent("backups"), withIntermediateDirectories: true)
            // Filings go on in the background, before, during and after the backup.
            let filed = Mutex<[String]>([])
            let writer = Task {
                try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                    var index = 0
                    while !Task.isCancelled {
                        index += 1
                        let response = try await client.post(
                            "/v1/complaints", headers: [.contentType: "application/json"],
                            body: body(DurabilityTests.input(index)))
                        if response.status == .created { filed.withLock { $0.append(try! decode(SubmittedComplaint.self, response).ticket) } }
                    }
                }
            }
            while filed.withLock({ $0.count }) < 30 { try await Task.sleep(for: .milliseconds(20)) }
            let before = filed.withLock { $0.count }
            let result = try run(binary("aduan-admin"), ["db", "backup", "--db", db, "--to", backup])
            let after = filed.withLock { $0.count }
            try await Task.sleep(for: .milliseconds(200))
            writer.cancel()
            _ = try? await writer.value
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("ok,"), "\(result.stdout)")
            let counted = try #require(Int(result.stdout.split(separator: " ").drop { !$0.hasSuffix("ok,") }.dropFirst().first ?? ""))
            // The copy is one moment between the first and the last filing acknowledged around it.
            #expect(counted >= before && counted <= after + 64, "\(before) <= \(counted) <= \(after)")

            // A second backup to the same name is refused; a restore over the running server's file is refused.
            let again = try run(binary("aduan-admin"), ["db", "backup", "--db", db, "--to", backup])
            #expect(again.status != 0 && again.stderr.contains("already exists"), "\(again.stderr)")
            let live = try run(binary("aduan-admin"), ["db", "restore", "--from", backup, "--db", db])
            #expect(live.status != 0 && live.stderr.contains("running aduan-server"), "\(live.stderr)")
            let tickets = filed.withLock { $0 }
            #expect(server.terminate() == 0)

            // Restored elsewhere, it holds the first `counted` complaints, each as the server kept it.
            let restoredPath = directory.appendingPathComponent("restored/aduan.sqlite").path
            let restore = try run(binary("aduan-admin"), ["db", "restore", "--from", backup, "--db", restoredPath])
            #expect(restore.status == 0, "\(restore.stderr)")
            let check = try run(binary("aduan-admin"), ["db", "check", "--db", restoredPath])
            #expect(check.stdout.contains("ok, \(counted) complaint(s)"), "\(check.stdout) \(check.stderr)")
            let original = try run("/usr/bin/sqlite3", [db, "SELECT ticket, category, description, status FROM complaint ORDER BY id LIMIT \(counted)"])
            let copy = try run("/usr/bin/sqlite3", [restoredPath, "SELECT ticket, category, description, status FROM complaint ORDER BY id"])
            #expect(original.status == 0 && !original.stdout.isEmpty, "\(original.stderr)")
            #expect(copy.stdout == original.stdout)
            #expect(tickets.count >= counted)

            // Restoring over a stopped server's database keeps the old file beside it.
            let over = try run(binary("aduan-admin"), ["db", "restore", "--from", backup, "--db", db])
            #expect(over.status == 0, "\(over.stderr)")
            #expect(over.stdout.contains("before-restore"), "\(over.stdout)")
            let onRestored = try run(binary("aduan-admin"), ["db", "check", "--db", db])
            #expect(onRestored.stdout.contains("ok, \(counted) complaint(s)"), "\(onRestored.stdout)")
        }

        @Test("a restore refuses what is not an Aduan database, and a backup a missing database")
        func refusals() throws {
            let directory = try temporaryDirectory()
            let junk = directory.appendingPathComponent("junk.sqlite")
            try Data("not a database at all".utf8).write(to: junk)
            let restore = try run(binary("aduan-admin"), ["db", "restore", "--from", junk.path, "--db", directory.appendingPathComponent("a.sqlite").path])
            #expect(restore.status != 0 && restore.stderr.contains("not an Aduan database"), "\(restore.stderr)")
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("a.sqlite").path))
            let backup = try run(
                binary("aduan-admin"),
                ["db", "backup", "--db", directory.appendingPathComponent("none.sqlite").path, "--to", directory.appendingPathComponent("b").path])
            #expect(backup.status != 0 && backup.stderr.contains("no database"), "\(backup.stderr)")
        }

        @Test("a backup copies the database as it is: one an older binary made is neither upgraded nor has its copy upgraded")
        func backupNeverMigrates() throws {
            let directory = try temporaryDirectory()
            let db = directory.appendingPathComponent("aduan.sqlite").path
            let made = try run(binary("aduan-admin"), ["db", "migrate", "--db", db])
            #expect(made.status == 0, "\(made.stderr)")
            // An older schema, as far as the migrator can tell: its last migration not yet recorded.
            let last = try run("/usr/bin/sqlite3", [db, "SELECT max(identifier) FROM grdb_migrations"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(last.hasPrefix("aduan_00"), "\(last)")
            _ = try run("/usr/bin/sqlite3", [db, "DELETE FROM grdb_migrations WHERE identifier = '\(last)'"])
            let backup = directory.appendingPathComponent("old.sqlite").path
            let result = try run(binary("aduan-admin"), ["db", "backup", "--db", db, "--to", backup])
            #expect(result.status == 0, "\(result.stderr)")
            for file in [db, backup] {
                let recorded = try run("/usr/bin/sqlite3", [file, "SELECT count(*) FROM grdb_migrations WHERE identifier = '\(last)'"])
                #expect(recorded.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(file) was migrated")
            }
        }
    }
}
