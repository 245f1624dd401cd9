import AduanCore
import AduanReport
import AduanStore
import Foundation
import Testing

@Suite("Monthly report: the open complaints citizens support most")
struct SupportReportTests {
    func filePublic(_ f: Fixture, _ category: String, at local: String) async throws -> Complaint {
        let filing = try Intake(catalog: catalog).file(
            SubmissionInput(
                category: category, description: "Keluhan warga tentang \(category) di sini.", region: Fixture.kedaton, visibility: "public"
            ),
            now: wib(local)
        ).get()
        guard case .created(let complaint) = try await f.store.file(filing) else { throw FixtureFailure() }
        return complaint
    }

    func support(_ f: Fixture, _ complaint: Complaint, devices: Int, at local: String) async throws {
        for index in 0..<devices {
            _ = try await f.store.support(ticket: complaint.ticket, by: .device(idHash: "\(complaint.id)-\(index)"), now: wib(local))
        }
    }

    @Test("per office, most supported first; support after month end and settled complaints do not count; every format shows it")
    func mostSupported() async throws {
        let f = try await Fixture()
        let drain = try await self.filePublic(f, "drainase", at: "2026-10-05T09:00")  // PUPR-1871
        let rubbish = try await self.filePublic(f, "sampah", at: "2026-10-06T09:00")  // DLH-1871
        let quiet = try await self.filePublic(f, "drainase", at: "2026-10-07T09:00")
        let settled = try await self.filePublic(f, "sampah", at: "2026-10-08T09:00")
        try await self.support(f, drain, devices: 5, at: "2026-10-10T09:00")
        try await self.support(f, rubbish, devices: 3, at: "2026-10-10T09:00")
        try await self.support(f, quiet, devices: 1, at: "2026-10-10T09:00")
        try await self.support(f, settled, devices: 9, at: "2026-10-10T09:00")
        try await self.support(f, quiet, devices: 10, at: "2026-11-02T09:00")  // after October
        try await f.act(.reject(reason: "Bukan wewenang kami."), on: settled, at: "2026-10-20T09:00")

        let report = try await f.report("2026-10")
        let listed = try #require(report.mostSupported)
        #expect(listed.map(\.ticket) == [drain, rubbish, quiet].map(\.ticket.rawValue))
        #expect(listed.map(\.supporters) == [5, 3, 1])
        #expect(listed[0].opd == "PUPR-1871" && listed[0].region == "18.71" && listed[0].categoryName == "Drainase/saluran air tersumbat")
        let office = try await f.report("2026-10", opd: "DLH-1871")
        #expect(office.mostSupported?.map(\.ticket) == [rubbish.ticket.rawValue])
        #expect(ReportMarkdown.render(office).contains("paling didukung"))
        #expect(ReportHTML.render(office).contains(rubbish.ticket.rawValue))
        #expect(ReportCSV.render(office).contains("paling_didukung,DLH-1871"))
        // A snapshot kept before support existed still reads.
        var old = office
        old.mostSupported = nil
        let decoded = try JSONDecoder().decode(MonthlyReport.self, from: try JSONEncoder().encode(old))
        #expect(decoded.mostSupported == nil)
    }
}

@Suite("Report runs: one per month and scope at a time")
struct SingleFlightTests {
    @Test("callers arriving during a run wait for its result; another key runs apart; a later call runs anew")
    func oneRunPerKey() async throws {
        let flights = SingleFlight<Int>()
        let gate = AsyncStream<Void>.makeStream()
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    try await flights.run("2026-11|18") {
                        for await _ in gate.stream { break }
                        return 42
                    }
                }
            }
            // Every caller is waiting on the one run before it is let go.
            while await flights.started < 1 { await Task.yield() }
            try await Task.sleep(for: .milliseconds(200))
            gate.continuation.yield()
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results == [42, 42, 42, 42, 42])
        #expect(await flights.started == 1)
        #expect(try await flights.run("2026-11|DLH-1871") { 7 } == 7)
        #expect(try await flights.run("2026-11|18") { 43 } == 43)
        #expect(await flights.started == 3)
    }
}
