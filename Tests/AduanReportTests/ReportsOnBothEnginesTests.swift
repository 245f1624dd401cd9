import AduanCore
import AduanReport
import AduanStore
import AduanTestSupport
import Foundation
import Testing

@Suite(
    "Reports on both engines: the same history gives the same figures",
    .enabled(if: PostgresTestStore.url != nil, "set ADUAN_TEST_DATABASE_URL (ops/postgres.sh) to run"))
struct ReportsOnBothEnginesTests {
    @Test("October's monthly report, the province's and each office's, is the same on SQLite and on PostgreSQL")
    func monthly() async throws {
        let sqlite = try await Fixture.october()
        let expected = try await Self.reports(sqlite)
        #expect((expected.first?.total.current.received ?? 0) > 0, "the fixture files complaints")
        let path = temporaryDatabasePath()
        let onServer = try await PostgresTestStore.with(filesBeside: path) { store in
            try await Self.reports(try await Fixture.october(store: store))
        }
        #expect(onServer.count == expected.count)
        for (server, file) in zip(onServer, expected) { #expect(server == file, "\(file.scope)") }
    }

    @Test("the third quarter's rakor pack is the same on SQLite and on PostgreSQL")
    func rakor() async throws {
        let tests = RakorPackTests()
        let expected = try await tests.pack(try await tests.quarter())
        let onServer = try await PostgresTestStore.with(filesBeside: temporaryDatabasePath()) { store in
            try await tests.pack(try await tests.quarter(store: store))
        }
        #expect(onServer == expected)
    }

    static func reports(_ f: Fixture) async throws -> [MonthlyReport] {
        var reports = [try await f.report("2026-10")]
        for opd in ["DLH-1871", "PUPR-1871", "BMBK-18", "PUPR-1872"] { reports.append(try await f.report("2026-10", opd: opd)) }
        return reports
    }
}
