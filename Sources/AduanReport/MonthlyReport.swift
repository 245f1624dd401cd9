import Foundation

/// The monthly SLA report for the governor's rakor: what a snapshot keeps, and what every format is rendered from.
/// The figures are counts and sums as computed; rates, means and changes are derived from them when rendered, so
/// that the parts of a breakdown add up to the whole exactly.
public struct MonthlyReport: Codable, Sendable, Equatable {
    /// The month, `YYYY-MM`.
    public var period: String
    public var scope: ReportScope
    /// Set when the report is kept as a snapshot: 1 for the first generation of this month and scope.
    public var version: Int
    /// ISO 8601 in the region's time zone.
    public var generatedAt: String
    /// A staff member (`Rina (staf #3)`) or the operating-system account that ran aduan-admin.
    public var generatedBy: String
    /// The instant the figures "at month end" are taken at: the month's end, or the generation time for a month not
    /// yet over (then the report is provisional).
    public var asOf: String
    public var provisional: Bool
    public var timeZone: String
    /// The share of complaints answered within SLA that the province expects of each office (the charts' line).
    public var complianceTarget: Double
    /// Province (or the scope's office) as a whole, this month and the previous one.
    public var total: Breakdown
    public var byOPD: [Breakdown]
    /// By kabupaten/kota (a complaint filed only at province level is under the province's code).
    public var byRegion: [Breakdown]
    public var byCategory: [Breakdown]
    /// The open complaints furthest past their deadline at month end, most overdue first (at most 20).
    public var mostOverdue: [OverdueComplaint]
    /// The compliance rates of the six months up to and including this one, oldest first.
    public var trend: [TrendMonth]
    /// The open complaints citizens supported most (+1) by month end, the first few of each office. Nil in snapshots
    /// kept before support existed.
    public var mostSupported: [SupportedComplaint]? = nil
    /// How the figures were counted: `counters` (each change counted in its month, schema 11), or nil in snapshots
    /// kept before, which counted each complaint's state when the report was made. Each renders its own definitions.
    public var countedFrom: String? = nil

    public static let countedFromCounters = "counters"

    /// `byOPD` is spelled so that the snake_case JSON key (`by_opd`) reads back.
    enum CodingKeys: String, CodingKey {
        case period, scope, version, generatedAt, generatedBy, asOf, provisional, timeZone, complianceTarget, total
        case byOPD = "byOpd", byRegion, byCategory, mostOverdue, trend, mostSupported, countedFrom
    }

    public static let mostOverdueLimit = 20
    /// Most supported complaints listed per office.
    public static let mostSupportedPerOffice = 3
    public static let trendMonths = 6
    /// The province's expectation when none is configured: nine in ten complaints answered in time.
    public static let defaultComplianceTarget = 0.9
}

/// Whose report it is.
public struct ReportScope: Codable, Sendable, Equatable {
    /// `province`, or the code of the office the report is limited to.
    public var code: String
    public var name: String
    public static let provinceCode = "province"
    public var isProvince: Bool { self.code == Self.provinceCode }

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

/// One line of a breakdown (or the total): this month's figures and the previous month's.
public struct Breakdown: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var current: MonthFigures
    public var previous: MonthFigures
}

