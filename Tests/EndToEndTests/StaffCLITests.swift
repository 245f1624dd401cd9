import AduanCore
import AduanStore
import AduanWire
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

extension EndToEnd {
@Suite("The real aduan-admin against a real server: the triage story")
struct StaffCLITests {
    /// The JSON `aduan-admin staff add --json` prints: the operator command's own output, not the server's, so it is
    /// read as plain JSON.
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Adds a staff member with the real `aduan-admin staff add`; returns the token it prints once.
    static func addStaff(db: String, _ arguments: [String]) throws -> String {
        let added = try run(binary("aduan-admin"), ["staff", "add", "--db", db, "--json"] + arguments)
        #expect(added.status == 0, "\(added.stderr)")
        return try #require(try Self.json(added.stdout)["token"] as? String)
    }

    /// Files a complaint over HTTP as the mobile app does.
    static func file(
        port: Int, category: String, region: String = "18.71.01",
        reporter: SubmitComplaintRequest.ReporterInput = .init(name: "Siti Rahma"), anonymous: Bool? = nil
    ) async throws -> SubmittedComplaint {
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            let input = SubmitComplaintRequest(
                category: category, description: "Laporan warga tentang \(category) di Kedaton.", region: region,
                reporter: reporter, anonymous: anonymous)
            let response = try await client.post("/v1/complaints", headers: [.contentType: "application/json"], body: body(input))
            #expect(response.status == .created)
            return try decode(SubmittedComplaint.self, response)
        }
    }

