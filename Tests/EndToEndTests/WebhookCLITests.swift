import AduanCore
import AduanTestSupport
import AduanWire
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

extension EndToEnd {
@Suite("The real binaries: webhook subscriptions, and deliveries that survive kill -9")
struct WebhookCLITests {
    static let allowPrivate = ["ADUAN_WEBHOOK_ALLOW_PRIVATE": "true"]

    /// `webhooks add --json`: the subscription's id and its secret.
    static func add(db: String, url: String, scope: [String]) throws -> (id: Int, secret: WebhookSecret) {
        let added = try run(binary("aduan-admin"), ["webhooks", "add", "--db", db, "--url", url, "--json"] + scope, environment: Self.allowPrivate)
        #expect(added.status == 0, "\(added.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])
        let encoded = try #require(object["secret"] as? String)
        return (try #require(object["id"] as? Int), try #require(WebhookSecret(encoded)))
    }

    static func fileComplaints(port: Int, count: Int) async throws -> [String] {
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            var tickets: [String] = []
            for index in 0..<count {
                let response = try await client.post(
                    "/v1/complaints", headers: [.contentType: "application/json"],
                    body: body(SubmitComplaintRequest(category: "drainase", description: "Saluran tersumbat, laporan nomor \(index).", region: "18.71.01")))
                #expect(response.status == .created)
                tickets.append(try decode(SubmittedComplaint.self, response).ticket)
            }
            return tickets
        }
    }

