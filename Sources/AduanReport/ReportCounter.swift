import AduanCore
import AduanStore
import Foundation

/// The monthly report's rules: which complaint counts in which figure of which month. It is given the store's rows
/// (`ReportSource`) and returns the counts per cell (office, kabupaten/kota, category) and month. Times are
/// milliseconds since 1970 (UTC). Duplicates merged into another complaint are left out of every figure but
/// `merged`, so a complaint counts once however often it was filed.
struct ReportCounter {
    let window: ReportWindow
    /// Measures a clock stopped before schema 3 fixed the measure on the complaint.
    let workingSeconds: @Sendable (Date, Date) -> Double
    /// Month starts 0-5 and the end of month 5.
    let bounds: [Int64]
    let asOf: Int64
    private(set) var data = ReportData()

    /// Cell index by (opd, area, category) ids: `[opd][area][category]`, -1 when not yet seen.
    private var cellTable: [[[Int]]] = []
    /// Forwards, reopens, ratings and evidence of the two months, by complaint id, waiting for the complaint's cell.
    private var milestones: [Int64: [(row: ReportMilestoneRow, month: Int)]] = [:]
    /// The cells of complaints with milestones (nil for a duplicate), filled by the scan.
    private var milestoneCells: [Int64: Int?] = [:]
    /// A bit per complaint id with milestones, so that the scan tests each row without a hash lookup.
    private var milestoneBits: [UInt64] = []
    /// Open at a month's end by their timestamps but reopened since: the history decides.
    private var reopenedSince: [(id: Int64, cell: Int, month: Int, ageDays: Int, overdue: Overdue?)] = []
    /// Overdue at the end of the report's month: the earliest deadline first.
    private var overdue: [Overdue] = []

    struct Overdue {
        let due: Int64
        let id: Int64
        let clock: SLAClock
        let status: ComplaintStatus
        let cell: Int
    }

    static let day: Int64 = 86_400_000
    /// Open at month end, by age in days: 0-7, 8-14, 15-30, over 30.
    static func ageBucket(_ days: Int) -> Int { days > 30 ? 3 : days > 14 ? 2 : days > 7 ? 1 : 0 }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    /// Counts everything the report needs from one consistent read of the store.
    static func count(
        _ window: ReportWindow, limit: Int, from source: ReportSource, workingSeconds: @escaping @Sendable (Date, Date) -> Double
    ) throws -> ReportData {
        var counter = ReportCounter(window: window, workingSeconds: workingSeconds)
        // Milestones first, so that the scan can note their complaints' cells.
        for row in try source.milestones(from: counter.bounds[ReportWindow.previous], to: counter.asOf) { counter.note(row) }
        try source.complaints(since: counter.bounds[0], answeredSince: counter.bounds[ReportWindow.previous], opd: window.opd) {
            counter.count($0, source)
        }
        try counter.countMilestones(source)
        try counter.countReopened(source)
        try counter.listMostOverdue(source, limit: limit)
        return counter.data
    }

    init(window: ReportWindow, workingSeconds: @escaping @Sendable (Date, Date) -> Double) {
        self.window = window
        self.workingSeconds = workingSeconds
        self.bounds = window.boundaries.map(Self.millis)
        self.asOf = Self.millis(window.asOf)
    }

    /// The month (0-5) of an instant, or nil outside `[bounds[0], asOf)`; `from` limits it to the later months.
    func month(_ instant: Int64?, from first: Int = 0) -> Int? {
        guard let instant, instant >= self.bounds[first], instant < self.asOf else { return nil }
        var month = 5
        while instant < self.bounds[month] { month -= 1 }
        return month
    }

    /// The end of a month: the report's month ends at `asOf`.
    func end(of month: Int) -> Int64 { month == ReportWindow.current ? self.asOf : self.bounds[month + 1] }

