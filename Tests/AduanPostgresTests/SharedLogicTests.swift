import AduanStore
import Foundation
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

    @Test("values go in and come back as the engine holds them: integers, reals, text with quotes and question marks, bytes, NULL")
    func values() async throws {
        try await TestPostgres.withFreshDatabase { url in
            try await PostgresDatabase.using(url, deadline: TestPostgres.deadline) { server in
                let row = try await server.withSyncTransaction { session in
                    try session.rows(
                        "SELECT ?::bigint, ?::double precision, ?::text, 'a literal? yes', ?::bytea, ?::text, true",
                        [.integer(-42), .real(0.125), .text("it's \"quoted\"?"), .blob([0, 255, 7]), .null])
                }
                #expect(
                    row == [
                        [
                            .integer(-42), .real(0.125), .text("it's \"quoted\"?"), .text("a literal? yes"), .blob([0, 255, 7]), .null,
                            .integer(1),
                        ]
                    ])
            }
        }
    }
}
