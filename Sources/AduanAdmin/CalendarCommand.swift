import AduanCore
import AduanStore
import ArgumentParser
import Foundation

/// `aduan-admin calendar ...`: the working calendar in force (holidays and cuti bersama), and the operators' changes
/// to it, kept in the database file. A running server applies a change within a minute.
struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "List, add and remove days off (holidays, cuti bersama) without a rebuild.",
        discussion: """
            The calendar in force is the catalog's holidays.csv with the changes made here applied in order. Deadlines
            already set keep their values; complaints filed (and clocks resumed) after a change use it.
              aduan-admin calendar list --year 2027
              aduan-admin calendar add --date 2027-03-12 --kind cuti_bersama --name "Cuti Bersama Idul Fitri" \\
                --note "SKB perubahan No. ..."
              aduan-admin calendar remove --date 2027-03-11 --note "Sidang isbat: 1 Syawal 1448 H on 10 March"
              aduan-admin calendar add --date 2027-06-22 --kind libur --name "HUT Kota Bandar Lampung" --region 18.71
              aduan-admin calendar log
            """,
        subcommands: [List.self, Add.self, Remove.self, Log.self])

    struct Options: ParsableArguments {
        @OptionGroup var database: DatabaseCommand.Options
        @Option(help: "Catalog directory (default: the bundled Lampung catalog).") var catalog: String?

        /// The store, and the catalog with the changes kept in it.
        func open() async throws -> (Store, Catalog) {
            let base = try CatalogLoader.load(directoryOrBundled: self.catalog)
            let store = try await StoreAccess.open(self.database)
            return (store, try await store.catalogInForce(base))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the days off in force, bundled and added together, with where each came from.",
            discussion: "Example: aduan-admin calendar list --db data/aduan.sqlite --year 2027")
        @OptionGroup var options: Options
        @Option(help: "Only this year.") var year: Int?
        @Option(help: "Only the days off of this region's calendar (national ones and its own).") var region: String?
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let (_, catalog) = try await self.options.open()
            if let region, catalog.regions[RegionCode(region)] == nil { throw Failure("unknown region '\(region)'") }
            let days = catalog.holidays.filter { day in
                (self.year.map { day.date.year == $0 } ?? true)
                    && (self.region.map { code in day.region.map { $0.contains(RegionCode(code)) } ?? true } ?? true)
            }
            if self.json {
                print(try CalendarJSON.days(days, catalog: catalog))
                return
            }
            print(
                "days off in force: \(days.count)\(self.year.map { " in \($0)" } ?? ""); the calendar reaches "
                    + "\(catalog.calendarReach?.description ?? "nowhere")"
                    + (catalog.calendarVersion == 0 ? " (as bundled)" : " (with changes up to #\(catalog.calendarVersion))"))
            if !days.isEmpty {
                print(
                    Output.table(
                        ["DATE", "DAY", "KIND", "NAME", "SCOPE", "SOURCE"],
                        days.map { day in
                            [
                                day.date.description, CalendarText.weekday(day.date), day.kind.rawValue, day.nameID,
                                CalendarText.scope(day.region, catalog), CalendarText.source(day, catalog),
                            ]
                        }))
            }
            if let warning = catalog.calendarCoverageWarning(now: Date()) { print("warning: \(warning)") }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a day off (a decree, a cuti bersama, a regional holiday).",
            discussion: """
                Examples:
                  aduan-admin calendar add --db data/aduan.sqlite --date 2027-03-12 --kind cuti_bersama \\
                    --name "Cuti Bersama Hari Raya Idul Fitri" --note "SKB 3 Menteri 2027"
                  aduan-admin calendar add --date 2027-06-22 --kind libur --name "HUT Kota" --region 18.71
                """)
        @OptionGroup var options: Options
        @Option(help: "The day, YYYY-MM-DD.") var date: String
        @Option(help: "libur (a holiday) or cuti_bersama.") var kind: String
        @Option(help: "The day's name as the decree gives it.") var name: String
        @Option(help: "A region code: the day is off only in that region (a kabupaten/kota and all inside it).") var region: String?
        @Option(help: "The decree or the reason, kept with the change.") var note: String?

        func run() async throws {
            guard let kind = Holiday.Kind(rawValue: self.kind) else { throw Failure("unknown kind '\(self.kind)' (libur or cuti_bersama)") }
            let request = CalendarChangeRequest(
                action: .add, date: try CalendarText.date(self.date), region: self.region.map(RegionCode.init), kind: kind,
                name: self.name, note: self.note)
            let (change, catalog) = try await CalendarText.keep(request, self.options)
            print(
                "added \(change.date) (\(CalendarText.weekday(change.date))) \(change.kind.rawValue) \"\(change.name)\", "
                    + "\(CalendarText.scope(change.region, catalog)); change #\(change.id ?? 0)")
            if change.date.isoWeekday > 5 { print("note: \(change.date) is a weekend day; it moves no deadline") }
            print(CalendarText.inForce)
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a day off (a date the isbat or an amended decree moved).",
            discussion: """
                Example:
                  aduan-admin calendar remove --db data/aduan.sqlite --date 2027-03-11 --note "Hasil sidang isbat"
                """)
        @OptionGroup var options: Options
        @Option(help: "The day, YYYY-MM-DD.") var date: String
        @Option(help: "The region of a regional day off (leave out for a province-wide one).") var region: String?
        @Option(help: "The decree or the reason, kept with the change.") var note: String?

        func run() async throws {
            let request = CalendarChangeRequest(
                action: .remove, date: try CalendarText.date(self.date), region: self.region.map(RegionCode.init), kind: nil,
                name: nil, note: self.note)
            let (change, catalog) = try await CalendarText.keep(request, self.options)
            print(
                "removed \(change.date) \(change.kind.rawValue) \"\(change.name)\", \(CalendarText.scope(change.region, catalog)); "
                    + "change #\(change.id ?? 0)")
            print(CalendarText.inForce)
        }
    }

    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show every change made to the calendar, who made it and when.",
            discussion: "Example: aduan-admin calendar log --db data/aduan.sqlite")
        @OptionGroup var options: Options
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let (store, catalog) = try await self.options.open()
            let changes = try await store.calendarChanges()
            if self.json {
                print(try CalendarJSON.changes(changes, catalog: catalog))
                return
            }
            guard !changes.isEmpty else {
                print("no changes: the calendar is the catalog's holidays.csv as bundled")
                return
            }
            print(
                Output.table(
                    ["#", "AT", "ACTION", "DATE", "KIND", "NAME", "SCOPE", "BY", "NOTE"],
                    changes.map {
                        [
                            "\($0.id ?? 0)", Output.time(catalog.calendar.iso8601($0.at)), $0.action.rawValue, $0.date.description,
                            $0.kind.rawValue, $0.name, CalendarText.scope($0.region, catalog), $0.actor, $0.note ?? "-",
                        ]
                    }))
        }
    }
}

