import Foundation

/// The monthly counters ("rollups") the report reads: what happened in each month, per office, kabupaten/kota and
/// category. They are written in the transaction of the change they count, so a month's figures never depend on what
/// happens to its complaints later: a reopen counts in the month it happens in and leaves the earlier month alone.
public enum CounterField: Int, CaseIterable, Sendable {
    /// Filings, for the office they were routed to.
    case received
    /// Response clocks decided in the month: answered by the deadline, or the deadline passed unanswered.
    case responseInTime, responseLate
    /// Resolution clocks decided in the month, once per resolution cycle (a reopen starts a new one): a resolution that
    /// stands given by the deadline (a flagged one stands when a supervisor validates it), or the deadline passed first.
    case resolutionInTime, resolutionLate
    /// Resolutions given (flagged or not), rejections, merges as a duplicate, reopens.
    case resolved, rejected, merged, reopened
    /// Forwards, for the office that forwarded.
    case forwarded
    /// The reporters' 1-5 ratings and their sum.
    case ratings, ratingSum
    /// Resolutions' evidence, for the office whose resolution it was.
    case evidenceClean, evidenceFlagged, resolutionsRejected
    /// Open at the month's end, by age in calendar days since filing (0-7, 8-14, 15-30, over 30), and how many of
    /// them were overdue: written once, when the month closes.
    case backlog0to7, backlog8to14, backlog15to30, backlogOver30, overdue

    /// The column of `report_rollup` (aduan_0011_rollups.sql).
    public var column: String {
        switch self {
        case .received: "received"
        case .responseInTime: "response_in_time"
        case .responseLate: "response_late"
        case .resolutionInTime: "resolution_in_time"
        case .resolutionLate: "resolution_late"
        case .resolved: "resolved"
        case .rejected: "rejected"
        case .merged: "merged"
        case .reopened: "reopened"
        case .forwarded: "forwarded"
        case .ratings: "ratings"
        case .ratingSum: "rating_sum"
        case .evidenceClean: "evidence_clean"
        case .evidenceFlagged: "evidence_flagged"
        case .resolutionsRejected: "resolutions_rejected"
        case .backlog0to7: "backlog_0_7"
        case .backlog8to14: "backlog_8_14"
        case .backlog15to30: "backlog_15_30"
        case .backlogOver30: "backlog_over_30"
        case .overdue: "overdue"
        }
    }

    /// The backlog field of an age in whole days at the month's end.
    public static func backlog(ageDays: Int) -> CounterField {
        ageDays > 30 ? .backlogOver30 : ageDays > 14 ? .backlog15to30 : ageDays > 7 ? .backlog8to14 : .backlog0to7
    }
}

/// Where a count goes: a month (`2026-10`) and a cell (office, kabupaten/kota as `18.71`, category).
public struct CounterKey: Hashable, Sendable, Comparable {
    public let month: String
    public let opd: String
    public let area: String
    public let category: String

    public init(month: String, opd: String, area: String, category: String) {
        self.month = month
        self.opd = opd
        self.area = area
        self.category = category
    }

    /// The kabupaten/kota of a region code: its first two levels, or the code itself when shorter.
    public static func area(of region: String) -> String { String(region.prefix(5)) }

    public static func < (a: CounterKey, b: CounterKey) -> Bool {
        (a.month, a.opd, a.area, a.category) < (b.month, b.opd, b.area, b.category)
    }
}

/// Counts per key: what one change adds, or a whole history's worth.
public struct CounterSheet: Sendable, Equatable {
    public private(set) var counts: [CounterKey: [Int]] = [:]

    public init() {}

    public mutating func add(_ field: CounterField, _ amount: Int = 1, at key: CounterKey) {
        self.counts[key, default: Array(repeating: 0, count: CounterField.allCases.count)][field.rawValue] += amount
    }

    /// Adds another sheet's counts.
    public mutating func add(_ other: CounterSheet) {
        for (key, counts) in other.counts {
            for field in CounterField.allCases where counts[field.rawValue] != 0 { self.add(field, counts[field.rawValue], at: key) }
        }
    }

    public var isEmpty: Bool { self.counts.isEmpty }
}

/// Months on the region's calendar, as the counters name them (`2026-10`): a month starts at local midnight.
public struct CounterMonths: Sendable {
    let calendar: WorkingCalendar
    /// The month found last: changes come mostly in time order, so most lookups end here.
    private var last: (start: Date, end: Date, name: String)?