    @Test("add refuses private addresses and unknown offices; the secret is shown once and never stored in clear; list, disable, enable, rotate, test")
    func operatorCommands() async throws {
        let directory = try temporaryDirectory()
        let db = directory.appendingPathComponent("aduan.sqlite").path
        let admin = binary("aduan-admin")
        #expect(try run(admin, ["db", "migrate", "--db", db]).status == 0)
        let refused = try run(admin, ["webhooks", "add", "--db", db, "--url", "http://127.0.0.1:9/hook", "--province"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("loopback, private or link-local"), "\(refused.stderr)")
        let metadata = try run(admin, ["webhooks", "add", "--db", db, "--url", "http://169.254.169.254/latest", "--province"])
        #expect(metadata.status != 0)
        let unknown = try run(admin, ["webhooks", "add", "--db", db, "--url", "https://pu.example.go.id/", "--opd", "NOPE"], environment: Self.allowPrivate)
        #expect(unknown.stderr.contains("unknown OPD 'NOPE'"), "\(unknown.stderr)")
        let badEvents = try run(
            admin, ["webhooks", "add", "--db", db, "--url", "https://pu.example.go.id/", "--province", "--events", "filed,dibakar"],
            environment: Self.allowPrivate)
        #expect(badEvents.stderr.contains("unknown event type 'complaint.dibakar'"), "\(badEvents.stderr)")

        let receiver = try await WebhookReceiver.start()
        let (id, secret) = try Self.add(db: db, url: receiver.url(), scope: ["--opd", "PUPR-1871"])
        receiver.setSecrets([secret])
        let file = try Data(contentsOf: URL(fileURLWithPath: db))
        #expect(file.range(of: Data(secret.encoded.utf8)) == nil && file.range(of: Data(secret.bytes)) == nil, "the secret is sealed")
        let list = try run(admin, ["webhooks", "list", "--db", db])
        #expect(list.stdout.contains(receiver.url()) && list.stdout.contains("PUPR-1871") && list.stdout.contains("enabled"), "\(list.stdout)")
        #expect(!list.stdout.contains("whsec_"))

        let server = try ServerProcess(arguments: ["--db", db], environment: Self.allowPrivate)
        defer { _ = server.terminate() }
        let tested = try run(admin, ["webhooks", "test", String(id), "--db", db])
        #expect(tested.status == 0, "\(tested.stderr)")
        #expect(tested.stdout.contains("delivered: the receiver answered HTTP 204"), "\(tested.stdout)")
        #expect(receiver.received.first?.type == "webhook.test" && receiver.received.first?.signedBy == [0])

        #expect(try run(admin, ["webhooks", "disable", String(id), "--db", db, "--reason", "sistem diganti"]).status == 0)
        #expect(try run(admin, ["webhooks", "list", "--db", db]).stdout.contains("disabled: sistem diganti"))
        let whileDisabled = try run(admin, ["webhooks", "test", String(id), "--db", db])
        #expect(whileDisabled.status != 0 && whileDisabled.stderr.contains("is disabled"), "\(whileDisabled.stderr)")
        #expect(try run(admin, ["webhooks", "enable", String(id), "--db", db]).status == 0)

        let rotated = try run(admin, ["webhooks", "rotate-secret", String(id), "--db", db, "--grace-hours", "1"])
        #expect(rotated.status == 0, "\(rotated.stderr)")
        let newSecret = try #require(rotated.stdout.split(separator: "\n").last.flatMap { WebhookSecret(String($0)) })
        receiver.setSecrets([secret, newSecret])
        #expect(try run(admin, ["webhooks", "test", String(id), "--db", db]).status == 0)
        #expect(receiver.received.last?.signedBy == [0, 1])

        let deliveries = try run(admin, ["webhooks", "deliveries", "--db", db, "--webhook", String(id)])
        #expect(deliveries.stdout.contains("webhook.test") && deliveries.stdout.contains("delivered"), "\(deliveries.stdout)")
        #expect(try run(admin, ["webhooks", "deliveries", "--db", db, "--failed"]).stdout.contains("no dead letters"))
        #expect(try run(admin, ["webhooks", "retry", "--db", db, "--all"]).stdout.contains("queued 0 deliveries again"))
        let missing = try run(admin, ["webhooks", "retry", "--db", db, "999"])
        #expect(missing.status != 0)
        let log = try run(admin, ["webhooks", "log", String(id), "--db", db]).stdout
        for action in ["added", "test", "disabled", "enabled", "secret_rotated"] { #expect(log.contains(action), "\(log)") }
        await receiver.stop()
    }

    @Test("kill -9 with deliveries pending: after the restart every one is delivered, signed")
    func killNine() async throws {
        let directory = try temporaryDirectory()
        let db = directory.appendingPathComponent("aduan.sqlite").path
        #expect(try run(binary("aduan-admin"), ["db", "migrate", "--db", db]).status == 0)
        // A port nobody listens on yet: the receiver is down while the complaints are filed.
        let probe = try await WebhookReceiver.start()
        let port = probe.port
        await probe.stop()
        let (_, secret) = try Self.add(db: db, url: "http://127.0.0.1:\(port)/hook", scope: ["--province"])
        var environment = Self.allowPrivate
        environment["ADUAN_WEBHOOK_RETRY_DELAYS"] = Array(repeating: "0.3s", count: 40).joined(separator: ",")
        let server = try ServerProcess(arguments: ["--db", db], environment: environment)
        let tickets = try await Self.fileComplaints(port: server.port, count: 20)
        // Wait until the server has tried (and failed) to deliver, so that the deliveries are pending in the file.
        let deadline = Date().addingTimeInterval(20)
        var tried = false
        while !tried && Date() < deadline {
            let listed = try run(binary("aduan-admin"), ["webhooks", "deliveries", "--db", db, "--json", "--limit", "100"]).stdout
            let rows = (try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [[String: Any]]) ?? []
            tried = rows.count == 20 && rows.allSatisfy { ($0["attempts"] as? Int ?? 0) >= 1 && $0["state"] as? String == "pending" }
            if !tried { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(tried, "every delivery tried and pending before the kill")
        server.kill()

        let receiver = try await WebhookReceiver.start(port: port)
        receiver.setSecrets([secret])
        let restarted = try ServerProcess(arguments: ["--db", db], environment: environment)
        defer { _ = restarted.terminate() }
        let received = try await receiver.wait(timeout: .seconds(30), for: "all 20 deliveries") { Set($0.compactMap(\.ticket)).count == 20 }
        #expect(Set(received.compactMap(\.ticket)) == Set(tickets))
        #expect(received.allSatisfy { $0.type == "complaint.filed" && $0.signedBy == [0] })
        await receiver.stop()
    }
}
}
