import AduanCore
import ArgumentParser
import Foundation

/// `aduan-admin catalog check`: the same validation the server runs at start-up.
struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog", abstract: "Validate the catalog.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a catalog directory (or the bundled one) as the server would.",
            discussion: "Example: aduan-admin catalog check --catalog config/catalog/lampung")
        @Option(help: "Catalog directory (default: the bundled Lampung catalog).") var catalog: String?

        func run() async throws {
            let loaded: Catalog
            do {
                loaded = try CatalogLoader.load(directoryOrBundled: self.catalog)
            } catch let error as CatalogValidationFailed {
                // Every problem on its own line (for the editor), then the one-line verdict on stderr.
                for problem in error.errors { print(problem) }
                throw Failure("catalog invalid: \(error.errors.count) problem(s)")
            }
            let days = loaded.holidays
            print(
                """
                \(loaded.name): ok
                  regions: \(loaded.regions.count), boundaries: \(loaded.boundaries.count)
                  OPDs: \(loaded.opds.count), categories: \(loaded.categories.count), rules: \(loaded.rules.count)
                  holidays and cuti bersama: \(days.count) (\(days.first?.date.description ?? "-") to \(days.last?.date.description ?? "-"))
                  rakor desks: \(loaded.rakor.desks.count), RPJMD themes: \(loaded.rakor.themes.count), shared authorities: \(loaded.rakor.sharedAuthorities.count)
                  population: \(loaded.rakor.population.values.reduce(0, +)) in \(loaded.rakor.population.count) kabupaten/kota (\(loaded.rakor.populationSource))
                """)
            if let warning = loaded.calendarCoverageWarning(now: Date()) { print("warning: \(warning)") }
        }
    }
}
