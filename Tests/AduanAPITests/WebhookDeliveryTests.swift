import AduanAPI
import AduanCore
import AduanServices
import AduanStore
import AduanTestSupport
import AduanWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// Deliveries through the real router, the real dispatcher and a real HTTP receiver on loopback that checks every
/// signature.
@Suite("Webhooks and messages: delivered, signed, in order", .serialized)
struct WebhookDeliveryTests {
    static let key = SealingKey(bytes: Secrets.randomBytes(32))

    /// Settings for tests: loopback receivers allowed, retries within a second.
    static func settings(_ change: (inout DispatcherSettings) -> Void = { _ in }) -> DispatcherSettings {
        var settings = DispatcherSettings()
        settings.allowPrivateAddresses = true
        settings.policy.retryDelays = [0.2, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3]
        settings.policy.jitter = 0
        settings.pollInterval = .milliseconds(200)
        change(&settings)
        return settings
    }

    /// Runs `body` with the API and the dispatcher over one database.
    static func withServer(
        _ settings: DispatcherSettings = settings(),
        _ body: @Sendable (any TestClientProtocol, Store, StaffFixture) async throws -> Void
    ) async throws {
        try await withAPI { client, store in
            let dispatcher = Dispatcher(
                store: store, catalog: LiveCatalog(bundledCatalog), key: Self.key, settings: settings, logger: Logger(label: "test"))
            let task = Task { try await dispatcher.run() }
            defer { task.cancel() }
            try await body(client, store, try await StaffFixture.make(store))
            task.cancel()
            _ = try? await task.value
        }
    }

    /// Subscribes the receiver, as `aduan-admin webhooks add` does, and gives it the secret.
    static func subscribe(_ store: Store, _ receiver: WebhookReceiver, opd: String?, path: String = "hook") async throws
        -> WebhookSubscription
    {
        let secret = WebhookSecret.generate()
        receiver.setSecrets(receiver.secrets + [secret])
        return try await store.addSubscription(
            url: receiver.url(path), opd: opd, events: nil,
            sealedSecret: Self.key.seal(secret.bytes, context: WebhookSecret.sealingContext),
            by: "test", now: Date())
    }