/// The words and checks the calendar commands share.
enum CalendarText {
    static let inForce = "a running server uses the change within a minute; deadlines already set keep their values"

    static func date(_ text: String) throws -> LocalDate {
        guard let date = LocalDate(iso: text) else { throw Failure("--date must be a day such as 2027-03-10, not '\(text)'") }
        return date
    }

    /// Checks and keeps a change in one transaction, against the calendar the database holds.
    static func keep(_ request: CalendarChangeRequest, _ options: CalendarCommand.Options) async throws -> (CalendarChange, Catalog) {
        let base = try CatalogLoader.load(directoryOrBundled: options.catalog)
        let store = try await StoreAccess.open(options.database)
        let actor = StoreAccess.operatorName
        let now = Date()
        do {
            return (try await store.changeCalendar { changes in base.applying(changes).admit(request, actor: actor, at: now) }, base)
        } catch let refused as CalendarChangeRefused {
            throw Failure(refused.description)
        }
    }

    static func weekday(_ date: LocalDate) -> String {
        ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"][date.isoWeekday - 1]
    }

    static func scope(_ region: RegionCode?, _ catalog: Catalog) -> String {
        guard let region else { return "province-wide" }
        return catalog.regions[region].map { "\(region) \($0.name)" } ?? region.rawValue
    }

    static func source(_ day: Holiday, _ catalog: Catalog) -> String {
        switch day.origin {
        case .bundled:
            return "bundled holidays.csv" + (day.provisional ? " (provisional until the isbat)" : "")
        case .added(let change):
            return "added #\(change.id ?? 0) by \(change.actor) on \(Output.time(catalog.calendar.iso8601(change.at)))"
                + (change.note.map { ": \($0)" } ?? "")
        }
    }
}

/// The calendar commands' `--json` output: one object per day in force, or per change.
struct CalendarJSON: Encodable {
    struct Day: Encodable {
        let date: String
        let kind: String
        let name_id: String
        let name_en: String
        let region: String?
        let provisional: Bool
        /// `bundled` or `added`; an added day carries its change.
        let source: String
        let change: Change?
    }

    struct Change: Encodable {
        let id: Int64
        let action: String
        let date: String
        let kind: String
        let name: String
        let region: String?
        let note: String?
        let by: String
        let at: String
    }

    static func days(_ days: [Holiday], catalog: Catalog) throws -> String {
        try self.encode(
            days.map { day in
                var change: CalendarChange?
                if case .added(let added) = day.origin { change = added }
                return Day(
                    date: day.date.description, kind: day.kind.rawValue, name_id: day.nameID, name_en: day.nameEN,
                    region: day.region?.rawValue, provisional: day.provisional, source: change == nil ? "bundled" : "added",
                    change: change.map { self.change($0, catalog: catalog) })
            })
    }

    static func changes(_ changes: [CalendarChange], catalog: Catalog) throws -> String {
        try self.encode(changes.map { self.change($0, catalog: catalog) })
    }

    static func change(_ change: CalendarChange, catalog: Catalog) -> Change {
        Change(
            id: change.id ?? 0, action: change.action.rawValue, date: change.date.description, kind: change.kind.rawValue,
            name: change.name, region: change.region?.rawValue, note: change.note, by: change.actor,
            at: catalog.calendar.iso8601(change.at))
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
