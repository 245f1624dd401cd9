import AduanCore
import AduanStore
import ArgumentParser
import Foundation

/// `aduan-admin demo seed`: a realistic history in a new database, for trying the service and for benchmarks.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Generate demo data.", subcommands: [Seed.self])

    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fill a new database with complaints and their histories over the months up to now.",
            discussion: """
                Every complaint is filed, routed and worked through the real rules (intake, routing, deadlines,
                the workflow and the SLA monitor) at past instants. Most have a location in their village's
                kecamatan, half of those around a few recurring problem spots; about a third are public, and
                public ones have some support (+1). Refuses a database that already has complaints: demo data
                must never mix with real ones.
                Example:
                  aduan-admin demo seed --db /tmp/demo.sqlite --complaints 20000 --months 6
                """)
        @OptionGroup var database: DatabaseCommand.Options
        @Option(help: "How many complaints to file.") var complaints: Int
        @Option(help: "Over how many months up to now.") var months: Int
        @Option(help: "Random seed: the same seed and --now give the same data.") var seed: UInt64 = 1
        @Option(help: "The present of the history (ISO 8601; default: now).") var now: String?
        @Option(help: "Catalog directory (default: the bundled Lampung catalog).") var catalog: String?

        func run() async throws {
            guard (1...10_000_000).contains(self.complaints) else { throw Failure("--complaints must be 1 to 10000000") }
            guard (1...60).contains(self.months) else { throw Failure("--months must be 1 to 60") }
            let now: Date
            if let text = self.now {
                guard let parsed = ISO8601DateFormatter().date(from: text) else {
                    throw Failure("--now must be an ISO 8601 instant such as 2026-11-01T00:00:00+07:00")
                }
                now = parsed
            } else {
                now = Date()
            }
            let base = try CatalogLoader.load(directoryOrBundled: self.catalog)
            let store: Store
            do {
                // Demo data: a crash mid-seed only loses the demo, so commits need not reach the platter.
                store = try Store.open(path: self.database.db, durability: .normal)
            } catch let error as StoreError {
                throw Failure(error.description)
            }
            let catalog = try await store.catalogInForce(base)
            guard try await store.complaintCount() == 0 else {
                throw Failure("\(self.database.db) already has complaints; demo seed only fills a new or empty database")
            }
            let calendar = catalog.calendar
            // Months are counted in the catalog's zone (the database is empty: nothing to recount yet).
            try await store.useCounterZone(calendar.timeZone, now: now)
            let today = calendar.local(now).date
            let first = today.firstOfMonth(adding: -self.months)
            let start = calendar.instant(first, minute: 0)

            // One demo triage desk per office, and the accounts' log says who made them.
            var desks: [String: StaffMember] = [:]
            for code in catalog.opds.keys.sorted() {
                desks[code] = try await store.addStaff(
                    name: "Demo: meja aduan \(code)", role: .triage, opd: code,
                    tokenHash: Secrets.hex(Secrets.randomBytes(32)), now: start, operatorName: StoreAccess.operatorName)
            }
            var history = DemoHistory(catalog: catalog, start: start, now: now, desks: desks, seed: self.seed)
            let support = history.support
            let began = Date()
            let times = history.filingTimes(count: self.complaints)
            var filed = 0
            for chunk in stride(from: 0, to: times.count, by: 2_000) {
                let batch = times[chunk..<min(chunk + 2_000, times.count)].compactMap { history.filing(at: $0) }
                try store.fileWithHistories(batch, supporters: { support.instants(for: $0) }) { history.history(of: $0) }
                filed += batch.count
                if chunk / 2_000 % 50 == 49 || chunk + 2_000 >= times.count {
                    let rate = Double(filed) / max(Date().timeIntervalSince(began), 0.001)
                    FileHandle.standardError.write(Data("seeded \(filed) of \(self.complaints) (\(Int(rate))/s)\n".utf8))
                }
            }
            // The histories were written as the past they are, not as changes happening now: count them from the events.
            let counting = Date()
            try await store.recountCounters(now: now)
            FileHandle.standardError.write(
                Data("counted the monthly figures in \(Int(Date().timeIntervalSince(counting) * 1000)) ms\n".utf8))
            print("seeded \(filed) complaints from \(first) to \(calendar.iso8601(now)) into \(self.database.db)")
        }
    }
}
