import AduanCore
import AduanStore
import Foundation

/// Why a report cannot be made.
public enum ReportError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidMonth(String)
    case monthNotStarted(String)
    case unknownOPD(String)

    public var description: String {
        switch self {
        case .invalidMonth(let text): return "month '\(text)' must be YYYY-MM from 2000-01 (for example 2026-10)"
        case .monthNotStarted(let text): return "month \(text) has not started yet"
        case .unknownOPD(let code): return "unknown OPD '\(code)' (codes are case-sensitive, e.g. PUPR-1871; see the catalog's opds)"
        }
    }
}

/// Computes a monthly report from the database: `ReportCounter` reads the monthly counters, this puts names, medians and
/// the most overdue list on the counts, and adds the breakdowns up to the total.
public struct MonthlyReportBuilder: Sendable {
    public let catalog: Catalog
    public let store: Store
    public var complianceTarget = MonthlyReport.defaultComplianceTarget

    public init(catalog: Catalog, store: Store) {
        self.catalog = catalog
        self.store = store
    }

    /// The report for `month` as of `now`, for the province (`opd` nil) or one office.
    public func build(month text: String, opd: String?, now: Date, generatedBy: String) async throws -> MonthlyReport {
        guard let month = ReportMonth(text), month.description == text else { throw ReportError.invalidMonth(text) }
        if let opd, self.catalog.opds[opd] == nil { throw ReportError.unknownOPD(opd) }
        let calendar = self.catalog.calendar
        let boundaries = (-5...1).map { calendar.instant(month.adding($0).firstDay, minute: 0) }
        guard now > boundaries[5] else { throw ReportError.monthNotStarted(text) }
        let asOf = min(now, boundaries[6])
        let window = ReportWindow(boundaries: boundaries, asOf: asOf, opd: opd)
        let data = try await self.store.readReport { source in
            try ReportCounter.count(
                window, months: (-5...0).map { month.adding($0).description }, limit: MonthlyReport.mostOverdueLimit, from: source
            ) { from, to in
                calendar.countedSeconds(from: from, to: to, target: .workingDays(1))
            }
        }
        let supported = try await self.store.mostSupported(asOf: asOf, opd: opd, perOffice: MonthlyReport.mostSupportedPerOffice)
        let scope =
            opd.map { ReportScope(code: $0, name: self.catalog.opds[$0]?.name ?? $0) }
            ?? ReportScope(code: ReportScope.provinceCode, name: self.catalog.regions[self.catalog.province]?.name ?? self.catalog.name)
        var report = MonthlyReport(
            period: month.description, scope: scope, version: 0, generatedAt: calendar.iso8601(now), generatedBy: generatedBy,
            asOf: calendar.iso8601(asOf), provisional: asOf < boundaries[6], timeZone: calendar.timeZone.identifier,
            complianceTarget: self.complianceTarget,
            total: self.breakdowns(data, key: { _ in scope.code }) { _ in scope.name }.first
                ?? Breakdown(code: scope.code, name: scope.name, current: MonthFigures(), previous: MonthFigures()),
            byOPD: self.breakdowns(data, key: \.opd) { self.catalog.opds[$0]?.name ?? $0 },
            byRegion: self.breakdowns(data, key: \.area) { self.catalog.regions[RegionCode($0)]?.name ?? $0 },
            byCategory: self.breakdowns(data, key: \.category) { self.catalog.category($0)?.nameID ?? $0 },
            mostOverdue: data.mostOverdue.map { item in
                OverdueComplaint(
                    ticket: item.ticket, opd: item.cell.opd, opdName: self.catalog.opds[item.cell.opd]?.name ?? item.cell.opd,
                    category: item.cell.category, categoryName: self.catalog.category(item.cell.category)?.nameID ?? item.cell.category,
                    region: item.cell.area, status: item.status.rawValue, clock: item.clock.rawValue,
                    dueAt: calendar.iso8601(item.dueAt),
                    workingDaysOverdue: Self.days(calendar.countedSeconds(from: item.dueAt, to: asOf, target: .workingDays(1))))
            },
            trend: (0..<MonthlyReport.trendMonths).map { index in
                var sum = ReportTally()
                for tallies in data.tallies { sum.add(tallies[index]) }
                return TrendMonth(
                    period: month.adding(index - 5).description, responseDue: sum.responseDue, respondedInTime: sum.respondedInTime,
                    resolutionDue: sum.resolutionDue, resolvedInTime: sum.resolvedInTime)
            })
        report.countedFrom = MonthlyReport.countedFromCounters
        report.mostSupported = supported.map { row in
            SupportedComplaint(
                ticket: row.ticket, opd: row.opd, opdName: self.catalog.opds[row.opd]?.name ?? row.opd, category: row.category,
                categoryName: self.catalog.category(row.category)?.nameID ?? row.category,
                region: row.region.depth >= 2 ? String(row.region.rawValue.prefix(5)) : row.region.rawValue, status: row.status.rawValue,
                supporters: row.supporters)
        }
        return report
    }

