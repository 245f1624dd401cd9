import AduanCore
import AduanStore
import AduanWire
import ArgumentParser
import Foundation

/// `aduan-admin webhooks ...`: government systems subscribed to complaint events, on the database file. A running
/// server picks changes up within a second or two.
struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks", abstract: "Subscribe government systems to complaint events (signed webhooks).",
        discussion: """
            Deliveries follow Standard Webhooks 1.0 (webhook-id, webhook-timestamp, webhook-signature). The signing
            secret is printed once; the database keeps it sealed with the server's key file.
              aduan-admin webhooks add --db data/aduan.sqlite --url https://pu.example.go.id/aduan --opd DPUPR-LPG
              aduan-admin webhooks list --db data/aduan.sqlite
            """,
        subcommands: [Add.self, List.self, Disable.self, Enable.self, RotateSecret.self, Test.self, Deliveries.self, Retry.self, Log.self])

    static func unknown(_ id: Int64) -> Failure { Failure("no webhook #\(id) (see aduan-admin webhooks list)") }

    /// The database and the key file that seals signing keys (the server's `secret_key_file`).
    struct Options: ParsableArguments, StoreLocation {
        @Option(help: "SQLite database file.") var db = "./data/aduan.sqlite"
        @Option(name: .customLong("database-url"), help: "A PostgreSQL database instead of the file (default: ADUAN_DATABASE_URL).")
        var databaseURL: String?
        @Option(name: .customLong("key-file"), help: "The server's key file (default: aduan.key beside the database).")
        var keyFile: String?

        func key() throws -> SealingKey {
            let path = self.keyFile ?? URL(fileURLWithPath: self.db).deletingLastPathComponent().appendingPathComponent("aduan.key").path
            do {
                return try SealingKey.load(path: path, create: true)
            } catch {
                throw Failure("\(error)")
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Subscribe a URL to one office's complaints or the whole province's; prints the signing secret once.",
            discussion: """
                An office's subscription receives its own complaints, those forwarded to it and escalations to it.
                Event types (default: all): \(Announcement.Kind.allCases.map { $0.rawValue.replacingOccurrences(of: "complaint.", with: "") }.joined(separator: ", ")).
                Addresses that resolve to loopback, private or link-local networks are refused unless
                ADUAN_WEBHOOK_ALLOW_PRIVATE=true (the server's webhook_allow_private).
                Example: aduan-admin webhooks add --db data/aduan.sqlite --url https://cc.bandarlampungkota.go.id/hook --province
                """)
        @OptionGroup var options: Options
        @Option(help: "The receiver's http(s) URL.") var url: String
        @Option(help: "Only this office's complaints (see the catalog's opds).") var opd: String?
        @Flag(help: "Every complaint in the province.") var province = false
        @Option(help: "Comma-separated event types (filed, resolved, ...).") var events: String?
        @Option(help: "Catalog directory (default: the bundled Lampung catalog).") var catalog: String?
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            guard (self.opd != nil) != self.province else { throw Failure("give either --opd CODE or --province") }
            let catalog = try CatalogLoader.load(directoryOrBundled: self.catalog)
            if let opd, catalog.opds[opd] == nil { throw Failure("unknown OPD '\(opd)' (see the catalog's opds)") }
            let events = try self.events.map(Self.eventTypes)
            let allowPrivate = Bool(ProcessInfo.processInfo.environment["ADUAN_WEBHOOK_ALLOW_PRIVATE"]?.lowercased() ?? "") ?? false
            do {
                try ReceiverAddress.check(self.url, allowPrivate: allowPrivate)
            } catch {
                throw Failure("refused: \(error)")
            }
            let key = try self.options.key()
            let secret = WebhookSecret.generate()
            let store = try await StoreAccess.open(self.options)
            let subscription = try await store.addSubscription(
                url: self.url, opd: self.opd, events: events, sealedSecret: key.seal(secret.bytes, context: WebhookSecret.sealingContext),
                by: StoreAccess.operatorName, now: Date())
            if self.json {
                let object: [String: Any] = [
                    "id": subscription.id, "url": subscription.url, "opd": subscription.opd ?? NSNull(), "secret": secret.encoded,
                ]
                print(try Output.jsonLine(object))
                return
            }
            print(
                "added webhook #\(subscription.id) \(subscription.url) (\(subscription.opd ?? "province")\(events.map { ", \($0.count) event types" } ?? ""))"
            )
            print("signing secret (shown once; give it to the receiver's operator):")
            print(secret.encoded)
        }

        /// `filed,resolved` or full names; unknown ones are refused.
        static func eventTypes(_ list: String) throws -> [String] {
            let known = Set(Announcement.Kind.allCases.map(\.rawValue))
            let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                .map { $0.hasPrefix("complaint.") ? $0 : "complaint." + $0 }
            guard !names.isEmpty else { throw Failure("--events names no event type") }
            if let unknown = names.first(where: { !known.contains($0) }) {
                throw Failure("unknown event type '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))")
            }
            return Array(Set(names)).sorted()
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List subscriptions with their state (disabled ones say why).",
            discussion: "Example: aduan-admin webhooks list --db data/aduan.sqlite")
        @OptionGroup var options: Options
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let subscriptions = try await StoreAccess.open(self.options).subscriptions()
            let calendar = try CatalogLoader.bundled().calendar
            if self.json {
                let objects: [[String: Any]] = subscriptions.map {
                    [
                        "id": $0.id, "url": $0.url, "opd": $0.opd ?? NSNull(), "events": $0.events ?? NSNull(), "enabled": $0.enabled,
                        "disabled_reason": $0.disabledReason ?? NSNull(), "consecutive_failures": $0.consecutiveFailures,
                        "last_success_at": $0.lastSuccessAt.map(calendar.iso8601) ?? NSNull(),
                    ]
                }
                print(try Output.jsonLine(objects))
                return
            }
            guard !subscriptions.isEmpty else {
                print("no webhooks yet (add one with: aduan-admin webhooks add --url URL --opd CODE)"); return
            }
            print(
                Output.table(
                    ["ID", "URL", "SCOPE", "EVENTS", "STATE", "FAILURES", "LAST SUCCESS"],
                    subscriptions.map {
                        [
                            String($0.id), $0.url, $0.opd ?? "province", $0.events.map { "\($0.count)" } ?? "all",
                            $0.enabled ? "enabled" : "disabled: \($0.disabledReason ?? "by an operator")", String($0.consecutiveFailures),
                            $0.lastSuccessAt.map { Output.time(calendar.iso8601($0)) } ?? "-",
                        ]
                    }))
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop deliveries to a subscription (they wait, and resume on enable).",
            discussion: "Example: aduan-admin webhooks disable 2 --db data/aduan.sqlite --reason \"sistem diganti\"")
        @OptionGroup var options: Options
        @Argument(help: "The subscription's id (see webhooks list).") var id: Int64
        @Option(help: "Why, for the log.") var reason = "disabled by an operator"

        func run() async throws {
            let store = try await StoreAccess.open(self.options)
            guard
                try await store.setSubscription(id: self.id, enabled: false, reason: self.reason, by: StoreAccess.operatorName, now: Date())
                    != nil
            else { throw WebhooksCommand.unknown(self.id) }
            print("disabled webhook #\(self.id)")
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resume deliveries to a disabled subscription, from where they stopped.",
            discussion: "Example: aduan-admin webhooks enable 2 --db data/aduan.sqlite")
        @OptionGroup var options: Options
        @Argument(help: "The subscription's id (see webhooks list).") var id: Int64

        func run() async throws {
            let store = try await StoreAccess.open(self.options)
            guard try await store.setSubscription(id: self.id, enabled: true, reason: nil, by: StoreAccess.operatorName, now: Date()) != nil
            else { throw WebhooksCommand.unknown(self.id) }
            print("enabled webhook #\(self.id)")
        }
    }

    struct RotateSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-secret",
            abstract: "Give a subscription a new signing secret; the old one keeps signing beside it for the grace period.",
            discussion: "Example: aduan-admin webhooks rotate-secret 2 --db data/aduan.sqlite --grace-hours 48")
        @OptionGroup var options: Options
        @Argument(help: "The subscription's id (see webhooks list).") var id: Int64
        @Option(help: "Hours during which both secrets sign (0-720).") var graceHours = 24.0

        func run() async throws {
            guard (0...720).contains(self.graceHours) else { throw Failure("--grace-hours must be 0-720") }
            let key = try self.options.key()
            let secret = WebhookSecret.generate()
            let now = Date()
            let store = try await StoreAccess.open(self.options)
            guard
                try await store.rotateSecret(
                    id: self.id, sealedSecret: key.seal(secret.bytes, context: WebhookSecret.sealingContext),
                    graceUntil: now.addingTimeInterval(self.graceHours * 3600), by: StoreAccess.operatorName, now: now)
            else { throw WebhooksCommand.unknown(self.id) }
            print("new signing secret for webhook #\(self.id) (shown once; the old one signs too for \(self.graceHours) h):")
            print(secret.encoded)
        }
    }

    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what was done to a subscription, by whom and when (append-only).",
            discussion: "Example: aduan-admin webhooks log 2 --db data/aduan.sqlite")
        @OptionGroup var options: Options
        @Argument(help: "The subscription's id (see webhooks list).") var id: Int64

        func run() async throws {
            let store = try await StoreAccess.open(self.options)
            guard try await store.subscription(id: self.id) != nil else { throw WebhooksCommand.unknown(self.id) }
            let calendar = try CatalogLoader.bundled().calendar
            let rows = try await store.webhookLog(subscriptionID: self.id).map {
                [Output.time(calendar.iso8601($0.at)), $0.action, $0.by, $0.detail ?? ""]
            }
            print(Output.table(["AT", "ACTION", "BY", "DETAIL"], rows))
        }
    }
}