    public init(timeZone: TimeZone) {
        self.calendar = WorkingCalendar(timeZone: timeZone, closeMinute: 0, daysOff: [])
    }

    public var timeZone: TimeZone { self.calendar.timeZone }

    /// The month an instant falls in.
    public mutating func name(of instant: Date) -> String {
        if let last = self.last, instant >= last.start, instant < last.end { return last.name }
        let month = ReportMonth(containing: self.calendar.local(instant).date)
        let name = month.description
        self.last = (self.start(of: month), self.start(of: month.adding(1)), name)
        return name
    }

    /// The instant a month (`2026-10`) starts; nil for a malformed name.
    public func start(of month: String) -> Date? { ReportMonth(month).map(self.start(of:)) }

    /// The instant a month ends: the next one's start.
    public func end(of month: String) -> Date? { ReportMonth(month).map { self.start(of: $0.adding(1)) } }

    func start(of month: ReportMonth) -> Date { self.calendar.instant(month.firstDay, minute: 0) }

    /// The month `months` after (or before) `month`.
    public static func adding(_ months: Int, to month: String) -> String? { ReportMonth(month)?.adding(months).description }
}

/// One complaint open at a month's end, as the month's close records it.
public struct MonthEndStanding: Sendable, Hashable {
    public let complaintID: Int64
    public let opd: String
    public let area: String
    public let category: String
    public let createdAt: Date
    /// The clock past its deadline, and that deadline; nil when none is.
    public let overdue: Overdue?

    public struct Overdue: Sendable, Hashable {
        public let clock: SLAClock
        public let dueAt: Date
        public init(clock: SLAClock, dueAt: Date) {
            self.clock = clock
            self.dueAt = dueAt
        }
    }

    public init(complaintID: Int64, opd: String, area: String, category: String, createdAt: Date, overdue: Overdue?) {
        self.complaintID = complaintID
        self.opd = opd
        self.area = area
        self.category = category
        self.createdAt = createdAt
        self.overdue = overdue
    }

    /// Whole calendar days from filing to `end`.
    public func ageDays(at end: Date) -> Int { Int(end.timeIntervalSince(self.createdAt) / 86_400) }
}

/// What a month's close keeps: the backlog counts of every cell, and the most overdue complaints of each office.
/// Built one complaint at a time (`add`), so that a replay of a long history keeps counts and short lists per month,
/// not every complaint open at every month's end.
public struct MonthEnd: Sendable, Equatable {
    public let month: String
    public let end: Date
    public private(set) var counts = CounterSheet()
    /// Per office, at most `listLength`, the deadline that passed first first.
    private var overdueByOffice: [String: [MonthEndStanding]] = [:]

    public static let listLength = 20

    public init(month: String, end: Date) {
        self.month = month
        self.end = end
    }

    /// The close of `month` (ending at `end`) from every complaint open then.
    public init(month: String, end: Date, open: [MonthEndStanding]) {
        self.init(month: month, end: end)
        for standing in open { self.add(standing) }
    }

    /// Counts one complaint open at the end (one filed later is left out).
    public mutating func add(_ standing: MonthEndStanding) {
        guard standing.createdAt < self.end else { return }
        let key = CounterKey(month: self.month, opd: standing.opd, area: standing.area, category: standing.category)
        self.counts.add(CounterField.backlog(ageDays: standing.ageDays(at: self.end)), at: key)
        guard standing.overdue != nil else { return }
        self.counts.add(.overdue, at: key)
        var list = self.overdueByOffice[standing.opd, default: []]
        if list.count == Self.listLength, let last = list.last, !Self.firstDue(standing, last) { return }
        let position = list.firstIndex { Self.firstDue(standing, $0) } ?? list.count
        list.insert(standing, at: position)
        if list.count > Self.listLength { list.removeLast() }
        self.overdueByOffice[standing.opd] = list
    }

    /// The most overdue of each office, offices in code order.
    public var mostOverdue: [MonthEndStanding] { self.overdueByOffice.keys.sorted().flatMap { self.overdueByOffice[$0]! } }

    /// The order of the most overdue: the deadline that passed first, then the complaint's id.
    public static func firstDue(_ a: MonthEndStanding, _ b: MonthEndStanding) -> Bool {
        (a.overdue!.dueAt, a.complaintID) < (b.overdue!.dueAt, b.complaintID)
    }
}
