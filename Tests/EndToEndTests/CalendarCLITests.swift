import AduanCore
import AduanStore
import AduanWire
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

extension EndToEnd {
@Suite("The real aduan-admin keeps the calendar of a running server")
struct CalendarCLITests {
    /// Files a `sampah` complaint (response target: 1 working day); returns its ticket and response deadline.
    static func file(port: Int) async throws -> (ticket: String, responseDue: String) {
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            let input = SubmitComplaintRequest(category: "sampah", description: "Sampah menumpuk di pinggir jalan Kedaton.", region: "18.71.01")
            let response = try await client.post("/v1/complaints", headers: [.contentType: "application/json"], body: body(input))
            #expect(response.status == .created)
            let created = try decode(SubmittedComplaint.self, response)
            return (created.ticket, created.sla.response_due_at)
        }
    }

    /// `/readyz`'s calendar, polled until its version is `version` (the refresher looks every second here).
    static func calendar(port: Int, waitingFor version: Int64) async throws -> CalendarReach {
        var calendar: CalendarReach?
        for _ in 0..<100 {
            calendar = try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                try decode(Readiness.self, try await client.get("/readyz")).calendar
            }
            if let calendar, calendar.version == version { return calendar }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the server did not take calendar change \(version) in 10 s: \(String(describing: calendar))")
        return try #require(calendar)
    }

    @Test("add, list and remove a day against a running server; complaints filed after a change get the new deadline")
    func addListRemove() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("aduan.sqlite").path
        let server = try ServerProcess(arguments: ["--db", db], environment: ["ADUAN_CALENDAR_REFRESH_INTERVAL": "1"])
        defer { _ = server.terminate() }
        let admin = binary("aduan-admin")

        // Given a complaint filed on the calendar as bundled, due at the close of some working day D.
        let ready = try await Self.calendar(port: server.port, waitingFor: 0)
        #expect(ready.reach == "2027-12-31")
        let before = try await Self.file(port: server.port)
        let day = String(before.responseDue.prefix(10))

        // When an operator declares D a holiday with the real CLI,
        let added = try run(admin, ["calendar", "add", "--db", db, "--date", day, "--kind", "libur", "--name", "Libur daerah (uji)", "--note", "Keputusan uji"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("added \(day)") && added.stdout.contains("change #1"))
        _ = try await Self.calendar(port: server.port, waitingFor: 1)

        // then a complaint filed now is due a working day later, and the first one keeps its deadline.
        let after = try await Self.file(port: server.port)
        #expect(after.responseDue > before.responseDue, "after the change: \(after.responseDue), before: \(before.responseDue)")
        #expect(!after.responseDue.hasPrefix(day))
        let store = try Store.open(path: db, migrate: false)
        let first = try #require(try await store.complaint(ticket: Ticket(before.ticket)))
        #expect(first.state.responseDueAt == ISO8601DateFormatter().date(from: before.responseDue))

        // The list shows the added day with where it came from, beside the bundled ones.
        let list = try run(admin, ["calendar", "list", "--db", db, "--year", String(day.prefix(4))])
        #expect(list.status == 0, "\(list.stderr)")
        let line = try #require(list.stdout.split(separator: "\n").first { $0.hasPrefix(day) })
        #expect(line.contains("Libur daerah (uji)") && line.contains("added #1") && line.contains("Keputusan uji"))
        // `calendar list --json` is the operator command's own JSON, not the server's: read as plain JSON.
        let listJSON = try run(admin, ["calendar", "list", "--db", db, "--json"])
        let days = try #require(try JSONSerialization.jsonObject(with: Data(listJSON.stdout.utf8)) as? [[String: Any]])
        #expect(days.contains { $0["date"] as? String == day && $0["source"] as? String == "added" })
        #expect(days.contains { $0["date"] as? String == "2027-03-10" && $0["provisional"] as? Bool == true })

        // Adding it twice is one line and a non-zero exit.
        let again = try run(admin, ["calendar", "add", "--db", db, "--date", day, "--kind", "libur", "--name", "Lagi"])
        #expect(again.status != 0 && again.stderr.contains("already a day off") && again.stderr.split(separator: "\n").count == 1)

        // When the day is removed again, complaints filed afterwards are due on D as before.
        let removed = try run(admin, ["calendar", "remove", "--db", db, "--date", day, "--note", "Dibatalkan"])
        #expect(removed.status == 0, "\(removed.stderr)")
        _ = try await Self.calendar(port: server.port, waitingFor: 2)
        let restored = try await Self.file(port: server.port)
        #expect(restored.responseDue == before.responseDue)

        // The log keeps both changes, with who made them (the operator command's own JSON, read as plain JSON).
        let log = try run(admin, ["calendar", "log", "--db", db, "--json"])
        let changes = try #require(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
        #expect(changes.map { $0["action"] as? String } == ["add", "remove"])
        #expect(changes.count == 2 && changes.allSatisfy { ($0["by"] as? String)?.isEmpty == false })
    }

    @Test("bad calendar commands are one line and a non-zero exit")
    func refusals() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("aduan.sqlite").path
        let admin = binary("aduan-admin")
        #expect(try run(admin, ["db", "migrate", "--db", db]).status == 0)
        for arguments in [
            ["add", "--date", "2027-02-30", "--kind", "libur", "--name", "X"],
            ["add", "--date", "2027-06-22", "--kind", "nasional", "--name", "X"],
            ["add", "--date", "2027-06-22", "--kind", "libur", "--name", "X", "--region", "19.01"],
            ["remove", "--date", "2027-06-22"],
            ["list", "--region", "99"],
        ] {
            let result = try run(admin, ["calendar"] + arguments + ["--db", db])
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
        }
        let missing = try run(admin, ["calendar", "list", "--db", directory.appendingPathComponent("none.sqlite").path])
        #expect(missing.status != 0 && missing.stderr.contains("no database"))
    }
}
}