/// The figures of one month for one line of a breakdown. See `ReportDefinitions` for what each one counts.
public struct MonthFigures: Codable, Sendable, Equatable {
    public var received = 0
    public var resolved = 0
    public var responseDue = 0
    public var respondedInTime = 0
    public var resolutionDue = 0
    public var resolvedInTime = 0
    /// Working days from filing to the first response, of the complaints first answered this month.
    public var responseDays = Distribution()
    /// Working days from filing to the resolution, of the complaints resolved this month.
    public var resolutionDays = Distribution()
    public var backlog = Backlog()
    public var overdue = 0
    public var forwarded = 0
    public var reopened = 0
    public var rejected = 0
    public var merged = 0
    public var ratings = 0
    public var ratingSum = 0
    /// Resolutions whose after-photos raised no flag needing validation.
    public var evidenceClean = 0
    /// Resolutions whose after-photos were flagged (re-used, taken before filing, far from the place).
    public var evidenceFlagged = 0
    /// Flagged resolutions a supervisor rejected ("TL Ditolak").
    public var resolutionsRejected = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case received, resolved, responseDue, respondedInTime, resolutionDue, resolvedInTime, responseDays, resolutionDays
        case backlog, overdue, forwarded, reopened, rejected, merged, ratings, ratingSum
        case evidenceClean, evidenceFlagged, resolutionsRejected
    }

    /// Reads a kept version; one kept before schema 5 has no evidence counts, which were then zero.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.received = try c.decode(Int.self, forKey: .received)
        self.resolved = try c.decode(Int.self, forKey: .resolved)
        self.responseDue = try c.decode(Int.self, forKey: .responseDue)
        self.respondedInTime = try c.decode(Int.self, forKey: .respondedInTime)
        self.resolutionDue = try c.decode(Int.self, forKey: .resolutionDue)
        self.resolvedInTime = try c.decode(Int.self, forKey: .resolvedInTime)
        self.responseDays = try c.decode(Distribution.self, forKey: .responseDays)
        self.resolutionDays = try c.decode(Distribution.self, forKey: .resolutionDays)
        self.backlog = try c.decode(Backlog.self, forKey: .backlog)
        self.overdue = try c.decode(Int.self, forKey: .overdue)
        self.forwarded = try c.decode(Int.self, forKey: .forwarded)
        self.reopened = try c.decode(Int.self, forKey: .reopened)
        self.rejected = try c.decode(Int.self, forKey: .rejected)
        self.merged = try c.decode(Int.self, forKey: .merged)
        self.ratings = try c.decode(Int.self, forKey: .ratings)
        self.ratingSum = try c.decode(Int.self, forKey: .ratingSum)
        self.evidenceClean = try c.decodeIfPresent(Int.self, forKey: .evidenceClean) ?? 0
        self.evidenceFlagged = try c.decodeIfPresent(Int.self, forKey: .evidenceFlagged) ?? 0
        self.resolutionsRejected = try c.decodeIfPresent(Int.self, forKey: .resolutionsRejected) ?? 0
    }

    public var responseCompliance: Double? { Self.share(self.respondedInTime, of: self.responseDue) }
    public var resolutionCompliance: Double? { Self.share(self.resolvedInTime, of: self.resolutionDue) }
    /// Reopens this month for every complaint resolved this month.
    public var reopenRate: Double? { Self.share(self.reopened, of: self.resolved) }
    public var meanRating: Double? { self.ratings == 0 ? nil : Double(self.ratingSum) / Double(self.ratings) }

    static func share(_ part: Int, of whole: Int) -> Double? { whole == 0 ? nil : Double(part) / Double(whole) }

    /// The rates derived from the counts, written beside them for readers of the JSON (and ignored when read back).
    enum DerivedKeys: String, CodingKey { case responseCompliance, resolutionCompliance, reopenRate, meanRating, backlogTotal }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.received, forKey: .received)
        try container.encode(self.resolved, forKey: .resolved)
        try container.encode(self.responseDue, forKey: .responseDue)
        try container.encode(self.respondedInTime, forKey: .respondedInTime)
        try container.encode(self.resolutionDue, forKey: .resolutionDue)
        try container.encode(self.resolvedInTime, forKey: .resolvedInTime)
        try container.encode(self.responseDays, forKey: .responseDays)
        try container.encode(self.resolutionDays, forKey: .resolutionDays)
        try container.encode(self.backlog, forKey: .backlog)
        try container.encode(self.overdue, forKey: .overdue)
        try container.encode(self.forwarded, forKey: .forwarded)
        try container.encode(self.reopened, forKey: .reopened)
        try container.encode(self.rejected, forKey: .rejected)
        try container.encode(self.merged, forKey: .merged)
        try container.encode(self.ratings, forKey: .ratings)
        try container.encode(self.ratingSum, forKey: .ratingSum)
        try container.encode(self.evidenceClean, forKey: .evidenceClean)
        try container.encode(self.evidenceFlagged, forKey: .evidenceFlagged)
        try container.encode(self.resolutionsRejected, forKey: .resolutionsRejected)
        var derived = encoder.container(keyedBy: DerivedKeys.self)
        try derived.encode(self.responseCompliance, forKey: .responseCompliance)
        try derived.encode(self.resolutionCompliance, forKey: .resolutionCompliance)
        try derived.encode(self.reopenRate, forKey: .reopenRate)
        try derived.encode(self.meanRating, forKey: .meanRating)
        try derived.encode(self.backlog.total, forKey: .backlogTotal)
    }
}

