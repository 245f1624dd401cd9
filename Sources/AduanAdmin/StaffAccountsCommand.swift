import AduanCore
import AduanStore
import ArgumentParser
import Foundation

/// `aduan-admin staff ...`: staff accounts on the local database file (an operator's job, not an API call).
struct StaffAccountsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff", abstract: "Add, list and revoke staff accounts in the database file.",
        subcommands: [Add.self, List.self, Revoke.self, Log.self, IdentityReads.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a staff member and print their token (shown once; only its hash is stored).",
            discussion: """
                Roles: admin, supervisor (province-wide); triage, officer (one OPD, --opd required).
                Examples:
                  aduan-admin staff add --db data/aduan.sqlite \\
                    --name "Rina (PU Kota)" --role triage --opd PUPR-1871
                  aduan-admin staff add --db data/aduan.sqlite --name "Biro" --role supervisor
                """)
        @OptionGroup var database: DatabaseCommand.Options
        @Option(help: "The member's name as the audit log shows it.") var name: String
        @Option(help: "admin, supervisor, triage or officer.") var role: String
        @Option(help: "OPD code for triage and officer (see the catalog's opds).") var opd: String?
        @Option(help: "Catalog directory (default: the bundled Lampung catalog).") var catalog: String?
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            guard let role = StaffRole(rawValue: self.role) else {
                throw Failure("unknown role '\(self.role)' (roles: \(StaffRole.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let catalog = try CatalogLoader.load(directoryOrBundled: self.catalog)
            let problems = StaffRules.problems(name: self.name, role: role, opd: self.opd, catalog: catalog)
            guard problems.isEmpty else { throw Failure(problems.joined(separator: "; ")) }
            let token = "aduan_" + Secrets.base64URL(Secrets.randomBytes(32))
            let store = try await StoreAccess.open(self.database)
            let member = try await store.addStaff(
                name: self.name.trimmingCharacters(in: .whitespacesAndNewlines), role: role, opd: self.opd,
                tokenHash: Secrets.sha256Hex(token), now: Date(), operatorName: StoreAccess.operatorName)
            if self.json {
                let object: [String: Any] = [
                    "id": member.id, "name": member.name, "role": role.rawValue, "opd": self.opd ?? NSNull(), "token": token,
                ]
                print(try Output.jsonLine(object))
                return
            }
            print("added staff #\(member.id) \(member.name) (\(role.rawValue)\(self.opd.map { ", \($0)" } ?? ""))")
            print("token (shown once, give it to the member; they run aduan-admin login):")
            print(token)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List staff members, revoked ones included.", discussion: "Example: aduan-admin staff list --db data/aduan.sqlite")
        @OptionGroup var database: DatabaseCommand.Options
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let members = try await StoreAccess.open(self.database).staffMembers()
            let calendar = try CatalogLoader.bundled().calendar
            if self.json {
                let objects: [[String: Any]] = members.map {
                    [
                        "id": $0.id, "name": $0.name, "role": $0.role.rawValue, "opd": $0.opd ?? NSNull(),
                        "created_at": calendar.iso8601($0.createdAt), "revoked_at": $0.revokedAt.map(calendar.iso8601) ?? NSNull(),
                    ]
                }
                print(try Output.jsonLine(objects))
                return
            }
            guard !members.isEmpty else {
                print("no staff yet (add one with: aduan-admin staff add --db \(self.database.db) --name N --role R [--opd CODE])")
                return
            }
            print(
                Output.table(
                    ["ID", "NAME", "ROLE", "OPD", "ADDED", "STATUS"],
                    members.map {
                        [
                            String($0.id), $0.name, $0.role.rawValue, $0.opd ?? "-", Output.time(calendar.iso8601($0.createdAt)),
                            $0.revokedAt.map { "revoked " + Output.time(calendar.iso8601($0)) } ?? "active",
                        ]
                    }))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a member's token at once.", discussion: "Example: aduan-admin staff revoke 3 --db data/aduan.sqlite")
        @OptionGroup var database: DatabaseCommand.Options
        @Argument(help: "The member's id (see staff list).") var id: Int64

        func run() async throws {
            let now = Date()
            guard
                let member = try await StoreAccess.open(self.database).revokeStaff(
                    id: self.id, now: now, operatorName: StoreAccess.operatorName)
            else {
                throw Failure("no staff member #\(self.id) (see aduan-admin staff list)")
            }
            if let revokedAt = member.revokedAt, now.timeIntervalSince(revokedAt) > 1 {
                let calendar = try CatalogLoader.bundled().calendar
                print("staff #\(member.id) \(member.name) was already revoked on \(Output.time(calendar.iso8601(revokedAt)))")
                return
            }
            print("revoked staff #\(member.id) \(member.name); their token no longer works")
        }
    }

    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show who added and revoked staff accounts, and when.",
            discussion: "Example: aduan-admin staff log --db data/aduan.sqlite")
        @OptionGroup var database: DatabaseCommand.Options

        func run() async throws {
            let store = try await StoreAccess.open(self.database)
            let names = Dictionary(uniqueKeysWithValues: try await store.staffMembers().map { ($0.id, $0.name) })
            let calendar = try CatalogLoader.bundled().calendar
            let rows = try await store.staffEvents().map {
                [Output.time(calendar.iso8601($0.at)), $0.kind, "#\($0.staffID) \(names[$0.staffID] ?? "?")", $0.operatorName]
            }
            print(rows.isEmpty ? "no staff accounts yet" : Output.table(["AT", "EVENT", "MEMBER", "BY"], rows))
        }
    }

    struct IdentityReads: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "identity-reads",
            abstract: "Show which staff were shown a complaint's reporter (name or phone), and when.",
            discussion: "Example: aduan-admin staff identity-reads 2612-00042 --db data/aduan.sqlite")
        @OptionGroup var database: DatabaseCommand.Options
        @Argument(help: "The complaint's ticket.") var ticket: String

        func run() async throws {
            let store = try await StoreAccess.open(self.database)
            guard Ticket.isWellFormed(self.ticket), let complaint = try await store.complaint(ticket: Ticket(self.ticket)) else {
                throw Failure("no complaint \(self.ticket)")
            }
            let members = Dictionary(uniqueKeysWithValues: try await store.staffMembers().map { ($0.id, $0) })
            let calendar = try CatalogLoader.bundled().calendar
            let rows = try await store.identityReads(complaintID: complaint.id).map { read in
                [
                    Output.time(calendar.iso8601(read.at)), "#\(read.staffID) \(members[read.staffID]?.name ?? "?")",
                    members[read.staffID].map { $0.role.rawValue + ($0.opd.map { " " + $0 } ?? "") } ?? "-",
                ]
            }
            print(rows.isEmpty ? "nobody was shown the reporter of \(self.ticket)" : Output.table(["AT", "MEMBER", "ROLE"], rows))
        }
    }
}
