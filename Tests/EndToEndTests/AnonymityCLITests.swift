import AduanWire
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

extension EndToEnd {
    @Suite("The real aduan-admin against a real server: an anonymous reporter")
    struct AnonymityCLITests {
        /// The reporter's name, its parts, and the phone as given and as digits.
        static let identity = ["Siti Rahma", "Siti", "Rahma", "+62 812-7000-1234", "812-7000-1234", "7000-1234", "6281270001234"]

        @Test("an anonymous reporter's name and phone are nowhere in aduan-admin's queue, show, audit and action output, text or --json")
        func anonymousHidden() async throws {
            // Given a real server, two staff accounts made by the operator, and an anonymous complaint with a name and phone
            let directory = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let db = directory.appendingPathComponent("aduan.sqlite").path
            let server = try ServerProcess(arguments: ["--db", db], environment: ["ADUAN_SLA_CHECK_INTERVAL": "0"])
            defer { _ = server.terminate() }
            let url = "http://127.0.0.1:\(server.port)"
            let triage = try StaffCLITests.addStaff(db: db, ["--name", "Rina Triage PU", "--role", "triage", "--opd", "PUPR-1871"])
            let supervisor = try StaffCLITests.addStaff(db: db, ["--name", "Biro Pemerintahan", "--role", "supervisor"])
            let complaint = try await StaffCLITests.file(
                port: server.port, category: "drainase", reporter: .init(name: "Siti Rahma", phone: "+62 812-7000-1234"),
                anonymous: true)
            #expect(complaint.anonymous)
            let ticket = complaint.ticket
            // The identity is sealed: not even the reporter's own view shows it, and nothing below may.
            let own = try await TestClient.withClient(host: "127.0.0.1", port: server.port) { client in
                try decode(
                    ComplaintView.self,
                    try await client.get("/v1/complaints/\(ticket)", headers: [.authorization: "Bearer \(complaint.tracking_token)"]))
            }
            #expect(own.reporter == ReporterDTO(name: nil, phone: nil))

            // When staff work it with the real aduan-admin, in tables and in --json ...
            let home = directory.appendingPathComponent("home").path
            func member(_ token: String) -> [String: String] {
                ["ADUAN_SERVER": url, "ADUAN_TOKEN": token, "ADUAN_CREDENTIALS": "", "XDG_CONFIG_HOME": home]
            }
            var outputs: [(command: String, result: CommandResult)] = []
            func admin(_ arguments: [String], as token: String) throws -> CommandResult {
                let result = try run(binary("aduan-admin"), arguments, environment: member(token))
                outputs.append((arguments.joined(separator: " "), result))
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
                return result
            }
            func reads(as token: String) throws {
                for arguments in [["queue"], ["show", ticket], ["audit", ticket]] {
                    _ = try admin(arguments, as: token)
                    _ = try admin(arguments + ["--json"], as: token)
                }
            }
            try reads(as: triage)
            _ = try admin(["accept", ticket, "--note", "Tim survei besok", "--json"], as: triage)
            _ = try admin(["comment", ticket, "--text", "Catatan internal"], as: triage)
            _ = try admin(["comment", ticket, "--text", "Untuk pelapor", "--visible", "--json"], as: triage)
            _ = try admin(["ask-info", ticket, "--question", "Di depan nomor berapa?"], as: triage)
            let replied = try await TestClient.withClient(host: "127.0.0.1", port: server.port) { client in
                try await client.post(
                    "/v1/complaints/\(ticket)/comments",
                    headers: [.contentType: "application/json", .authorization: "Bearer \(complaint.tracking_token)"],
                    body: body(ReporterMessage(text: "Depan nomor 12"))
                ).status
            }
            #expect(replied == .created)
            _ = try admin(["resolve", ticket, "--note", "Sudah ditambal", "--json"], as: triage)
            _ = try admin(["reopen", ticket, "--reason", "Belum diperbaiki"], as: supervisor)
            try reads(as: supervisor)

            // ... the reporter's name and phone are in none of their output.
            #expect(outputs.count == 6 + 6 + 6)
            for (command, result) in outputs {
                let leaked = Self.identity.filter { result.stdout.contains($0) || result.stderr.contains($0) }
                #expect(leaked.isEmpty, "aduan-admin \(command) shows the anonymous reporter (\(leaked)):\n\(result.stdout)")
            }
            // The --json outputs are the server's JSON: the staff view without a reporter, the audit log, the queue.
            let views = outputs.filter {
                $0.command.hasSuffix("--json") && !$0.command.hasPrefix("queue") && !$0.command.hasPrefix("audit")
            }
            #expect(views.count == 5)
            for (command, result) in views {
                let view = try decode(StaffComplaintView.self, result.stdout)
                #expect(view.ticket == ticket && view.anonymous && view.reporter == nil, "\(command)")
            }
            let audits = outputs.filter { $0.command == "audit \(ticket) --json" }
            #expect(audits.count == 2)
            for (command, result) in audits {
                let log = try decode(AuditLog.self, result.stdout)
                #expect(log.ticket == ticket && log.entries.count >= 2, "\(command)")
            }
            let queues = outputs.filter { $0.command == "queue --json" }
            #expect(queues.count == 2)
            for (command, result) in queues {
                #expect(try decode(QueuePage.self, result.stdout).items.map(\.ticket) == [ticket], "\(command)")
            }
            let shows = outputs.filter { $0.command == "show \(ticket)" }
            #expect(shows.count == 2)
            #expect(shows.allSatisfy { $0.result.stdout.contains("anonim (identitas disembunyikan)") })
        }

        @Test("each time staff are shown a named reporter it is on record, and aduan-admin staff identity-reads lists it")
        func identityReads() async throws {
            let directory = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let db = directory.appendingPathComponent("aduan.sqlite").path
            let server = try ServerProcess(arguments: ["--db", db], environment: ["ADUAN_SLA_CHECK_INTERVAL": "0"])
            defer { _ = server.terminate() }
            let triage = try StaffCLITests.addStaff(db: db, ["--name", "Rina Triage PU", "--role", "triage", "--opd", "PUPR-1871"])
            let named = try await StaffCLITests.file(port: server.port, category: "drainase")
            let anonymous = try await StaffCLITests.file(
                port: server.port, category: "drainase", reporter: .init(name: "Siti Rahma"), anonymous: true)
            try await TestClient.withClient(host: "127.0.0.1", port: server.port) { client in
                for ticket in [named.ticket, named.ticket, anonymous.ticket] {
                    let response = try await client.get("/v1/staff/complaints/\(ticket)", headers: [.authorization: "Bearer \(triage)"])
                    #expect(response.status == .ok)
                }
            }
            let reads = try run(binary("aduan-admin"), ["staff", "identity-reads", named.ticket, "--db", db])
            #expect(reads.status == 0, "\(reads.stderr)")
            #expect(reads.stdout.components(separatedBy: "Rina Triage PU").count == 3, "\(reads.stdout)")
            #expect(reads.stdout.contains("triage PUPR-1871"))
            let none = try run(binary("aduan-admin"), ["staff", "identity-reads", anonymous.ticket, "--db", db])
            #expect(none.stdout.contains("nobody was shown the reporter"), "\(none.stdout)")
            let unknown = try run(binary("aduan-admin"), ["staff", "identity-reads", "2612-99999", "--db", db])
            #expect(unknown.status != 0 && unknown.stderr.contains("no complaint 2612-99999"), "\(unknown.stderr)")
        }
    }
}