    mutating func cell(opd: Int, area: Int, category: Int, _ source: ReportSource) -> Int {
        while self.cellTable.count <= opd { self.cellTable.append([]) }
        while self.cellTable[opd].count <= area { self.cellTable[opd].append([]) }
        while self.cellTable[opd][area].count <= category { self.cellTable[opd][area].append(-1) }
        let known = self.cellTable[opd][area][category]
        if known >= 0 { return known }
        let index = self.data.cells.count
        self.cellTable[opd][area][category] = index
        self.data.cells.append(
            ReportCell(opd: source.opdCode(opd), area: source.areaCode(area), category: source.categoryCode(category)))
        self.data.tallies.append(Array(repeating: ReportTally(), count: 6))
        return index
    }

    // MARK: - Milestones

    mutating func note(_ row: ReportMilestoneRow) {
        guard let month = self.month(row.at, from: ReportWindow.previous) else { return }
        self.milestones[row.complaintID, default: []].append((row, month))
        let word = Int(row.complaintID >> 6)
        if self.milestoneBits.count <= word { self.milestoneBits += Array(repeating: 0, count: word + 1 - self.milestoneBits.count) }
        self.milestoneBits[word] |= 1 << UInt64(row.complaintID & 63)
    }

    func hasMilestones(_ id: Int64) -> Bool {
        let word = Int(id >> 6)
        return word < self.milestoneBits.count && self.milestoneBits[word] & (1 << UInt64(id & 63)) != 0
    }

    /// Counts the milestones on their complaints' cells; a forward counts for the office that forwarded.
    mutating func countMilestones(_ source: ReportSource) throws {
        var homes: [Int64: (opd: String, area: String, category: String)?] = [:]
        for (id, cell) in self.milestoneCells {
            homes[id] = cell.map { (self.data.cells[$0].opd, self.data.cells[$0].area, self.data.cells[$0].category) }
        }
        // Those the scan did not meet (older, or another office's in a scoped report); nil for a duplicate.
        for (id, home) in try source.homes(self.milestones.keys.filter { homes[$0] == nil }) {
            homes[id] = home.status == .duplicate ? .some(nil) : (home.opd, home.area, home.category)
        }
        for (id, events) in self.milestones {
            guard let found = homes[id], let home = found else { continue }
            for (event, month) in events {
                // A forward counts for the office that forwarded; evidence for the office whose resolution it was.
                let byOffice: Bool = switch event.kind {
                case .forwarded, .evidenceClean, .evidenceFlagged, .resolutionRejected: true
                case .reopened, .rating: false
                }
                let office = byOffice ? (event.from ?? home.opd) : home.opd
                guard self.window.opd == nil || self.window.opd == office else { continue }
                let cell = self.cell(
                    opd: source.opdID(office), area: source.areaID(home.area), category: source.categoryID(home.category), source)
                switch event.kind {
                case .forwarded: self.data.tallies[cell][month].forwarded += 1
                case .reopened: self.data.tallies[cell][month].reopened += 1
                case .rating:
                    self.data.tallies[cell][month].ratings += 1
                    self.data.tallies[cell][month].ratingSum += event.rating ?? 0
                case .evidenceClean: self.data.tallies[cell][month].evidenceClean += 1
                case .evidenceFlagged: self.data.tallies[cell][month].evidenceFlagged += 1
                case .resolutionRejected: self.data.tallies[cell][month].resolutionsRejected += 1
                }
            }
        }
    }

    // MARK: - One complaint

