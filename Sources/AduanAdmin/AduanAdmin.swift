import ArgumentParser

/// `aduan-admin`: operator commands on the local database and catalog (staff commands come with the staff API).
@main
struct AduanAdmin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aduan-admin",
        abstract: "Operate Aduan: database, catalog and routing.",
        subcommands: [DatabaseCommand.self, CatalogCommand.self, RouteCommand.self])
}

/// A failure reported as one line on stderr with a non-zero exit.
struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { self.description = message }
}
