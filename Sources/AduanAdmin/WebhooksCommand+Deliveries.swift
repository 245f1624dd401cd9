import AduanCore
import AduanStore
import AduanWire
import ArgumentParser
import Foundation

extension WebhooksCommand {
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue a signed test event (webhook.test) for the running server to send, and wait for the outcome.",
            discussion: "Example: aduan-admin webhooks test 2 --db data/aduan.sqlite")
        @OptionGroup var options: Options
        @Argument(help: "The subscription's id (see webhooks list).") var id: Int64
        @Option(help: "Seconds to wait for the server's attempt (0: just queue it).") var wait = 30

        func run() async throws {
            let store = try await StoreAccess.open(self.options)
            guard let subscription = try await store.subscription(id: self.id) else {
                throw WebhooksCommand.unknown(self.id)
            }
            guard subscription.enabled else {
                throw Failure("webhook #\(self.id) is disabled; enable it first (aduan-admin webhooks enable \(self.id))")
            }
            let messageID = "msg_" + Secrets.base64URL(Secrets.randomBytes(16))
            let now = Date()
            let event = WebhookEvent(
                id: messageID, type: "webhook.test", occurred_at: try CatalogLoader.bundled().calendar.iso8601(now), ticket: nil,
                status: nil,
                office: nil, category: nil, region: nil, data: ["message": "Uji coba webhook Aduan"])
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let body = String(decoding: try encoder.encode(event), as: UTF8.self)
            let deliveryID = try await store.enqueueTest(
                subscriptionID: self.id, messageID: messageID, body: body, by: StoreAccess.operatorName, now: now)
            print("queued test delivery \(deliveryID) (\(messageID)) to \(subscription.url)")
            guard self.wait > 0 else { return }
            let deadline = Date().addingTimeInterval(TimeInterval(self.wait))
            while Date() < deadline {
                try await Task.sleep(for: .milliseconds(250))
                guard let delivery = try await store.delivery(id: deliveryID), delivery.attempts > 0 || delivery.state != .pending else {
                    continue
                }
                if delivery.state == .delivered {
                    print("delivered: the receiver answered HTTP \(delivery.lastStatus.map(String.init) ?? "?")")
                    return
                }
                throw Failure(
                    "the attempt failed: \(delivery.lastError ?? "unknown") (see aduan-admin webhooks deliveries --webhook \(self.id))")
            }
            throw Failure("no attempt within \(self.wait) s: is aduan-server running on this database? (the delivery stays queued)")
        }
    }

    struct Deliveries: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List deliveries, newest first: of one webhook, of the reporters' messages, or all.",
            discussion: """
                Dead letters (every retry spent) are listed with --failed; send them again with webhooks retry.
                Examples:
                  aduan-admin webhooks deliveries --db data/aduan.sqlite --failed
                  aduan-admin webhooks deliveries --db data/aduan.sqlite --webhook 2 --limit 20
                  aduan-admin webhooks deliveries --db data/aduan.sqlite --messages
                """)
        @OptionGroup var options: Options
        @Option(help: "Only this subscription's deliveries.") var webhook: Int64?
        @Flag(help: "Only the messages to reporters.") var messages = false
        @Flag(help: "Only dead letters.") var failed = false
        @Option(help: "At most this many (1-1000).") var limit = 50
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            guard (1...1000).contains(self.limit) else { throw Failure("--limit must be 1-1000") }
            let store = try await StoreAccess.open(self.options)
            let deliveries = try await store.deliveries(
                subscriptionID: self.webhook, target: self.messages ? "messages" : nil, failedOnly: self.failed, limit: self.limit)
            let calendar = try CatalogLoader.bundled().calendar
            let time = { (date: Date?) in date.map { Output.time(calendar.iso8601($0)) } ?? "-" }
            if self.json {
                let objects: [[String: Any]] = deliveries.map {
                    [
                        "id": $0.id, "target": $0.target, "ticket": $0.ticket?.rawValue ?? NSNull(), "type": $0.type,
                        "message_id": $0.messageID,
                        "state": $0.state.rawValue, "attempts": $0.attempts, "last_status": $0.lastStatus ?? NSNull(),
                        "last_error": $0.lastError ?? NSNull(), "next_attempt_at": $0.nextAttemptAt.map(calendar.iso8601) ?? NSNull(),
                    ]
                }
                print(try Output.jsonLine(objects))
                return
            }
            guard !deliveries.isEmpty else { print(self.failed ? "no dead letters" : "no deliveries"); return }
            print(
                Output.table(
                    ["ID", "TARGET", "TICKET", "EVENT", "STATE", "TRIES", "LAST", "NEXT"],
                    deliveries.map {
                        [
                            String($0.id), $0.target, $0.ticket?.rawValue ?? "-", $0.type, $0.state.rawValue, String($0.attempts),
                            $0.lastError ?? $0.lastStatus.map { $0 == 0 ? "logged (no gateway)" : "HTTP \($0)" } ?? "-",
                            time($0.nextAttemptAt),
                        ]
                    }))
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send dead letters again, with a fresh retry schedule: one delivery, one webhook's, or all.",
            discussion: """
                Examples:
                  aduan-admin webhooks retry --db data/aduan.sqlite 1234
                  aduan-admin webhooks retry --db data/aduan.sqlite --webhook 2
                  aduan-admin webhooks retry --db data/aduan.sqlite --all
                """)
        @OptionGroup var options: Options
        @Argument(help: "A delivery's id (see webhooks deliveries).") var delivery: Int64?
        @Option(help: "Every dead letter of this subscription.") var webhook: Int64?
        @Flag(help: "Every dead letter.") var all = false

        func run() async throws {
            guard [self.delivery != nil, self.webhook != nil, self.all].filter({ $0 }).count == 1 else {
                throw Failure("give one of: a delivery id, --webhook ID, --all")
            }
            let store = try await StoreAccess.open(self.options)
            let count = try await store.retryDeliveries(
                id: self.delivery, subscriptionID: self.webhook, by: StoreAccess.operatorName, now: Date())
            if let delivery, count == 0 { throw Failure("no delivery \(delivery) to retry (already delivered, or unknown)") }
            print("queued \(count) deliver\(count == 1 ? "y" : "ies") again")
        }
    }
}