    /// One complaint's part of every figure.
    mutating func count(_ row: ReportComplaintRow, _ source: ReportSource) {
        if row.status == .duplicate {
            if let month = self.month(row.settledAt, from: ReportWindow.previous) {
                let cell = self.cell(opd: row.opd, area: row.area, category: row.category, source)
                self.data.tallies[cell][month].merged += 1
            }
            if self.hasMilestones(row.id) { self.milestoneCells[row.id] = .some(nil) }
            return
        }
        let cell = self.cell(opd: row.opd, area: row.area, category: row.category, source)
        if self.hasMilestones(row.id) { self.milestoneCells[row.id] = cell }

        if let month = self.month(row.createdAt, from: ReportWindow.previous) { self.data.tallies[cell][month].received += 1 }
        // Compliance: due in the month, answered by the deadline; unanswered is a miss.
        if let month = self.month(row.responseDueAt) {
            self.data.tallies[cell][month].responseDue += 1
            if let responded = row.respondedAt, responded <= row.responseDueAt { self.data.tallies[cell][month].respondedInTime += 1 }
        }
        // A rejected complaint has nothing to resolve; one paused before its deadline is not due yet (it moves).
        if row.status != .rejected, !(row.pausedAt.map { $0 < row.resolutionDueAt } ?? false), let month = self.month(row.resolutionDueAt) {
            self.data.tallies[cell][month].resolutionDue += 1
            if let resolved = row.resolvedAt, resolved <= row.resolutionDueAt { self.data.tallies[cell][month].resolvedInTime += 1 }
        }
        if let month = self.month(row.settledAt, from: ReportWindow.previous) {
            if ComplaintStatus.resolvedOutcome.contains(row.status) {
                self.data.tallies[cell][month].resolved += 1
                let seconds = row.resolutionWorkingSeconds
                    ?? self.workingSeconds(Self.date(row.createdAt), Self.date(row.resolvedAt ?? row.settledAt!))
                self.data.resolutionTimes.append(ReportDuration(cell: cell, month: month, workingSeconds: seconds))
            } else if row.status == .rejected {
                self.data.tallies[cell][month].rejected += 1
            }
        }
        if let month = self.month(row.respondedAt, from: ReportWindow.previous) {
            let seconds = row.responseWorkingSeconds ?? self.workingSeconds(Self.date(row.createdAt), Self.date(row.respondedAt!))
            self.data.responseTimes.append(ReportDuration(cell: cell, month: month, workingSeconds: seconds))
        }
        // Open at each month's end (filed before it, not settled by it), by age, and overdue: a running clock past
        // its deadline; a clock paused at the end runs late only if its deadline had passed before the pause.
        for month in [ReportWindow.previous, ReportWindow.current] {
            let end = self.end(of: month)
            guard row.createdAt < end, row.settledAt.map({ $0 >= end }) ?? true else { continue }
            let responseLate = (row.respondedAt.map { $0 >= end } ?? true) && row.responseDueAt < end
            let resolutionLate = row.resolutionDueAt < end && !(row.pausedAt.map { $0 <= end && row.resolutionDueAt > $0 } ?? false)
            let age = Int((end - row.createdAt) / Self.day)
            let late = responseLate || resolutionLate
                ? Overdue(
                    due: responseLate ? row.responseDueAt : row.resolutionDueAt, id: row.id, clock: responseLate ? .response : .resolution,
                    status: row.status, cell: cell)
                : nil
            if let reopened = row.reopenedAt, reopened >= end {
                self.reopenedSince.append((row.id, cell, month, age, late))
                continue
            }
            self.countOpen(cell: cell, month: month, ageDays: age, late: late)
        }
    }

    mutating func countOpen(cell: Int, month: Int, ageDays: Int, late: Overdue?) {
        self.data.tallies[cell][month].backlog[Self.ageBucket(ageDays)] += 1
        guard let late else { return }
        self.data.tallies[cell][month].overdue += 1
        if month == ReportWindow.current { self.overdue.append(late) }
    }

    // MARK: - After the scan

    /// Complaints open at a month's end by their timestamps but reopened since: open then only if the history says
    /// their status at that moment was open (they may have been resolved, then reopened).
    mutating func countReopened(_ source: ReportSource) throws {
        for item in self.reopenedSince {
            let statusThen = try source.status(of: item.id, before: self.end(of: item.month)) ?? .submitted
            guard statusThen.isOpen else { continue }
            self.countOpen(cell: item.cell, month: item.month, ageDays: item.ageDays, late: item.overdue)
        }
    }

    /// The open complaints furthest past a deadline at the end of the report's month, with their tickets.
    mutating func listMostOverdue(_ source: ReportSource, limit: Int) throws {
        let top = self.overdue.sorted { ($0.due, $0.id) < ($1.due, $1.id) }.prefix(limit)
        let tickets = try source.tickets(top.map(\.id))
        self.data.mostOverdue = top.map {
            ReportOverdue(
                ticket: tickets[$0.id] ?? "", cell: self.data.cells[$0.cell], status: $0.status, clock: $0.clock,
                dueAt: Self.date($0.due))
        }
    }
}