    static func reporterPost(port: Int, _ path: String, token: String, _ request: some Encodable & Sendable) async throws -> HTTPResponse.Status {
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            try await client.post(
                path, headers: [.contentType: "application/json", .authorization: "Bearer \(token)"], body: body(request)
            ).status
        }
    }

    @Test("a triage officer of Dinas PU Kota Bandar Lampung logs in, works the queue, and a supervisor sees breaches")
    func triageStory() async throws {
        let directory = try temporaryDirectory()
        let db = directory.appendingPathComponent("aduan.sqlite").path
        let admin = binary("aduan-admin")

        // Given a complaint filed 30 days ago (so the SLA monitor has a breach to find) ...
        let catalog = try CatalogLoader.bundled()
        let store = try Store.open(path: db)
        guard case .success(let old) = Intake(catalog: catalog).file(
            SubmissionInput(category: "drainase", description: "Jalan amblas sejak bulan lalu, belum ada tindakan.", region: "18.71.02"),
            now: Date().addingTimeInterval(-30 * 86_400))
        else { Issue.record("intake refused the old complaint"); return }
        guard case .created(let overdue) = try await store.file(old)
        else { Issue.record("not created"); return }

        // ... a server with a one-second SLA monitor, staff accounts made by the operator, and new complaints.
        let server = try ServerProcess(arguments: ["--db", db], environment: ["ADUAN_SLA_CHECK_INTERVAL": "1"])
        defer { _ = server.terminate() }
        let url = "http://127.0.0.1:\(server.port)"
        let triageToken = try Self.addStaff(db: db, ["--name", "Rina Triage PU", "--role", "triage", "--opd", "PUPR-1871"])
        let officerToken = try Self.addStaff(db: db, ["--name", "Andi Petugas PU", "--role", "officer", "--opd", "PUPR-1871"])
        let supervisorToken = try Self.addStaff(db: db, ["--name", "Biro Pemerintahan", "--role", "supervisor"])
        let refused = try run(admin, ["staff", "add", "--db", db, "--name", "X", "--role", "triage"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("needs --opd"))

        let road = try await Self.file(port: server.port, category: "drainase")
        let light = try await Self.file(port: server.port, category: "drainase")
        let rubbish = try await Self.file(port: server.port, category: "sampah")

        // When the triage officer logs in with the token on standard input ...
        let home = directory.appendingPathComponent("home").path
        let env = ["XDG_CONFIG_HOME": home, "ADUAN_SERVER": "", "ADUAN_TOKEN": "", "ADUAN_CREDENTIALS": ""]
        let notYet = try run(admin, ["queue"], environment: env)
        #expect(notYet.status != 0)
        #expect(notYet.stderr.contains("not logged in"))
        let login = try run(admin, ["login", "--server", url], environment: env, input: triageToken + "\n")
        #expect(login.status == 0, "\(login.stderr)")
        #expect(login.stdout.contains("logged in as Rina Triage PU (triage, Dinas Pekerjaan Umum"))
        let credentials = home + "/aduan/credentials"
        let mode = try FileManager.default.attributesOfItem(atPath: credentials)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let badLogin = try run(admin, ["login", "--server", url], environment: env, input: "wrong-token\n")
        #expect(badLogin.status != 0)
        #expect(badLogin.stderr.contains("refused this token"))

        // ... they see only their OPD's queue, most urgent first (the overdue one on top), with Indonesian labels.
        // `queue --json` prints the server's JSON: a QueuePage.
        var queue = try decode(QueuePage.self, try run(admin, ["queue", "--json"], environment: env).stdout)
        for _ in 0..<50 where queue.items.first?.sla.response != "breached" {
            try await Task.sleep(for: .milliseconds(100))
            queue = try decode(QueuePage.self, try run(admin, ["queue", "--json"], environment: env).stdout)
        }
        #expect(queue.items.first?.sla.response == "breached")
        let tickets = queue.items.map(\.ticket)
        #expect(tickets.first == overdue.ticket.rawValue)
        #expect(Set(tickets) == [overdue.ticket.rawValue, road.ticket, light.ticket])
        #expect(!tickets.contains(rubbish.ticket))
        let table = try run(admin, ["queue"], environment: env)
        #expect(table.status == 0)
        #expect(table.stdout.contains("TIKET") && table.stdout.contains("Menunggu") && table.stdout.contains("TERLAMBAT"), "\(table.stdout)")

        // They accept, ask for information, the reporter answers, they resolve, and the reporter confirms.
        let accept = try run(admin, ["accept", road.ticket, "--note", "Tim survei besok"], environment: env)
        #expect(accept.status == 0, "\(accept.stderr)")
        #expect(accept.stdout.contains("Diproses"))
        let ask = try run(admin, ["ask-info", road.ticket, "--question", "Di depan nomor rumah berapa?"], environment: env)
        #expect(ask.stdout.contains("Menunggu info pelapor"), "\(ask.stderr)")
        #expect(try await Self.reporterPost(port: server.port, "/v1/complaints/\(road.ticket)/comments", token: road.tracking_token, ReporterMessage(text: "Depan nomor 12")) == .created)
        let resolve = try run(admin, ["resolve", road.ticket, "--note", "Lubang sudah ditambal"], environment: env)
        #expect(resolve.stdout.contains("Selesai, menunggu konfirmasi"), "\(resolve.stderr)")
        #expect(try await Self.reporterPost(port: server.port, "/v1/complaints/\(road.ticket)/feedback", token: road.tracking_token, FeedbackRequest(rating: 5)) == .ok)
        let show = try run(admin, ["show", road.ticket], environment: env)
        #expect(show.status == 0)
        #expect(show.stdout.contains("[Selesai]") && show.stdout.contains("Depan nomor 12") && show.stdout.contains("Rina Triage PU (triage)"), "\(show.stdout)")
        let audit = try decode(AuditLog.self, try run(admin, ["audit", "--ticket", road.ticket, "--json"], environment: env).stdout)
        #expect(audit.ticket == road.ticket)
        let staffEntries = audit.entries.filter { $0.actor.kind == "staff" }
        #expect(staffEntries.map(\.kind) == ["status_changed", "status_changed", "status_changed"])
        #expect(staffEntries.map(\.actor.name) == ["Rina Triage PU", "Rina Triage PU", "Rina Triage PU"])

        // Errors are one clear line and a non-zero exit.
        let closed = try run(admin, ["reject", road.ticket, "--reason", "Salah kirim"], environment: env)
        #expect(closed.status != 0)
        #expect(closed.stderr.contains("cannot reject \(road.ticket) now that it is closed; allowed: comment"), "\(closed.stderr)")
        let unknown = try run(admin, ["show", "2611-99999"], environment: env)
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no complaint 2611-99999"))
        let otherOPD = try run(admin, ["accept", rubbish.ticket], environment: env)
        #expect(otherOPD.status != 0)
        #expect(otherOPD.stderr.contains("no complaint \(rubbish.ticket)"))
        let officerEnv = ["ADUAN_SERVER": url, "ADUAN_TOKEN": officerToken, "XDG_CONFIG_HOME": home]
        let officerForward = try run(admin, ["forward", light.ticket, "--to", "DLH-1871", "--note", "x"], environment: officerEnv)
        #expect(officerForward.status != 0)
        #expect(officerForward.stderr.contains("not permitted"), "\(officerForward.stderr)")
        let unreachable = try run(admin, ["queue"], environment: ["ADUAN_SERVER": "http://127.0.0.1:1", "ADUAN_TOKEN": triageToken])
        #expect(unreachable.status != 0)
        #expect(unreachable.stderr.contains("cannot reach the server"), "\(unreachable.stderr)")
        let usage = try run(admin, ["accept"], environment: env)
        #expect(usage.status != 0)
        #expect(usage.stderr.contains("Missing expected argument") && usage.stderr.contains("see --help"), "\(usage.stderr)")
        let unknownOPD = try run(admin, ["forward", light.ticket, "--to", "NOPE-1", "--note", "x"], environment: env)
        #expect(unknownOPD.stderr.contains("refused: to (invalid value)"), "\(unknownOPD.stderr)")
        for failure in [closed, unknown, otherOPD, officerForward, unreachable, usage, unknownOPD] {
            #expect(failure.stderr.split(separator: "\n").count == 1, "\(failure.stderr)")
        }

        // A supervisor sees the breach across the province, escalated to the OPD's parent.
        let supervisorEnv = ["ADUAN_SERVER": url, "ADUAN_TOKEN": supervisorToken, "XDG_CONFIG_HOME": home]
        let breached = try decode(QueuePage.self, try run(admin, ["queue", "--breached", "--json"], environment: supervisorEnv).stdout)
        #expect(breached.items.map(\.ticket) == [overdue.ticket.rawValue])
        let escalated = try decode(
            StaffComplaintView.self, try run(admin, ["show", overdue.ticket.rawValue, "--json"], environment: supervisorEnv).stdout)
        let parent = try #require(catalog.opds["PUPR-1871"]?.parent)
        #expect(escalated.escalated_to?.code == parent)

        // Revoking the token locks the member out at once.
        let list = try run(admin, ["staff", "list", "--db", db])
        #expect(list.stdout.contains("Rina Triage PU") && list.stdout.contains("active"))
        let revoke = try run(admin, ["staff", "revoke", "1", "--db", db])
        #expect(revoke.status == 0, "\(revoke.stderr)")
        let afterRevoke = try run(admin, ["queue"], environment: env)
        #expect(afterRevoke.status != 0)
        #expect(afterRevoke.stderr.contains("refused the saved token"))
        // The operators' side of the audit log: who added and revoked whom.
        let log = try run(admin, ["staff", "log", "--db", db])
        #expect(log.status == 0, "\(log.stderr)")
        let lines = log.stdout.split(separator: "\n")
        #expect(lines.filter { $0.contains("added") }.count == 3, "\(log.stdout)")
        #expect(lines.contains { $0.contains("revoked") && $0.contains("#1 Rina Triage PU") }, "\(log.stdout)")
    }
}
}

