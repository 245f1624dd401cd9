import AduanCore
import AduanReport
import AduanStore
import ArgumentParser
import Foundation

extension ReportCommand {
    /// `aduan-admin report rakor`: the pack of strategic issues for the governor's rakor, desk by desk.
    struct Rakor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate the rakor pack (kept as a new version), or render a kept version.",
            discussion: """
                The strategic issues the complaints show, per desk (bidang) and kabupaten/kota: hotspots, persistent
                backlogs and cross-level issues, ranked by a printed score, with draft points of agreement and maps.
                The default period is the last full quarter; months are inclusive.
                Examples:
                  aduan-admin report rakor --db data/aduan.sqlite --quarter 2026Q3 --format html --out rakor-2026Q3.html
                  aduan-admin report rakor --from 2026-07 --to 2026-09 --desk pu --kabkota 18.71 --format md
                """)
        @OptionGroup var database: DatabaseCommand.Options
        @Option(help: "A quarter, YYYYQn (default: the last full quarter).") var quarter: String?
        @Option(help: "The first month, YYYY-MM (with --to).") var from: String?
        @Option(help: "The last month, YYYY-MM, inclusive (with --from).") var to: String?
        @Option(help: "Limit the pack to one desk (its code, e.g. pu).") var desk: String?
        @Option(help: "Limit the pack to one kabupaten/kota (its code, e.g. 18.71).") var kabkota: String?
        @Option(help: "Limit the pack to one OPD's complaints (default: the whole province).") var opd: String?
        @Option(help: "html, md, csv or json.") var format: String = "html"
        @Option(help: "Write to this file (default: standard output).") var out: String?
        @Option(help: "Render this kept version instead of generating a new one.") var version: Int?
        @Option(help: "Catalog directory (default: the bundled Lampung catalog).") var catalog: String?

        func run() async throws {
            let format = try ReportCommand.format(self.format)
            if let out = self.out { try ReportCommand.Monthly.checkWritable(out) }
            let base = try CatalogLoader.load(directoryOrBundled: self.catalog)
            let store = try await StoreAccess.open(self.database, memoryMapped: false)
            let catalog = try await store.catalogInForce(base)
            let now = Date()
            let period: RakorPeriod
            do {
                period = try RakorPeriod.resolve(
                    quarter: self.quarter, from: self.from, to: self.to, today: catalog.calendar.local(now).date)
            } catch let error as RakorError {
                throw Failure(error.description)
            }
            let packs = RakorPacks(catalog: catalog, store: store)
            let pack: RakorPack
            do {
                if let version = self.version {
                    guard
                        let kept = try await packs.kept(
                            period: period, opd: self.opd, desk: self.desk, kabupatenKota: self.kabkota, version: version)
                    else {
                        throw Failure("no version \(version) of the \(period) rakor pack for this scope (see aduan-admin report versions)")
                    }
                    pack = kept
                } else {
                    pack = try await packs.generate(
                        period: period, opd: self.opd, desk: self.desk, kabupatenKota: self.kabkota, now: now,
                        generatedBy: StoreAccess.operatorName)
                }
            } catch let error as RakorError {
                throw Failure(error.description)
            } catch let error as ReportError {
                throw Failure(error.description)
            } catch let error as DecodingError {
                throw Failure("version \(self.version ?? 0) of the \(period) pack cannot be read by this aduan-admin (\(error))")
            }
            try ReportCommand.write(try format.render(pack, catalog: catalog), to: self.out)
            guard let out = self.out else { return }
            let kept = self.version == nil ? "kept as version \(pack.version)" : "version \(pack.version)"
            let issues = pack.desks.reduce(0) { $0 + $1.issues.count }
            print("rakor pack \(period) (\(kept)): \(issues) issue(s) in \(pack.desks.count) desk(s), written to \(out)")
        }
    }
}
