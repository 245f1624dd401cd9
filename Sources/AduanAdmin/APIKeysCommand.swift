import AduanCore
import AduanStore
import ArgumentParser
import Foundation

/// `aduan-admin apikeys ...`: the keys with which civic apps file through Open311, on the database file.
struct APIKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikeys", abstract: "Add, list and revoke the Open311 API keys of civic apps.",
        subcommands: [Add.self, List.self, Revoke.self, Log.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a key for an app and print it (shown once; only its hash is stored).",
            discussion: """
                The app sends it as api_key with POST /open311/v2/requests; what it files is attributed to the key in the
                audit log.
                Example: aduan-admin apikeys add --db data/aduan.sqlite --name "Aplikasi Kota"
                """)
        @OptionGroup var database: DatabaseCommand.Options
        @Option(help: "The app's name, as the audit log and apikeys list show it.") var name: String
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let name = self.name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...100).contains(name.count), !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw Failure("--name must be 1 to 100 characters, without control characters")
            }
            let key = "o311_" + Secrets.base64URL(Secrets.randomBytes(32))
            let stored = try await StoreAccess.open(self.database).addAPIKey(
                name: name, keyHash: Secrets.sha256Hex(key), now: Date(), operatorName: StoreAccess.operatorName)
            if self.json {
                print(try Output.jsonLine(["id": stored.id, "name": stored.name, "api_key": key] as [String: Any]))
                return
            }
            print("added API key #\(stored.id) for \(stored.name)")
            print("key (shown once, give it to the app's developers):")
            print(key)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the keys, revoked ones included, with the requests filed with each.",
            discussion: "Example: aduan-admin apikeys list --db data/aduan.sqlite")
        @OptionGroup var database: DatabaseCommand.Options
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let keys = try await StoreAccess.open(self.database).apiKeys()
            let calendar = try CatalogLoader.bundled().calendar
            if self.json {
                let objects: [[String: Any]] = keys.map {
                    [
                        "id": $0.id, "name": $0.name, "created_at": calendar.iso8601($0.createdAt),
                        "revoked_at": $0.revokedAt.map(calendar.iso8601) ?? NSNull(), "requests": $0.requests,
                        "last_request_at": $0.lastRequestAt.map(calendar.iso8601) ?? NSNull(),
                    ]
                }
                print(try Output.jsonLine(objects))
                return
            }
            guard !keys.isEmpty else {
                print("no API keys yet (add one with: aduan-admin apikeys add --db \(self.database.db) --name N)")
                return
            }
            print(
                Output.table(
                    ["ID", "NAME", "ADDED", "REQUESTS", "LAST REQUEST", "STATUS"],
                    keys.map {
                        [
                            String($0.id), $0.name, Output.time(calendar.iso8601($0.createdAt)), String($0.requests),
                            $0.lastRequestAt.map { Output.time(calendar.iso8601($0)) } ?? "-",
                            $0.revokedAt.map { "revoked " + Output.time(calendar.iso8601($0)) } ?? "active",
                        ]
                    }))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a key at once: the app can no longer file.",
            discussion: "Example: aduan-admin apikeys revoke 2 --db data/aduan.sqlite")
        @OptionGroup var database: DatabaseCommand.Options
        @Argument(help: "The key's id (see apikeys list).") var id: Int64

        func run() async throws {
            let now = Date()
            guard
                let key = try await StoreAccess.open(self.database).revokeAPIKey(
                    id: self.id, now: now, operatorName: StoreAccess.operatorName)
            else {
                throw Failure("no API key #\(self.id) (see aduan-admin apikeys list)")
            }
            if let revokedAt = key.revokedAt, now.timeIntervalSince(revokedAt) > 1 {
                let calendar = try CatalogLoader.bundled().calendar
                print("API key #\(key.id) \(key.name) was already revoked on \(Output.time(calendar.iso8601(revokedAt)))")
                return
            }
            print("revoked API key #\(key.id) \(key.name); it no longer files requests")
        }
    }

    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show who added and revoked a key, and when (append-only).",
            discussion: "Example: aduan-admin apikeys log 2 --db data/aduan.sqlite")
        @OptionGroup var database: DatabaseCommand.Options
        @Argument(help: "The key's id (see apikeys list).") var id: Int64

        func run() async throws {
            let rows = try await StoreAccess.open(self.database).apiKeyEvents(id: self.id)
            let calendar = try CatalogLoader.bundled().calendar
            guard !rows.isEmpty else { throw Failure("no API key #\(self.id) (see aduan-admin apikeys list)") }
            print(Output.table(["AT", "EVENT", "BY"], rows.map { [Output.time(calendar.iso8601($0.at)), $0.kind, $0.operatorName] }))
        }
    }
}