extension EndToEnd {
@Suite("The real aduan-admin against a real server: support and similar complaints")
struct SupportCLITests {
    static func filePlaced(port: Int, north metres: Double) async throws -> SubmittedComplaint {
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            let input = SubmitComplaintRequest(
                category: "drainase", description: "Saluran tersumbat di Jalan Teuku Umar, Kedaton.", region: "18.71.01",
                location: .init(lat: -5.38 + metres / 111_195, lng: 105.26), visibility: "public")
            let response = try await client.post("/v1/complaints", headers: [.contentType: "application/json"], body: body(input))
            #expect(response.status == .created)
            return try decode(SubmittedComplaint.self, response)
        }
    }

    @Test("queue --sort support puts the most supported first; show lists the neighbours with the merge command")
    func supportAndSimilar() async throws {
        let directory = try temporaryDirectory()
        let db = directory.appendingPathComponent("aduan.sqlite").path
        let admin = binary("aduan-admin")
        let server = try ServerProcess(arguments: ["--db", db])
        defer { _ = server.terminate() }
        let token = try StaffCLITests.addStaff(db: db, ["--name", "Rina Triage PU", "--role", "triage", "--opd", "PUPR-1871"])
        let first = try await Self.filePlaced(port: server.port, north: 0)
        let second = try await Self.filePlaced(port: server.port, north: 40)
        try await TestClient.withClient(host: "127.0.0.1", port: server.port) { client in
            for device in ["device-0001-aaaa", "device-0002-bbbb"] {
                let response = try await client.post("/v1/complaints/\(second.ticket)/support", headers: [HTTPField.Name("X-Device-Id")!: device], body: ByteBuffer())
                #expect(response.status == .ok)
            }
        }
        let env = ["XDG_CONFIG_HOME": directory.appendingPathComponent("home").path, "ADUAN_SERVER": "", "ADUAN_TOKEN": "", "ADUAN_CREDENTIALS": ""]
        #expect(try run(admin, ["login", "--server", "http://127.0.0.1:\(server.port)"], environment: env, input: token + "\n").status == 0)
        let queue = try run(admin, ["queue", "--sort", "support"], environment: env)
        #expect(queue.status == 0, "\(queue.stderr)")
        #expect(queue.stdout.contains("DUKUNGAN"))
        let lines = queue.stdout.split(separator: "\n")
        #expect(lines.firstIndex { $0.contains(second.ticket) }! < lines.firstIndex { $0.contains(first.ticket) }!, "\(queue.stdout)")
        let wrongSort = try run(admin, ["queue", "--sort", "loudest"], environment: env)
        #expect(wrongSort.status != 0)
        let shown = try run(admin, ["show", first.ticket], environment: env)
        #expect(shown.stdout.contains("Serupa di sekitar (1)"), "\(shown.stdout)")
        #expect(shown.stdout.contains("aduan-admin merge \(first.ticket) --into \(second.ticket)"))
        #expect(shown.stdout.contains("dukungan 2"))
        let help = try run(admin, ["queue", "--help"])
        #expect(help.stdout.contains("--sort"))
    }
}
}
