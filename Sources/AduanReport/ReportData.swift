import AduanCore
import Foundation

/// The months a monthly report reads: six months ending with the report's month, as instants of the region's time
/// zone. Figures "at month end" are taken at `asOf`, the end of the month or, for a month not over, the present.
public struct ReportWindow: Sendable {
    /// Seven instants: the start of each of the six months, then the end of the last.
    public let boundaries: [Date]
    public let asOf: Date
    /// Limits every figure to one office's complaints; nil for the province.
    public let opd: String?

    public init(boundaries: [Date], asOf: Date, opd: String?) {
        precondition(boundaries.count == 7)
        self.boundaries = boundaries
        self.asOf = asOf
        self.opd = opd
    }

    /// The report's month (index 5) and the one before (index 4).
    public static let current = 5
    public static let previous = 4
}

/// Where a figure belongs: the handling office, the kabupaten/kota (the first two levels of the region code) and the
/// category.
public struct ReportCell: Hashable, Sendable {
    public let opd: String
    public let area: String
    public let category: String
}

/// Counts of one cell in one month.
public struct ReportTally: Sendable, Equatable {
    public var responseDue = 0, respondedInTime = 0, resolutionDue = 0, resolvedInTime = 0
    public var received = 0, resolved = 0, rejected = 0, merged = 0
    public var forwarded = 0, reopened = 0, ratings = 0, ratingSum = 0
    /// Resolutions with after-photos: clean, flagged (awaiting or past validation), and rejected by a supervisor.
    public var evidenceClean = 0, evidenceFlagged = 0, resolutionsRejected = 0
    /// Open at month end, by age in days: 0-7, 8-14, 15-30, over 30.
    public var backlog = [0, 0, 0, 0]
    public var overdue = 0
    public init() {}

    /// Adds another cell's counts: how a breakdown line and the total are summed.
    public mutating func add(_ other: ReportTally) {
        self.responseDue += other.responseDue
        self.respondedInTime += other.respondedInTime
        self.resolutionDue += other.resolutionDue
        self.resolvedInTime += other.resolvedInTime
        self.received += other.received
        self.resolved += other.resolved
        self.rejected += other.rejected
        self.merged += other.merged
        self.forwarded += other.forwarded
        self.reopened += other.reopened
        self.ratings += other.ratings
        self.ratingSum += other.ratingSum
        self.evidenceClean += other.evidenceClean
        self.evidenceFlagged += other.evidenceFlagged
        self.resolutionsRejected += other.resolutionsRejected
        for bucket in self.backlog.indices { self.backlog[bucket] += other.backlog[bucket] }
        self.overdue += other.overdue
    }
}

/// A working-time measure of one complaint: the first response or the resolution.
public struct ReportDuration: Sendable {
    /// An index into `ReportData.cells`.
    public let cell: Int
    public let month: Int
    public let workingSeconds: Double
}

/// An open complaint past a deadline at the end of the report's month.
public struct ReportOverdue: Sendable {
    public let ticket: String
    public let cell: ReportCell
    public let status: ComplaintStatus
    public let clock: SLAClock
    public let dueAt: Date
}

/// What the report's reading returns, before names and rates are put on it.
public struct ReportData: Sendable {
    /// Every cell with a figure; durations refer to them by index.
    public var cells: [ReportCell] = []
    /// Per cell (same order), one tally per month of the window (0 oldest ... 5 the report's month). The months before
    /// the previous one carry only the compliance counts the trend needs.
    public var tallies: [[ReportTally]] = []
    public var responseTimes: [ReportDuration] = []
    public var resolutionTimes: [ReportDuration] = []
    /// The most overdue first.
    public var mostOverdue: [ReportOverdue] = []
}

