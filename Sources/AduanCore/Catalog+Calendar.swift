import Foundation

/// The calendar in force: the bundled days off with the operators' changes applied, the rules for a change, and how
/// far ahead the calendar reaches.
extension Catalog {
    public static let holidayNameLength = 1...100
    public static let calendarNoteLength = 0...500

    /// This catalog with the bundled days off amended by `changes` (all of them, in any order): a day added where
    /// none was, or a day removed. Deadlines already set are stored with their complaints and do not move.
    public func applying(_ changes: [CalendarChange]) -> Catalog {
        var days = Dictionary(self.bundledHolidays.map { (DayKey($0.date, $0.region), $0) }, uniquingKeysWith: { first, _ in first })
        var version: Int64 = 0
        for change in changes.sorted(by: { ($0.id ?? 0) < ($1.id ?? 0) }) {
            let key = DayKey(change.date, change.region)
            switch change.action {
            case .add:
                days[key] = Holiday(
                    date: change.date, kind: change.kind, nameID: change.name, nameEN: change.name, region: change.region,
                    origin: .added(change))
            case .remove:
                days[key] = nil
            }
            version = max(version, change.id ?? 0)
        }
        return Catalog(
            name: self.name, province: self.province, calendar: self.calendar, regions: self.regions, opds: self.opds,
            categories: self.categories, rules: self.rules, holidays: Array(days.values), bundledHolidays: self.bundledHolidays,
            calendarVersion: version, boundaries: self.boundaries, childrenByParent: self.childrenByParent
        ).with(rakor: self.rakor)
    }

    /// Checks a change against the days in force and returns it ready to keep, or the reason it is refused.
    public func admit(_ request: CalendarChangeRequest, actor: String, at: Date) -> Result<CalendarChange, CalendarChangeRefused> {
        if let region = request.region {
            guard self.regions[region] != nil, self.province.contains(region) else {
                return .failure(CalendarChangeRefused("unknown region \(region) (a code of the catalog's regions, e.g. 18.71)"))
            }
            guard region != self.province else {
                return .failure(CalendarChangeRefused("\(region) is the whole province: leave out --region for a day off everywhere"))
            }
        }
        let note = request.note?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard Self.calendarNoteLength.contains(note?.count ?? 0) else {
            return .failure(CalendarChangeRefused("the note is longer than \(Self.calendarNoteLength.upperBound) characters"))
        }
        let existing = self.holidays.first { $0.date == request.date && $0.region == request.region }
        let scope = request.region.map { "in \($0) (\(self.regions[$0]?.name ?? ""))" } ?? "province-wide"
        switch request.action {
        case .add:
            if let existing {
                return .failure(CalendarChangeRefused("\(request.date) is already a day off \(scope): \(existing.nameID) (\(existing.kind.rawValue))"))
            }
            if request.region != nil, let national = self.holidays.first(where: { $0.date == request.date && $0.region == nil }) {
                return .failure(CalendarChangeRefused("\(request.date) is already a day off everywhere: \(national.nameID)"))
            }
            guard let kind = request.kind else { return .failure(CalendarChangeRefused("say which kind of day: libur or cuti_bersama")) }
            let name = (request.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard Self.holidayNameLength.contains(name.count) else {
                return .failure(CalendarChangeRefused("the day needs a name of 1 to \(Self.holidayNameLength.upperBound) characters"))
            }
            return .success(CalendarChange(
                id: nil, action: .add, date: request.date, region: request.region, kind: kind, name: name,
                note: note?.isEmpty == false ? note : nil, actor: actor, at: at))
        case .remove:
            guard let existing else {
                let regional = self.holidays.filter { $0.date == request.date && $0.region != nil }.compactMap(\.region?.rawValue)
                let hint = regional.isEmpty ? "see aduan-admin calendar list" : "it is a regional day off in \(regional.joined(separator: ", ")): give --region"
                return .failure(CalendarChangeRefused("\(request.date) is not a day off \(scope) (\(hint))"))
            }
            return .success(CalendarChange(
                id: nil, action: .remove, date: request.date, region: request.region, kind: existing.kind, name: existing.nameID,
                note: note?.isEmpty == false ? note : nil, actor: actor, at: at))
        }
    }

    /// A year whose national list has fewer holidays than this is not listed yet (every SKB names 15 or more): one
    /// day an operator adds early does not make its year look covered.
    public static let holidaysInAListedYear = 10

    /// The last day of the last year whose national holidays are listed (`calendarReach`), worked out once when a
    /// catalog is made: `/readyz` asks for it on every probe.
    static func reach(of holidays: [Holiday]) -> LocalDate? {
        let counts = Dictionary(grouping: holidays.filter { $0.region == nil && $0.kind == .libur }, by: \.date.year)
            .mapValues(\.count)
        guard let year = counts.filter({ $0.value >= Self.holidaysInAListedYear }).keys.max() else { return nil }
        return LocalDate(year: year, month: 12, day: 31)
    }

    /// A warning when the calendar ends within `horizonDays` of `now`: deadlines past it would silently count the
    /// next year's holidays as working days until its SKB list is added.
    public func calendarCoverageWarning(now: Date, horizonDays: Int = 90) -> String? {
        let horizon = self.calendar.local(now).date.adding(days: horizonDays)
        guard let reach = self.calendarReach else { return "the calendar has no holidays at all: add them from the SKB" }
        guard horizon > reach else { return nil }
        return "the calendar lists holidays and cuti bersama only up to \(reach); add \(reach.year + 1) from the SKB "
            + "(aduan-admin calendar add, or holidays.csv in the catalog) before deadlines run into it "
            + "(they would count its holidays as working days)"
    }
}

/// A day off is one per date and scope (province-wide or one region).
private struct DayKey: Hashable {
    let date: LocalDate
    let region: RegionCode?
    init(_ date: LocalDate, _ region: RegionCode?) {
        self.date = date
        self.region = region
    }
}
