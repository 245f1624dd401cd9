import AduanStore
import ArgumentParser
import Foundation

/// `aduan-admin db ...`: migrate and check the database file.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Migrate or check the database file.", subcommands: [Migrate.self, Check.self])

    struct Options: ParsableArguments {
        @Option(help: "SQLite database file.") var db = "./data/aduan.sqlite"
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply pending migrations (creating the file if needed).",
            discussion: "Example: aduan-admin db migrate --db /var/lib/aduan/aduan.sqlite")
        @OptionGroup var options: Options

        func run() async throws {
            do {
                let store = try Store.open(path: self.options.db, migrate: false)
                let applied = try store.migrate()
                print(applied.isEmpty ? "\(self.options.db): up to date" : "\(self.options.db): applied \(applied.joined(separator: ", "))")
            } catch let error as StoreError {
                throw Failure(error.description)
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the file's integrity and migration state.",
            discussion: "Example: aduan-admin db check --db /var/lib/aduan/aduan.sqlite")
        @OptionGroup var options: Options

        func run() async throws {
            guard FileManager.default.fileExists(atPath: self.options.db) else {
                throw Failure("no database at \(self.options.db) (create it with: aduan-admin db migrate --db \(self.options.db))")
            }
            do {
                let store = try Store.open(path: self.options.db, migrate: false)
                let problems = try store.check()
                let applied = try store.appliedMigrations()
                guard problems.isEmpty else {
                    throw Failure("\(self.options.db): \(problems.count) problem(s): \(problems.prefix(5).joined(separator: "; "))")
                }
                print("\(self.options.db): ok, \(try await store.complaintCount()) complaint(s), migrations: \(applied.joined(separator: ", "))")
            } catch let error as StoreError {
                throw Failure(error.description)
            }
        }
    }
}