    @Test("a complaint's whole story reaches the receiver signed, once each, in order")
    func wholeStory() async throws {
        let receiver = try await WebhookReceiver.start()
        try await Self.withServer { client, store, staff in
            _ = try await Self.subscribe(store, receiver, opd: StaffFixture.ownOPD)
            let filed = try await fileComplaint(client, own: true)
            let ticket = filed.ticket
            let triage = staff.tokens[.triage]!
            _ = try await staffAct(client, ticket, "accept", token: triage)
            _ = try await staffAct(client, ticket, "ask-info", token: triage, body: StaffActionRequest(question: "Di sisi mana jalannya?"))
            let reply = try await client.execute(
                uri: "/v1/complaints/\(ticket)/comments", method: .post, headers: reporterHeaders(filed.tracking_token),
                body: body(ReporterMessage(text: "Sisi utara dekat masjid.")))
            #expect(reply.status == .created)
            _ = try await staffAct(
                client, ticket, "resolve", token: staff.tokens[.officer]!, body: StaffActionRequest(note: "Saluran dibersihkan."))
            let confirm = try await client.execute(
                uri: "/v1/complaints/\(ticket)/feedback", method: .post, headers: reporterHeaders(filed.tracking_token),
                body: body(FeedbackRequest(rating: 5)))
            #expect(confirm.status == .ok)
            let expected = ["filed", "accepted", "waiting_for_reporter", "reporter_replied", "resolved", "closed"].map { "complaint." + $0 }
            let received = try await receiver.wait(for: "the whole story") { $0.count >= expected.count }
            #expect(received.map(\.type) == expected)
            for delivery in received {
                #expect(
                    Contract.shared.problems(json: Data(delivery.body), schemaAt: "#/components/schemas/WebhookEvent") == [],
                    "\(delivery.type ?? "?")")
            }
            #expect(received.allSatisfy { $0.ticket == ticket && $0.signedBy == [0] })
            #expect(Set(received.map(\.id)).count == received.count, "one webhook-id per event")
            #expect(received.allSatisfy { ($0.json["id"] as? String) == $0.id })
            let first = received[0].json
            #expect((first["office"] as? [String: Any])?["code"] as? String == StaffFixture.ownOPD)
            #expect((first["complaint"] as? [String: Any])?["reporter"] != nil, "a named reporter's complaint names them")
            #expect(received.last?.json["status"] as? String == "closed")
            #expect((received[1].json["data"] as? [String: String])?["question"] == nil)
            #expect((received[2].json["data"] as? [String: String])?["question"] == "Di sisi mana jalannya?")
            try await Task.sleep(for: .milliseconds(300))
            #expect(receiver.received.count == expected.count, "nothing sent twice")
        }
        await receiver.stop()
    }

    @Test("an anonymous reporter is never named in a webhook")
    func anonymous() async throws {
        let receiver = try await WebhookReceiver.start()
        try await Self.withServer { client, store, _ in
            _ = try await Self.subscribe(store, receiver, opd: nil)
            let filed = try await fileComplaint(client, own: true, anonymous: true)
            let received = try await receiver.wait(for: "the filing") { !$0.isEmpty }
            let text = String(decoding: received[0].body, as: UTF8.self)
            #expect(received[0].ticket == filed.ticket)
            #expect(!text.contains("Siti") && !text.contains("812") && !text.contains("Teuku Umar"), "\(text)")
        }
        await receiver.stop()
    }

    @Test("a failing receiver gets retries with the same id until it answers 2xx; a receiver that is down gets it when back")
    func retries() async throws {
        let receiver = try await WebhookReceiver.start()
        let port = receiver.port
        receiver.answer(503, retryAfter: "0")
        try await Self.withServer { client, store, _ in
            let subscription = try await Self.subscribe(store, receiver, opd: nil)
            let secrets = receiver.secrets
            let filed = try await fileComplaint(client, own: true)
            try await receiver.wait(for: "three failed attempts") { $0.count >= 3 }
            receiver.answer(204)
            try await eventually("the success") { try await store.deliveries(subscriptionID: subscription.id).first?.state == .delivered }
            let received = receiver.received
            #expect(Set(received.map(\.id)).count == 1, "the same webhook-id on every attempt")
            #expect(received.allSatisfy { $0.ticket == filed.ticket && $0.signedBy == [0] })
            // Down: nobody listens on the port, then a receiver comes back on it.
            await receiver.stop()
            _ = try await fileComplaint(client, own: true)
            // At least one attempt refused (on two busy cores the first one may take a while).
            try await eventually("a refused attempt") {
                let newest = try await store.deliveries(subscriptionID: subscription.id, limit: 1).first
                return newest?.state == .pending && (newest?.attempts ?? 0) >= 1
            }
            let waiting = try await store.deliveries(subscriptionID: subscription.id, limit: 1)
            #expect(waiting.first?.state == .pending && (waiting.first?.attempts ?? 0) >= 1, "\(waiting)")
            #expect(waiting.first?.lastError?.contains("refused") == true, "\(waiting)")
            let back = try await WebhookReceiver.start(port: port)
            back.setSecrets(secrets)
            let late = try await back.wait(for: "the delivery after the receiver came back") { !$0.isEmpty }
            #expect(late[0].type == "complaint.filed" && late[0].signedBy == [0])
            await back.stop()
        }
    }

    @Test("a 410 switches the subscription off: nothing more is sent, and webhooks list shows why")
    func gone() async throws {
        let receiver = try await WebhookReceiver.start()
        receiver.answer(410)
        try await Self.withServer { client, store, _ in
            let subscription = try await Self.subscribe(store, receiver, opd: nil)
            _ = try await fileComplaint(client, own: true)
            try await receiver.wait(for: "the 410") { !$0.isEmpty }
            try await Task.sleep(for: .milliseconds(400))
            let after = try #require(try await store.subscription(id: subscription.id))
            #expect(!after.enabled)
            #expect(after.disabledReason?.contains("410") == true)
            receiver.answer(204)
            _ = try await fileComplaint(client, own: true)
            try await Task.sleep(for: .milliseconds(800))
            #expect(receiver.received.count == 1)
        }
        await receiver.stop()
    }

    @Test("after a rotation both secrets sign during the grace period, then only the new one")
    func rotation() async throws {
        let receiver = try await WebhookReceiver.start()
        try await Self.withServer { client, store, _ in
            let subscription = try await Self.subscribe(store, receiver, opd: nil)
            let new = WebhookSecret.generate()
            receiver.setSecrets(receiver.secrets + [new])
            #expect(
                try await store.rotateSecret(
                    id: subscription.id, sealedSecret: Self.key.seal(new.bytes, context: WebhookSecret.sealingContext),
                    graceUntil: Date().addingTimeInterval(1.5), by: "test", now: Date()))
            _ = try await fileComplaint(client, own: true)
            let during = try await receiver.wait(for: "a delivery in the grace period") { !$0.isEmpty }
            #expect(during[0].signedBy == [0, 1], "old and new")
            #expect(during[0].signatureHeader.split(separator: " ").count == 2)
            try await Task.sleep(for: .seconds(1.6))
            _ = try await fileComplaint(client, own: true)
            let after = try await receiver.wait(for: "a delivery after the grace period") { $0.count >= 2 }
            #expect(after[1].signedBy == [1], "only the new one")
        }
        await receiver.stop()
    }

    @Test("the gateway receives the reporter's messages, signed, with their phone; none after they opt out")
    func gateway() async throws {
        let gateway = try await WebhookReceiver.start()
        let hooks = try await WebhookReceiver.start()
        let secret = WebhookSecret.generate()
        gateway.setSecrets([secret])
        let settings = Self.settings { $0.gateway = MessagingGateway(url: gateway.url("messages"), secret: secret) }
        try await Self.withServer(settings) { client, store, staff in
            _ = try await Self.subscribe(store, hooks, opd: nil)
            let filed = try await fileComplaint(client, own: true)
            let messages = try await gateway.wait(for: "the filing's message") { !$0.isEmpty }
            let first = messages[0].json
            #expect(Contract.shared.problems(json: Data(messages[0].body), schemaAt: "#/components/schemas/GatewayMessage") == [])
            #expect(messages[0].signedBy == [0])
            #expect(first["to"] as? String == validComplaint.reporter?.phone)
            #expect(first["template"] as? String == "aduan_diterima")
            #expect(first["ticket"] as? String == filed.ticket)
            #expect((first["text"] as? String)?.contains(filed.ticket) == true)
            _ = try await staffAct(client, filed.ticket, "accept", token: staff.tokens[.triage]!)
            try await gateway.wait(for: "the accept's message") { $0.count >= 2 }
            #expect(gateway.received[1].json["template"] as? String == "aduan_diproses")
            // Opting out with the tracking token: the next step is announced to offices, not to the reporter.
            let off = try await client.execute(
                uri: "/v1/complaints/\(filed.ticket)/notifications", method: .put, headers: reporterHeaders(filed.tracking_token),
                body: body(ReporterNotifications(enabled: false)))
            #expect(off.status == .ok)
            #expect(try decode(ReporterNotifications.self, off) == ReporterNotifications(enabled: false, phone_on_file: true))
            let wrong = try await client.execute(
                uri: "/v1/complaints/\(filed.ticket)/notifications", method: .put, headers: reporterHeaders("salah"),
                body: body(ReporterNotifications(enabled: true)))
            #expect(wrong.status == .unauthorized)
            _ = try await staffAct(
                client, filed.ticket, "resolve", token: staff.tokens[.officer]!, body: StaffActionRequest(note: "Selesai."))
            try await hooks.wait(for: "the resolution's webhook") { $0.contains { $0.type == "complaint.resolved" } }
            try await Task.sleep(for: .milliseconds(500))
            #expect(gateway.received.count == 2, "no message after opting out")
            // Filed with notify: false, a complaint gets no message at all.
            var quiet = validComplaint
            quiet = SubmitComplaintRequest(
                category: "drainase", description: quiet.description, region: quiet.region, address: quiet.address,
                reporter: quiet.reporter,
                visibility: quiet.visibility, notify: false)
            let silent = try await file(client, quiet)
            try await hooks.wait(for: "the quiet filing's webhook") { $0.contains { $0.ticket == silent.ticket } }
            try await Task.sleep(for: .milliseconds(400))
            #expect(!gateway.received.contains { $0.json["ticket"] as? String == silent.ticket })
        }
        await gateway.stop()
        await hooks.stop()
    }
}

/// Waits until `condition` holds, or fails after `timeout`.
func eventually(_ description: String, timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw ReceiverTimeout(description: description, received: [])
}
