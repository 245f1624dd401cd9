import AduanStore
import Foundation
import GRDB
import Testing

@testable import AduanPostgres

@Suite(
    "PostgreSQL: the store's shared logic on several servers",
    .enabled(if: TestPostgres.available, "set ADUAN_TEST_DATABASE_URL (ops/postgres.sh) to run"))
struct SharedLogicTests {
    @Test(
        "two servers numbering 120 filings at once give tickets 1 to 120 of the month, each once; a rolled-back filing's number is given again"
    )
    func ticketsAcrossServers() async throws {
        try await TestPostgres.withFreshDatabase { url in
            _ = try await PostgresDatabase.using(url, deadline: TestPostgres.deadline) { try await $0.migrate() }
            // Two servers: two pools on the same database.
            let numbers = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        try await PostgresDatabase.using(url, deadline: TestPostgres.deadline) { server in
                            try await withThrowingTaskGroup(of: Int.self) { filings in
                                for _ in 0..<60 {
                                    filings.addTask { try await server.withSyncTransaction { try TicketNumbers.next(period: "2612", $0) } }
                                }
                                return try await filings.reduce(into: []) { $0.append($1) }
                            }
                        }
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(numbers.sorted() == Array(1...120))

            struct Refused: Error {}
            try await PostgresDatabase.using(url, deadline: TestPostgres.deadline) { server in
                await #expect(throws: Refused.self) {
                    try await server.withSyncTransaction { session -> Int in
                        #expect(try TicketNumbers.next(period: "2612", session) == 121)
                        throw Refused()
                    }
                }
                let again = try await server.withSyncTransaction { try TicketNumbers.next(period: "2612", $0) }
                #expect(again == 121)
                let nextMonth = try await server.withSyncTransaction { try TicketNumbers.next(period: "2701", $0) }
                #expect(nextMonth == 1)
            }
        }
    }

    struct Read: Equatable, Sendable {
        let i: Int64, r: Double, t: String, l: String, b: Data, n: String?, f: Bool, count: Int
    }

    @Test(
        "values go in and come back as the engine holds them, by column name: integers, reals, text with quotes and question marks, bytes, NULL"
    )
    func values() async throws {
        try await TestPostgres.withFreshDatabase { url in
            try await PostgresDatabase.using(url, deadline: TestPostgres.deadline) { server in
                let read = try await server.withSyncTransaction { session in
                    let row = try #require(
                        try session.fetchOne(
                            """
                            SELECT ?::bigint AS i, ?::double precision AS r, ?::text AS t, 'a literal? yes' AS l, ?::bytea AS b,
                                ?::text AS n, true AS f
                            """, [-42, 0.125, "it's \"quoted\"?", Data([0, 255, 7]), nil]))
                    return Read(
                        i: row["i"], r: row["r"], t: row["t"], l: row["l"], b: row["b"], n: row["n"], f: row["f"], count: row.count)
                }
                #expect(
                    read
                        == Read(
                            i: -42, r: 0.125, t: "it's \"quoted\"?", l: "a literal? yes", b: Data([0, 255, 7]), n: nil, f: true, count: 7))
            }
        }
    }
}

@Suite(
    "PostgreSQL: jobs one server at a time", .enabled(if: TestPostgres.available, "set ADUAN_TEST_DATABASE_URL (ops/postgres.sh) to run"))
struct ExclusiveJobTests {
    @Test(
        "while one server runs the SLA monitor's pass another skips its turn; it takes over when the pass ends, and when the holder's connection dies"
    )
    func oneAtATime() async throws {
        try await TestPostgres.withFreshDatabase { url in
            try await PostgresDatabase.using(url, deadline: TestPostgres.deadline) { first in
                try await PostgresDatabase.using(url, deadline: TestPostgres.deadline) { second in
                    let (started, go) = AsyncStream.makeStream(of: Void.self)
                    let (release, finish) = AsyncStream.makeStream(of: Void.self)
                    let holder = Task {
                        try await first.exclusively(.slaMonitor) {
                            go.yield()
                            for await _ in release { break }
                            return "first"
                        }
                    }
                    for await _ in started { break }
                    #expect(try await second.exclusively(.slaMonitor) { "second" } == nil)
                    // Another job is not held by it.
                    #expect(try await second.exclusively(.reports) { "reports" } == "reports")
                    finish.yield()
                    #expect(try await holder.value == "first")
                    #expect(try await second.exclusively(.slaMonitor) { "second" } == "second")

                    // The holder dies (its backend ends as if its process were killed): the lock goes with it.
                    let (held, hold) = AsyncStream.makeStream(of: Int32.self)
                    let dying = Task {
                        try await first.exclusively(.slaMonitor) {
                            let pid = try await first.withConnection { connection in
                                var pid: Int32 = 0
                                // The lock's own connection is busy in this body; ask the server which backend holds it.
                                let rows = try await connection.query(
                                    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = \(Int64(ExclusiveJob.slaMonitor.lockKey & 0xFFFF_FFFF)) AND granted",
                                    logger: first.logger)
                                for try await (value) in rows.decode(Int32.self) { pid = value }
                                return pid
                            }
                            hold.yield(pid)
                            try await Task.sleep(for: .seconds(30))
                            return "never"
                        }
                    }
                    var holderPID: Int32 = 0
                    for await pid in held {
                        holderPID = pid
                        break
                    }
                    #expect(holderPID != 0)
                    let victim = holderPID
                    _ = try await second.withConnection { connection in
                        try await connection.query("SELECT pg_terminate_backend(\(victim))", logger: second.logger)
                    }
                    var taken: String? = nil
                    for _ in 0..<50 where taken == nil {
                        taken = try await second.exclusively(.slaMonitor) { "second" }
                        if taken == nil { try await Task.sleep(for: .milliseconds(100)) }
                    }
                    #expect(taken == "second")
                    dying.cancel()
                    _ = await dying.result
                }
            }
        }
    }
}