/// Median and 90th percentile of durations in working days.
public struct Distribution: Codable, Sendable, Equatable {
    public var count = 0
    public var median: Double?
    public var p90: Double?

    public init() {}

    /// Median: the middle value, or the mean of the two middle values; p90: the nearest rank, the smallest value with
    /// at least 90% of the values at or below it.
    public init(_ values: [Double]) {
        let sorted = values.sorted()
        self.count = sorted.count
        guard !sorted.isEmpty else { return }
        let middle = sorted.count / 2
        // The mean of two values in hundredths is kept in thousandths, without binary noise (6.890000000000001).
        self.median = sorted.count % 2 == 1 ? sorted[middle] : ((sorted[middle - 1] + sorted[middle]) * 500).rounded() / 1000
        let rank = Int((0.9 * Double(sorted.count)).rounded(.up))
        self.p90 = sorted[max(rank, 1) - 1]
    }
}

/// Complaints open at month end by age (calendar days since filing; the buckets are `CounterField.backlog(ageDays:)`).
public struct Backlog: Codable, Sendable, Equatable {
    public var days0to7 = 0
    public var days8to14 = 0
    public var days15to30 = 0
    public var daysOver30 = 0

    public init() {}
    public var total: Int { self.days0to7 + self.days8to14 + self.days15to30 + self.daysOver30 }
}

/// An open complaint past its deadline at month end.
public struct OverdueComplaint: Codable, Sendable, Equatable {
    public var ticket: String
    public var opd: String
    public var opdName: String
    public var category: String
    /// Nil in snapshots kept before names were added: fields added to the report are optional, so that every kept
    /// version can still be read and shown.
    public var categoryName: String?
    /// The kabupaten/kota code.
    public var region: String
    public var status: String
    /// `response` or `resolution`: the clock that ran out.
    public var clock: String
    /// ISO 8601 in the region's time zone.
    public var dueAt: String
    /// Working days from the deadline to month end.
    public var workingDaysOverdue: Double
}

/// An open complaint many citizens supported: what the office should see first.
public struct SupportedComplaint: Codable, Sendable, Equatable {
    public var ticket: String
    public var opd: String
    public var opdName: String
    public var category: String
    public var categoryName: String
    /// The kabupaten/kota code.
    public var region: String
    public var status: String
    public var supporters: Int
}

/// One month of the trend.
public struct TrendMonth: Codable, Sendable, Equatable {
    public var period: String
    public var responseDue: Int
    public var respondedInTime: Int
    public var resolutionDue: Int
    public var resolvedInTime: Int

    public var responseCompliance: Double? { MonthFigures.share(self.respondedInTime, of: self.responseDue) }
    public var resolutionCompliance: Double? { MonthFigures.share(self.resolvedInTime, of: self.resolutionDue) }

    enum DerivedKeys: String, CodingKey { case responseCompliance, resolutionCompliance }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.period, forKey: .period)
        try container.encode(self.responseDue, forKey: .responseDue)
        try container.encode(self.respondedInTime, forKey: .respondedInTime)
        try container.encode(self.resolutionDue, forKey: .resolutionDue)
        try container.encode(self.resolvedInTime, forKey: .resolvedInTime)
        var derived = encoder.container(keyedBy: DerivedKeys.self)
        try derived.encode(self.responseCompliance, forKey: .responseCompliance)
        try derived.encode(self.resolutionCompliance, forKey: .resolutionCompliance)
    }
}
