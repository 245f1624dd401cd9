import ArgumentParser
import Foundation

/// `aduan-admin`: staff commands over the server's API (with a staff token) and operator commands on the local
/// database file and catalog.
@main
struct AduanAdmin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aduan-admin",
        abstract: "Work the complaint queue (staff) and operate Aduan (database, staff accounts, catalog, routing).",
        discussion: """
            Staff commands talk to the server: log in once, then work the queue.
              aduan-admin login --server http://127.0.0.1:8080
              aduan-admin queue
              aduan-admin accept 2611-00042
            Operator commands work on the database file: db, staff, catalog, calendar, route, report, webhooks, apikeys, demo.
            """,
        groupedSubcommands: [
            CommandGroup(
                name: "Staff (over the API)",
                subcommands: [
                    LoginCommand.self, QueueCommand.self, ShowCommand.self, AcceptCommand.self, ForwardCommand.self,
                    RejectCommand.self, AskInfoCommand.self, ResolveCommand.self, CommentCommand.self, MergeCommand.self,
                    ReopenCommand.self, ValidateCommand.self, RejectResolutionCommand.self, AuditCommand.self,
                ]),
            CommandGroup(
                name: "Operator (on the database file)",
                subcommands: [
                    DatabaseCommand.self, StaffAccountsCommand.self, CatalogCommand.self, CalendarCommand.self, RouteCommand.self,
                    ReportCommand.self, WebhooksCommand.self, APIKeysCommand.self,
                    DemoCommand.self,
                ]),
        ])
}

extension AduanAdmin {
    /// Like ArgumentParser's own main, but a usage error is one line (with a pointer to --help), as every other
    /// failure is; help itself is printed whole.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                print(message)
                Foundation.exit(0)
            }
            let first = message.split(separator: "\n").first.map(String.init) ?? "failed"
            let hint = error is Failure || first.contains("--help") ? "" : " (see --help)"
            FileHandle.standardError.write(Data((first + hint + "\n").utf8))
            Foundation.exit(code.rawValue)
        }
    }
}

/// A failure reported as one line on stderr with a non-zero exit.
struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { self.description = message }
}
