import AduanCore
import AduanReport
import AduanStore
import ArgumentParser
import Foundation

/// `aduan-admin report ...`: the monthly SLA report from the local database file (for an operator or a timer).
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "The monthly SLA report for the rakor.",
        subcommands: [Monthly.self, Rakor.self, Versions.self, Fetch.self])

    struct Scope: ParsableArguments {
        @Option(help: "The month, YYYY-MM (default: the previous month).") var month: String?
        @Option(help: "Limit the report to one OPD's complaints (default: the whole province).") var opd: String?

        func resolvedMonth(now: Date, calendar: WorkingCalendar) -> String {
            self.month ?? ReportMonth(containing: calendar.local(now).date).adding(-1).description
        }
    }

    static func format(_ raw: String) throws -> ReportFormat {
        guard let format = ReportFormat(rawValue: raw) else {
            throw Failure("unknown format '\(raw)' (formats: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return format
    }

    struct Monthly: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate the monthly SLA report (kept as a new version), or render a kept version.",
            discussion: """
                Every generation is kept unchanged in the database as the next version of its month, so the
                figures shown at a rakor can be shown again exactly: pass --version to render a kept one.
                Examples:
                  aduan-admin report monthly --db data/aduan.sqlite --month 2026-10 \\
                    --format html --out rakor-2026-10.html
                  aduan-admin report monthly --month 2026-10 --version 1 --format csv
                """)
        @OptionGroup var database: DatabaseCommand.Options
        @OptionGroup var scope: Scope
        @Option(help: "html, md, csv or json.") var format: String = "html"
        @Option(help: "Write to this file (default: standard output).") var out: String?
        @Option(help: "Render this kept version instead of generating a new one.") var version: Int?
        @Option(help: "Compliance target in percent, the charts' line.") var target: Double = MonthlyReport.defaultComplianceTarget * 100
        @Option(help: "Catalog directory (default: the bundled Lampung catalog).") var catalog: String?

        func run() async throws {
            let format = try ReportCommand.format(self.format)
            guard (1...100).contains(self.target) else { throw Failure("--target must be a percentage from 1 to 100") }
            if self.version != nil && self.target != MonthlyReport.defaultComplianceTarget * 100 {
                throw Failure("--target applies when generating; a kept --version shows the target it was made with")
            }
            // Checked before anything is kept: a typo must not leave an extra version behind.
            if let out = self.out { try Self.checkWritable(out) }
            let base = try CatalogLoader.load(directoryOrBundled: self.catalog)
            // One read over much of the file: not mapped, so that it does not all count as this process's memory.
            let store = try await StoreAccess.open(self.database, memoryMapped: false)
            let catalog = try await store.catalogInForce(base)
            let now = Date()
            let month = self.scope.resolvedMonth(now: now, calendar: catalog.calendar)
            guard ReportMonth(month) != nil else { throw Failure(ReportError.invalidMonth(month).description) }
            let scopeCode = self.scope.opd ?? ReportScope.provinceCode
            let reports = MonthlyReports(catalog: catalog, store: store, complianceTarget: self.target / 100)
            let report: MonthlyReport
            do {
                if let version = self.version {
                    guard let kept = try await reports.kept(month: month, opd: self.scope.opd, version: version) else {
                        throw Failure("no version \(version) of the \(month) report for \(scopeCode) (see aduan-admin report versions)")
                    }
                    report = kept
                } else {
                    report = try await reports.generate(month: month, opd: self.scope.opd, now: now, generatedBy: StoreAccess.operatorName)
                }
            } catch let error as ReportError {
                throw Failure(error.description)
            } catch let error as DecodingError {
                throw Failure("version \(self.version ?? 0) of the \(month) report cannot be read by this aduan-admin (\(error))")
            }
            try ReportCommand.write(try format.render(report, catalog: catalog), to: self.out)
            guard let out = self.out else { return }
            let kept = self.version == nil ? "kept as version \(report.version)" : "version \(report.version)"
            print("report \(month) \(scopeCode) (\(kept)) written to \(out)")
        }
    }

}

extension ReportCommand {
    /// Writes a rendered report to `out` whole (atomically), or to standard output when nil.
    static func write(_ text: String, to out: String?) throws {
        guard let out else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw Failure("cannot write \(out): \(error.localizedDescription)")
        }
    }
}

extension ReportCommand.Monthly {
    /// Refuses an output path that cannot be written: a missing directory, or a directory itself.
    static func checkWritable(_ out: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), isDirectory.boolValue {
            throw Failure("cannot write \(out): it is a directory; give a file name such as \(out)/laporan.html")
        }
        let directory = URL(fileURLWithPath: out).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure("cannot write \(out): no directory \(directory)")
        }
    }
}

extension ReportCommand {
    struct Versions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the kept versions of a month's report.",
            discussion: "Example: aduan-admin report versions --db data/aduan.sqlite --month 2026-10")
        @OptionGroup var database: DatabaseCommand.Options
        @OptionGroup var scope: Scope

        func run() async throws {
            let calendar = try CatalogLoader.bundled().calendar
            let month = self.scope.resolvedMonth(now: Date(), calendar: calendar)
            let scopeCode = self.scope.opd ?? ReportScope.provinceCode
            let store = try await StoreAccess.open(self.database)
            let versions = try await store.reportVersions(period: month, scope: scopeCode)
            guard !versions.isEmpty else {
                print("no \(month) report kept for \(scopeCode) yet (generate one with: aduan-admin report monthly --month \(month))")
                return
            }
            // A version made before the month was over is provisional (SEMENTARA).
            print(
                Output.table(
                    ["VERSION", "GENERATED", "FIGURES", "BY"],
                    versions.map {
                        [
                            String($0.version), Output.time(calendar.iso8601($0.generatedAt)) + " WIB",
                            $0.provisional ? "sementara" : "final",
                            $0.generatedBy,
                        ]
                    }))
        }
    }
}

extension ReportCommand {
    /// The report over the API, for staff who work without the database file: what `GET /v1/reports/monthly` serves
    /// to the logged-in member (their own office's report, or the province's for supervisors and admins).
    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download the monthly SLA report from the server (staff; after aduan-admin login).",
            discussion: """
                Serves the latest kept version of the month (generated the first time it is asked for);
                --new generates a new version, --version N gets a kept one.
                Examples:
                  aduan-admin report fetch --month 2026-10 --format html --out rakor-2026-10.html
                  aduan-admin report fetch --month 2026-10 --format csv --new
                """)
        @OptionGroup var scope: Scope
        @Option(help: "html, md, csv or json.") var format: String = "html"
        @Option(help: "Write to this file (default: standard output).") var out: String?
        @Option(help: "A kept version instead of the latest.") var version: Int?
        @Flag(help: "Generate a new version now.") var new = false

        func run() async throws {
            _ = try ReportCommand.format(self.format)
            guard !(self.new && self.version != nil) else { throw Failure("--new makes a version; --version reads a kept one") }
            if let out = self.out { try ReportCommand.Monthly.checkWritable(out) }
            var query = [("format", self.format)]
            if let month = self.scope.month { query.append(("month", month)) }
            if let opd = self.scope.opd { query.append(("opd", opd)) }
            if let version = self.version { query.append(("version", String(version))) }
            let api = StaffAPI(credentials: try Credentials.current())
            let answer = try await api.send(post: self.new, "/v1/reports/monthly", query: query, body: nil)
            guard let out = self.out else {
                FileHandle.standardOutput.write(answer)
                return
            }
            do {
                try answer.write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                throw Failure("cannot write \(out): \(error.localizedDescription)")
            }
            print("report written to \(out)")
        }
    }
}
