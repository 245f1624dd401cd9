import AduanCore
import AduanWire
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

extension EndToEnd {
    /// A PostgreSQL of the test's own (`ops/postgres.sh` on a port of its own), to stop and start under a running
    /// server without touching the one the other tests share.
    struct PrivateCluster: Sendable {
        let environment: [String: String]
        let url: String

        static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("ops/postgres.sh").path

        let output: String

        init() throws {
            let directory = try temporaryDirectory()
            self.output = directory.appendingPathComponent("script.log").path
            self.environment = ["ADUAN_PG_DIR": directory.appendingPathComponent("cluster").path, "ADUAN_PG_PORT": String(Int.random(in: 56000...56999))]
            try Self.command("start", environment: self.environment, output: self.output)
            let started = (try? String(contentsOfFile: self.output, encoding: .utf8)) ?? ""
            guard let range = started.range(of: "ADUAN_TEST_DATABASE_URL=") else { throw ClusterFailed(output: started) }
            self.url = String(started[range.upperBound...].prefix { !$0.isWhitespace })
        }

        /// The script's output goes to a file: the server it starts keeps the descriptors it inherits open.
        func command(_ name: String) throws { try Self.command(name, environment: self.environment, output: self.output) }

        /// The PostgreSQL server the script starts keeps every descriptor it inherits open: the script runs with only
        /// its standard ones (another test's pipe held open would never end), its output to a file.
        static func command(_ name: String, environment: [String: String], output: String) throws {
            let closing = #"for fd in /proc/$$/fd/*; do n=${fd##*/}; if [ "$n" -gt 2 ] 2>/dev/null; then eval "exec $n>&-"; fi; done"#
            let result = try run(
                "/bin/bash", ["-c", closing + #"; bash "$0" "$1" >"$2" 2>&1 </dev/null"#, Self.script, name, output], environment: environment)
            guard result.status == 0 else { throw ClusterFailed(output: (try? String(contentsOfFile: output, encoding: .utf8)) ?? "") }
        }

        func psql(_ sql: String) throws -> String {
            let result = try run("/usr/bin/psql", [self.url, "-v", "ON_ERROR_STOP=1", "-Atqc", sql])
            guard result.status == 0 else { throw ClusterFailed(output: result.stderr) }
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    struct ClusterFailed: Error { let output: String }

    /// Filings' answers as they come from several clients.
    final class Answers: Sendable {
        typealias Answer = (key: String, status: Int, retryAfter: String?, ticket: String?)
        private let state = Mutex<[Answer]>([])
        /// Adds one; how many there are now.
        func add(_ answer: Answer) -> Int { self.state.withLock { $0.append(answer); return $0.count } }
        var all: [Answer] { self.state.withLock { $0 } }
    }

    @Suite(
        "The real binaries: PostgreSQL stopping and restarting under a running server",
        .enabled(if: testDatabaseURL != nil, "set ADUAN_TEST_DATABASE_URL (ops/postgres.sh) to run"))
    struct PostgresFaultTests {
        /// One filing's answer: its status, its Retry-After, and its ticket when it was created.
        static func file(_ client: TestClient, key: String, index: Int) async -> (status: Int, retryAfter: String?, ticket: String?) {
            do {
                let response = try await client.post(
                    "/v1/complaints", headers: [.contentType: "application/json", HTTPField.Name("Idempotency-Key")!: key],
                    body: body(SubmitComplaintRequest(category: "sampah", description: "Sampah menumpuk, laporan nomor \(index).", region: "18.71.01")))
                let ticket = response.status == .created ? try? decode(SubmittedComplaint.self, response).ticket : nil
                return (Int(response.status.code), response.headers[.retryAfter], ticket)
            } catch {
                return (0, nil, nil)
            }
        }

        @Test("a database that cannot be reached or does not exist: the server refuses to start, in one line that says why")
        func unreachableAtStart() throws {
            let directory = try temporaryDirectory()
            let db = directory.appendingPathComponent("aduan.sqlite").path
            let closed = try run(binary("aduan-server"), ["--port", "0", "--db", db, "--database-url", "postgres://aduan@127.0.0.1:1/aduan?sslmode=disable"])
            #expect(closed.status != 0)
            #expect(closed.stderr.contains("refusing to start") && closed.stderr.contains("127.0.0.1"), "\(closed.stderr)")
            let server = try #require(testDatabaseURL)
            let missing = server.replacingOccurrences(of: "/aduan_test?", with: "/aduan_no_such_database?")
            let absent = try run(binary("aduan-server"), ["--port", "0", "--db", db, "--database-url", missing])
            #expect(absent.status != 0)
            #expect(absent.stderr.contains("does not exist"), "\(absent.stderr)")
            #expect(!FileManager.default.fileExists(atPath: db), "no SQLite file made instead")
        }

        /// Whether `/readyz` answers 200 within 20 seconds (the pool connects again on its own).
        static func ready(_ client: TestClient) async throws -> Bool {
            for _ in 0..<100 {
                if try await client.get("/readyz").status == .ok { return true }
                try await Task.sleep(for: .milliseconds(200))
            }
            return false
        }

        @Test(
            "while PostgreSQL is down filings get 503 with Retry-After and /readyz fails; after a restart under load every acknowledged filing is there once, and retries with their keys file the rest once"
        )
        func restartUnderLoad() async throws {
            let cluster = try PrivateCluster()
            defer { try? cluster.command("stop") }
            let directory = try temporaryDirectory()
            let server = try ServerProcess(
                arguments: ["--db", directory.appendingPathComponent("aduan.sqlite").path, "--database-url", cluster.url],
                environment: ["ADUAN_DATABASE_TIMEOUT": "3", "ADUAN_SLA_CHECK_INTERVAL": "1"],
                log: directory.appendingPathComponent("server.log").path)
            let unhandled = { @Sendable in
                ((try? String(contentsOf: directory.appendingPathComponent("server.log"), encoding: .utf8)) ?? "")
                    .split(separator: "\n").filter { $0.contains("unhandled") }.prefix(3).joined(separator: "\n")
            }
            defer { _ = server.terminate() }
            try await TestClient.withClient(host: "127.0.0.1", port: server.port) { client in
                #expect(try await client.get("/readyz").status == .ok)
                // Down: a clear answer, never a hang or a 500.
                try cluster.command("pause")
                let ready = try await client.get("/readyz")
                #expect(ready.status == .serviceUnavailable)
                let refused = await Self.file(client, key: "fault-down-0000000001", index: 0)
                #expect(refused.status == 503 && refused.retryAfter != nil, "\(refused)")
                try cluster.command("resume")
                #expect(try await Self.ready(client), "ready again once the database is back")

                // Under load: 120 filings from 6 clients; the database restarts after the 30th answer.
                let answers = Answers()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for worker in 0..<6 {
                        group.addTask {
                            try await TestClient.withClient(host: "127.0.0.1", port: server.port) { client in
                                for index in stride(from: worker, to: 120, by: 6) {
                                    let key = "fault-load-\(100_000 + index)"
                                    let answer = await Self.file(client, key: key, index: index)
                                    if answers.add((key, answer.status, answer.retryAfter, answer.ticket)) == 30 {
                                        try cluster.command("pause")
                                        try await Task.sleep(for: .milliseconds(500))
                                        try cluster.command("resume")
                                    }
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let all = answers.all
                #expect(all.count == 120)
                #expect(
                    all.allSatisfy { $0.status == 201 || ($0.status == 503 && $0.retryAfter != nil) },
                    "\(all.filter { $0.status != 201 && $0.status != 503 }) \(unhandled())")
                // The failed ones are sent again with their keys, as a client told to retry would.
                var tickets = Dictionary(uniqueKeysWithValues: all.compactMap { answer in answer.ticket.map { (answer.key, $0) } })
                for answer in all where answer.ticket == nil {
                    var again = await Self.file(client, key: answer.key, index: Int(answer.key.split(separator: "-").last!)! - 100_000)
                    for _ in 0..<20 where again.ticket == nil {
                        try await Task.sleep(for: .milliseconds(500))
                        again = await Self.file(client, key: answer.key, index: Int(answer.key.split(separator: "-").last!)! - 100_000)
                    }
                    tickets[answer.key] = again.ticket
                }
                #expect(tickets.count == 120 && tickets.values.allSatisfy { !$0.isEmpty })
                #expect(Set(tickets.values).count == 120, "a ticket given twice")
                #expect(try cluster.psql("SELECT count(*) FROM complaint WHERE description LIKE 'Sampah menumpuk, laporan nomor %'") == "120")
                let stored = Set(try cluster.psql("SELECT ticket FROM complaint").split(separator: "\n").map(String.init))
                #expect(Set(tickets.values).isSubset(of: stored), "an acknowledged filing is missing")
            }
        }
    }
}