    /// Working days, to two decimals (a quarter of an hour), as the report shows and the snapshot keeps them.
    static func days(_ seconds: Double) -> Double { (seconds / 864).rounded() / 100 }

    /// One line per value of `key` that has any figure, largest number received first.
    func breakdowns(_ data: ReportData, key: @escaping (ReportCell) -> String, name: (String) -> String) -> [Breakdown] {
        var lines: [String: Line] = [:]
        let keys = data.cells.map(key)
        for (cell, tallies) in data.tallies.enumerated() { lines[keys[cell], default: Line()].add(tallies) }
        for duration in data.responseTimes { lines[keys[duration.cell], default: Line()].response[duration.month - 4].append(Self.days(duration.workingSeconds)) }
        for duration in data.resolutionTimes {
            lines[keys[duration.cell], default: Line()].resolution[duration.month - 4].append(Self.days(duration.workingSeconds))
        }
        return lines.map { code, line in line.breakdown(code: code, name: name(code)) }
            .sorted { ($0.current.received, $1.code) > ($1.current.received, $0.code) }
    }

    /// The sums of one line of a breakdown, for the previous month (0) and the report's month (1).
    struct Line {
        var counts = [ReportTally(), ReportTally()]
        var response: [[Double]] = [[], []]
        var resolution: [[Double]] = [[], []]

        mutating func add(_ tallies: [ReportTally]) {
            self.counts[0].add(tallies[ReportWindow.previous])
            self.counts[1].add(tallies[ReportWindow.current])
        }

        func breakdown(code: String, name: String) -> Breakdown {
            let months = (0..<2).map { index in
                MonthFigures(self.counts[index], responseDays: Distribution(self.response[index]),
                             resolutionDays: Distribution(self.resolution[index]))
            }
            return Breakdown(code: code, name: name, current: months[1], previous: months[0])
        }
    }
}

extension MonthFigures {
    /// A month's figures from its summed counts and its durations.
    init(_ counts: ReportTally, responseDays: Distribution, resolutionDays: Distribution) {
        self.init()
        self.received = counts.received
        self.resolved = counts.resolved
        self.responseDue = counts.responseDue
        self.respondedInTime = counts.respondedInTime
        self.resolutionDue = counts.resolutionDue
        self.resolvedInTime = counts.resolvedInTime
        self.responseDays = responseDays
        self.resolutionDays = resolutionDays
        self.backlog.days0to7 = counts.backlog[0]
        self.backlog.days8to14 = counts.backlog[1]
        self.backlog.days15to30 = counts.backlog[2]
        self.backlog.daysOver30 = counts.backlog[3]
        self.overdue = counts.overdue
        self.forwarded = counts.forwarded
        self.reopened = counts.reopened
        self.rejected = counts.rejected
        self.merged = counts.merged
        self.ratings = counts.ratings
        self.ratingSum = counts.ratingSum
        self.evidenceClean = counts.evidenceClean
        self.evidenceFlagged = counts.evidenceFlagged
        self.resolutionsRejected = counts.resolutionsRejected
    }
}
