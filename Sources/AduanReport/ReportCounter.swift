import AduanCore
import AduanStore
import Foundation

/// Reads a monthly report's counts from the monthly counters: what happened in each of the six months, and the
/// backlog at the end of the last two. Times are what the counters cannot sum: the medians take every first response
/// and latest resolution of the two months from the complaints themselves, through their indexes.
struct ReportCounter {
    let window: ReportWindow
    /// The six months' names (`2026-10`), oldest first.
    let months: [String]
    private(set) var data = ReportData()
    /// Cell index by the interned ids of office, area and category packed in one integer.
    private var cellIndex: [Int: Int] = [:]

    /// Reads everything the report needs from one consistent read of the store.
    static func count(
        _ window: ReportWindow, months: [String], limit: Int, from source: ReportSource,
        workingSeconds: @escaping @Sendable (Date, Date) -> Double
    ) throws -> ReportData {
        var counter = ReportCounter(window: window, months: months)
        for (key, counts) in try source.counters(months: months, opd: window.opd) {
            guard let month = months.firstIndex(of: key.month) else { continue }
            counter.add(counts, to: counter.cell(key.opd, key.area, key.category, source), month: month)
        }
        try counter.standAtMonthEnds(source, limit: limit)
        let current = ReportCounter.millis(window.boundaries[ReportWindow.current])
        for clock in SLAClock.allCases {
            try source.times(
                clock, from: ReportCounter.millis(window.boundaries[ReportWindow.previous]), to: ReportCounter.millis(window.asOf),
                opd: window.opd, workingSeconds: { workingSeconds(ReportCounter.date($0), ReportCounter.date($1)) }
            ) { row in
                let duration = ReportDuration(
                    cell: counter.cell(ids: row.opd, row.area, row.category, source),
                    month: row.at < current ? ReportWindow.previous : ReportWindow.current, workingSeconds: row.workingSeconds)
                if clock == .response { counter.data.responseTimes.append(duration) } else { counter.data.resolutionTimes.append(duration) }
            }
        }
        // Sorted once here, every breakdown's lists come out sorted, and sorting a sorted list costs one pass.
        counter.data.responseTimes.sort { $0.workingSeconds < $1.workingSeconds }
        counter.data.resolutionTimes.sort { $0.workingSeconds < $1.workingSeconds }
        return counter.data
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    mutating func cell(_ opd: String, _ area: String, _ category: String, _ source: ReportSource) -> Int {
        self.cell(ids: source.opdID(opd), source.areaID(area), source.categoryID(category), source)
    }

    /// The cell of interned codes (ids below 2^20 each: there are a few hundred offices, areas and categories).
    mutating func cell(ids opd: Int, _ area: Int, _ category: Int, _ source: ReportSource) -> Int {
        let key = opd << 40 | area << 20 | category
        if let index = self.cellIndex[key] { return index }
        let index = self.data.cells.count
        self.cellIndex[key] = index
        self.data.cells.append(ReportCell(opd: source.opdCode(opd), area: source.areaCode(area), category: source.categoryCode(category)))
        self.data.tallies.append(Array(repeating: ReportTally(), count: 6))
        return index
    }

    mutating func add(_ counts: [Int], to cell: Int, month: Int) {
        func count(_ field: CounterField) -> Int { counts[field.rawValue] }
        var tally = self.data.tallies[cell][month]
        tally.received += count(.received)
        tally.respondedInTime += count(.responseInTime)
        tally.responseDue += count(.responseInTime) + count(.responseLate)
        tally.resolvedInTime += count(.resolutionInTime)
        tally.resolutionDue += count(.resolutionInTime) + count(.resolutionLate)
        tally.resolved += count(.resolved)
        tally.rejected += count(.rejected)
        tally.merged += count(.merged)
        tally.reopened += count(.reopened)
        tally.forwarded += count(.forwarded)
        tally.ratings += count(.ratings)
        tally.ratingSum += count(.ratingSum)
        tally.evidenceClean += count(.evidenceClean)
        tally.evidenceFlagged += count(.evidenceFlagged)
        tally.resolutionsRejected += count(.resolutionsRejected)
        for (bucket, field) in [CounterField.backlog0to7, .backlog8to14, .backlog15to30, .backlogOver30].enumerated() {
            tally.backlog[bucket] += count(field)
        }
        tally.overdue += count(.overdue)
        self.data.tallies[cell][month] = tally
    }

    /// The backlog of the last two months and the most overdue at the report's month end: kept by each month's close,
    /// or, for a month not closed (not over, or over with no change since), as the complaints stand now.
    mutating func standAtMonthEnds(_ source: ReportSource, limit: Int) throws {
        var mostOverdue: [MonthEndStanding] = []
        for month in [ReportWindow.previous, ReportWindow.current] {
            let end = month == ReportWindow.current ? self.window.asOf : self.window.boundaries[month + 1]
            let closed = end == self.window.boundaries[month + 1] ? try source.isClosed(self.months[month]) : false
            if closed {
                if month == ReportWindow.current { mostOverdue = try source.mostOverdue(month: self.months[month], opd: self.window.opd) }
                continue
            }
            let open = try source.openStandings(at: end).filter { self.window.opd == nil || $0.opd == self.window.opd }
            let close = MonthEnd(month: self.months[month], end: end, open: open)
            for (key, counts) in close.counts.counts {
                self.add(counts, to: self.cell(key.opd, key.area, key.category, source), month: month)
            }
            if month == ReportWindow.current { mostOverdue = close.mostOverdue }
        }
        let top = mostOverdue.sorted(by: MonthEnd.firstDue).prefix(limit)
        let tickets = try source.ticketRows(top.map(\.complaintID))
        self.data.mostOverdue = top.compactMap { standing in
            guard let row = tickets[standing.complaintID], let overdue = standing.overdue else { return nil }
            return ReportOverdue(
                ticket: row.ticket, cell: ReportCell(opd: standing.opd, area: standing.area, category: standing.category),
                status: row.status, clock: overdue.clock, dueAt: overdue.dueAt)
        }
    }
}
