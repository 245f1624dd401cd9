import AduanCore
import Foundation
import GRDB
import GRDBSQLite

extension Store {
    /// Reads everything the monthly report needs in one read transaction (one consistent snapshot of the file).
    ///
    /// Why it reads this way: the report must cost about what a plain GROUP BY over the six months costs. A query
    /// per figure reads each complaint several times, in index order, jumping across the table; instead the
    /// complaints filed since shortly before the window are read once, in the table's order, and counted here. The
    /// few older ones that still matter (open, settled, answered or due in the window) are found through indexes.
    /// `workingSeconds` measures a clock stopped before version 3 of the schema fixed the measure on the complaint.
    public func reportData(
        _ window: ReportWindow, limit: Int, workingSeconds: @escaping @Sendable (_ from: Date, _ to: Date) -> Double
    ) async throws -> ReportData {
        try await self.writer.read { db in
            var reader = ReportReader(window: window, workingSeconds: workingSeconds)
            try reader.readMilestones(db)
            try reader.scan(db)
            try reader.resolveMilestones(db)
            try reader.checkReopened(db)
            try reader.readMostOverdue(db, limit: limit)
            return reader.data
        }
    }
}

/// Interns short byte strings (codes) read straight from SQLite, so that a row costs no String allocation and no
/// SipHash: an open-addressing table on an FNV-1a hash, compared byte for byte.
private struct CodeInterner {
    private var slots = [Int](repeating: -1, count: 1 << 12)
    private var stored: [[UInt8]] = []
    private(set) var names: [String] = []

    mutating func id(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        let mask = self.slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = self.slots[slot]
            if id < 0 { break }
            if self.stored[id].count == bytes.count
                && self.stored[id].withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 })
            {
                return id
            }
            slot = (slot + 1) & mask
        }
        let id = self.names.count
        self.stored.append(Array(bytes))
        self.names.append(String(decoding: bytes, as: UTF8.self))
        self.slots[slot] = id
        // Keep the table at most half full (codes are a few hundred; this is a safety net).
        if self.names.count * 2 > self.slots.count { self.grow() }
        return id
    }

    mutating func id(_ string: String) -> Int {
        var string = string
        return string.withUTF8 { self.id($0) }
    }

    private mutating func grow() {
        let old = self.stored
        self.slots = [Int](repeating: -1, count: self.slots.count * 2)
        self.stored = []
        let names = self.names
        self.names = []
        for bytes in old { _ = bytes.withUnsafeBufferPointer { self.id($0) } }
        precondition(self.names == names)
    }
}

/// The report's reading: see `Store.reportData`. Times are milliseconds since 1970 (UTC), as parsed from the stored
/// text. Duplicates merged into another complaint are left out of every figure but `merged`, so a complaint counts
/// once however often it was filed.
private struct ReportReader {
    let window: ReportWindow
    let workingSeconds: @Sendable (Date, Date) -> Double
    /// Month starts 0-5 and the end of month 5.
    let bounds: [Int64]
    let asOf: Int64
    var data = ReportData()

    private var opds = CodeInterner()
    private var areas = CodeInterner()
    private var categories = CodeInterner()
    private var statuses = CodeInterner()
    /// The statuses by interned id.
    private var statusByID: [ComplaintStatus] = []
    /// Cell index by (opd, area, category) ids: `[opd][area][category]`, -1 when not yet seen.
    private var cellTable: [[[Int]]] = []
    /// Forwards, reopens and ratings of the two months, by complaint id, waiting for the complaint's cell.
    private var milestones: [Int64: [(kind: Milestone, month: Int, from: String?, rating: Int)]] = [:]
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

    enum Milestone { case forwarded, reopened, rating }

    static let day: Int64 = 86_400_000

    init(window: ReportWindow, workingSeconds: @escaping @Sendable (Date, Date) -> Double) {
        self.window = window
        self.workingSeconds = workingSeconds
        self.bounds = window.boundaries.map(Self.millis)
        self.asOf = Self.millis(window.asOf)
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
    /// The stored text form of an instant, for comparisons in SQL.
    func text(_ millis: Int64) -> String { DatabaseTimestamp.string(Self.date(millis)) }

    var scopeSQL: String { self.window.opd == nil ? "" : "AND opd = :opd" }
    var scopeArguments: StatementArguments { self.window.opd.map { ["opd": $0] } ?? [:] }

    /// The month (0-5) of an instant, or nil outside `[bounds[0], asOf)`; `from` limits it to the later months.
    func month(_ instant: Int64?, from first: Int = 0) -> Int? {
        guard let instant, instant >= self.bounds[first], instant < self.asOf else { return nil }
        var month = 5
        while instant < self.bounds[month] { month -= 1 }
        return month
    }

    // MARK: - Cells

    mutating func cell(opd: Int, area: Int, category: Int) -> Int {
        while self.cellTable.count <= opd { self.cellTable.append([]) }
        while self.cellTable[opd].count <= area { self.cellTable[opd].append([]) }
        while self.cellTable[opd][area].count <= category { self.cellTable[opd][area].append(-1) }
        let known = self.cellTable[opd][area][category]
        if known >= 0 { return known }
        let index = self.data.cells.count
        self.cellTable[opd][area][category] = index
        self.data.cells.append(
            ReportCell(opd: self.opds.names[opd], area: self.areas.names[area], category: self.categories.names[category]))
        self.data.tallies.append(Array(repeating: ReportTally(), count: 6))
        return index
    }

    /// The kabupaten/kota of a region code: its first two levels (`18.71`), or the code itself when shorter.
    static func areaBytes(_ region: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: region.prefix(5))
    }

    // MARK: - Milestones (read first, so that the scan can note their complaints' cells)

    mutating func readMilestones(_ db: Database) throws {
        // The index's condition, word for word, so that SQLite reads only these events (aduan_0003_report.sql).
        let sql = """
            SELECT complaint_id, kind, at, details ->> '$.from', details ->> '$.rating' FROM complaint_event
            WHERE (kind IN ('forwarded', 'rating') OR (kind = 'status_changed' AND details ->> '$.to' = 'reopened'))
                AND at >= ? AND at < ?
            """
        let rows = try Row.fetchCursor(db, sql: sql, arguments: [self.text(self.bounds[4]), self.text(self.asOf)])
        while let row = try rows.next() {
            let at = Self.millis(row[2] as Date)
            guard let month = self.month(at, from: 4) else { continue }
            let kind: Milestone = switch row[1] as String {
            case "forwarded": .forwarded
            case "rating": .rating
            default: .reopened
            }
            let id: Int64 = row[0]
            self.milestones[id, default: []].append((kind, month, row[3], Int(row[4] as String? ?? "") ?? 0))
            let word = Int(id >> 6)
            if self.milestoneBits.count <= word { self.milestoneBits += Array(repeating: 0, count: word + 1 - self.milestoneBits.count) }
            self.milestoneBits[word] |= 1 << UInt64(id & 63)
        }
    }

    func hasMilestones(_ id: Int64) -> Bool {
        let word = Int(id >> 6)
        return word < self.milestoneBits.count && self.milestoneBits[word] & (1 << UInt64(id & 63)) != 0
    }

    /// Counts the milestones on their complaints' cells; a forward counts for the office that forwarded.
    mutating func resolveMilestones(_ db: Database) throws {
        // Where each complaint belongs: from the scan, or read now for those it did not read (older, or another
        // office's in a scoped report); nil for a duplicate.
        var homes: [Int64: (opd: String, area: String, category: String)?] = [:]
        for (id, cell) in self.milestoneCells { homes[id] = cell.map { (self.data.cells[$0].opd, self.data.cells[$0].area, self.data.cells[$0].category) } }
        let missing = self.milestones.keys.filter { homes[$0] == nil }
        for start in stride(from: 0, to: missing.count, by: 500) {
            let ids = missing[start..<min(start + 500, missing.count)].map(String.init).joined(separator: ",")
            for row in try Row.fetchAll(db, sql: "SELECT id, opd, region, category, status FROM complaint WHERE id IN (\(ids))") {
                let region: String = row[2]
                homes[row[0] as Int64] = (row[4] as String) == ComplaintStatus.duplicate.rawValue
                    ? .some(nil) : (row[1] as String, String(region.prefix(5)), row[3] as String)
            }
        }
        for (id, events) in self.milestones {
            guard let found = homes[id], let home = found else { continue }
            for event in events {
                // A forward counts for the office that forwarded; the rest for the office handling it now.
                let office = event.kind == .forwarded ? (event.from ?? home.opd) : home.opd
                guard self.window.opd == nil || self.window.opd == office else { continue }
                let cell = self.cell(opd: self.opds.id(office), area: self.areas.id(home.area), category: self.categories.id(home.category))
                switch event.kind {
                case .forwarded: self.data.tallies[cell][event.month].forwarded += 1
                case .reopened: self.data.tallies[cell][event.month].reopened += 1
                case .rating:
                    self.data.tallies[cell][event.month].ratings += 1
                    self.data.tallies[cell][event.month].ratingSum += event.rating
                }
            }
        }
    }

    // MARK: - The scan

    static let columns = """
        id, opd, category, region, status, created_at, response_due_at, responded_at, resolution_due_at, resolved_at,
        settled_at, paused_at, reopened_at, response_working_seconds, resolution_working_seconds
        """

    mutating func scan(_ db: Database) throws {
        let start = self.text(self.bounds[0])
        let first = try Int64.fetchOne(db, sql: "SELECT min(id) FROM complaint WHERE created_at >= ?", arguments: [start])
            ?? Int64.max
        var arguments: StatementArguments = ["first": first]
        _ = arguments.append(contentsOf: self.scopeArguments)
        // Filed in the window: in the table's order (ids follow filing time).
        try self.scan(db, sql: "SELECT \(Self.columns) FROM complaint WHERE id >= :first \(self.scopeSQL)", arguments: arguments)
        // Older ones that matter, found through indexes (each reads index entries only, and the table for matches):
        // open, settled in the window, first answered in the two months, or with a deadline in the window. (One
        // filed in the window with an id below `first` cannot exist: `first` is the least id filed in it.)
        var older: StatementArguments = ["first": first, "b0": start, "b4": self.text(self.bounds[4])]
        _ = older.append(contentsOf: self.scopeArguments)
        try self.scan(
            db,
            sql: """
                SELECT \(Self.columns) FROM complaint WHERE id IN (
                    SELECT id FROM complaint WHERE status IN ('submitted', 'in_progress', 'waiting_info', 'reopened') AND id < :first
                    UNION SELECT id FROM complaint WHERE settled_at >= :b0 AND id < :first
                    UNION SELECT id FROM complaint WHERE responded_at >= :b4 AND id < :first
                    UNION SELECT id FROM complaint WHERE response_due_at >= :b0 AND id < :first
                    UNION SELECT id FROM complaint
                        WHERE status IN ('submitted', 'in_progress', 'waiting_info', 'resolved', 'closed', 'reopened')
                            AND resolution_due_at >= :b0 AND id < :first
                ) \(self.scopeSQL)
                """, arguments: older)
    }

    private mutating func scan(_ db: Database, sql: String, arguments: StatementArguments) throws {
        let statement = try db.makeStatement(sql: sql)
        statement.arguments = arguments
        let handle = statement.sqliteStatement
        let rows = try Row.fetchCursor(statement)
        while try rows.next() != nil { self.count(handle) }
    }

    /// One complaint's part of every figure.
    private mutating func count(_ row: SQLiteStatement) {
        let id = sqlite3_column_int64(row, 0)
        let statusID = self.statuses.id(Self.bytes(row, 4))
        if statusID == self.statusByID.count {
            self.statusByID.append(ComplaintStatus(rawValue: self.statuses.names[statusID]) ?? .submitted)
        }
        let status = self.statusByID[statusID]
        let settled = Self.time(row, 10)
        if status == .duplicate {
            if let month = self.month(settled, from: 4) {
                let cell = self.cell(row)
                self.data.tallies[cell][month].merged += 1
            }
            if self.hasMilestones(id) { self.milestoneCells[id] = .some(nil) }
            return
        }
        let cell = self.cell(row)
        if self.hasMilestones(id) { self.milestoneCells[id] = cell }
        let created = Self.time(row, 5) ?? 0
        let responseDue = Self.time(row, 6) ?? 0
        let responded = Self.time(row, 7)
        let resolutionDue = Self.time(row, 8) ?? 0
        let resolved = Self.time(row, 9)
        let paused = Self.time(row, 11)
        let reopened = Self.time(row, 12)

        if let month = self.month(created, from: 4) { self.data.tallies[cell][month].received += 1 }
        // Compliance: due in the month, answered by the deadline; unanswered is a miss.
        if let month = self.month(responseDue) {
            self.data.tallies[cell][month].responseDue += 1
            if let responded, responded <= responseDue { self.data.tallies[cell][month].respondedInTime += 1 }
        }
        // A rejected complaint has nothing to resolve; one paused before its deadline is not due yet (it moves).
        if status != .rejected, !(paused.map { $0 < resolutionDue } ?? false), let month = self.month(resolutionDue) {
            self.data.tallies[cell][month].resolutionDue += 1
            if let resolved, resolved <= resolutionDue { self.data.tallies[cell][month].resolvedInTime += 1 }
        }
        if let month = self.month(settled, from: 4) {
            switch status {
            case .resolved, .closed:
                self.data.tallies[cell][month].resolved += 1
                let seconds = Self.double(row, 14) ?? self.workingSeconds(Self.date(created), Self.date(resolved ?? settled!))
                self.data.resolutionTimes.append(ReportDuration(cell: cell, month: month, workingSeconds: seconds))
            case .rejected: self.data.tallies[cell][month].rejected += 1
            default: break
            }
        }
        if let month = self.month(responded, from: 4) {
            let seconds = Self.double(row, 13) ?? self.workingSeconds(Self.date(created), Self.date(responded!))
            self.data.responseTimes.append(ReportDuration(cell: cell, month: month, workingSeconds: seconds))
        }
        // Open at each month's end (filed before it, not settled by it), by age, and overdue: a running clock past
        // its deadline; a clock paused at the end runs late only if its deadline had passed before the pause.
        for month in [ReportWindow.previous, ReportWindow.current] {
            let end = month == ReportWindow.current ? self.asOf : self.bounds[month + 1]
            guard created < end, settled.map({ $0 >= end }) ?? true else { continue }
            let responseLate = (responded.map { $0 >= end } ?? true) && responseDue < end
            let resolutionLate = resolutionDue < end && !(paused.map { $0 <= end && resolutionDue > $0 } ?? false)
            let age = Int((end - created) / Self.day)
            let late = responseLate || resolutionLate
                ? Overdue(due: responseLate ? responseDue : resolutionDue, id: id, clock: responseLate ? .response : .resolution,
                          status: status, cell: cell)
                : nil
            if let reopened, reopened >= end {
                self.reopenedSince.append((id, cell, month, age, late))
                continue
            }
            self.data.tallies[cell][month].backlog[Self.ageBucket(age)] += 1
            if let late {
                self.data.tallies[cell][month].overdue += 1
                if month == ReportWindow.current { self.overdue.append(late) }
            }
        }
    }

    static func ageBucket(_ days: Int) -> Int { days > 30 ? 3 : days > 14 ? 2 : days > 7 ? 1 : 0 }

    private mutating func cell(_ row: SQLiteStatement) -> Int {
        self.cell(
            opd: self.opds.id(Self.bytes(row, 1)), area: self.areas.id(Self.areaBytes(Self.bytes(row, 3))),
            category: self.categories.id(Self.bytes(row, 2)))
    }

    // MARK: - Column access without copies

    static func bytes(_ row: SQLiteStatement, _ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let text = sqlite3_column_text(row, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(row, column)))
    }

    static func double(_ row: SQLiteStatement, _ column: Int32) -> Double? {
        sqlite3_column_type(row, column) == SQLITE_NULL ? nil : sqlite3_column_double(row, column)
    }

    /// A stored timestamp (`YYYY-MM-DD HH:MM:SS[.SSS]`, UTC) in milliseconds since 1970; nil when NULL.
    static func time(_ row: SQLiteStatement, _ column: Int32) -> Int64? {
        guard sqlite3_column_type(row, column) != SQLITE_NULL else { return nil }
        let text = self.bytes(row, column)
        guard text.count >= 19 else { return nil }
        func number(_ from: Int, _ count: Int) -> Int64 {
            var value: Int64 = 0
            for index in from..<from + count { value = value * 10 + Int64(text[index] &- 48) }
            return value
        }
        let days = Int64(LocalDate.dayNumber(year: Int(number(0, 4)), month: Int(number(5, 2)), day: Int(number(8, 2))))
        var millis = ((days * 24 + number(11, 2)) * 60 + number(14, 2)) * 60_000 + number(17, 2) * 1000
        if text.count >= 23 && text[19] == UInt8(ascii: ".") { millis += number(20, 3) }
        return millis
    }

    // MARK: - After the scan

    /// Complaints open at a month's end by their timestamps but reopened since: open then only if the history says
    /// their status at that moment was open (they may have been resolved, then reopened).
    mutating func checkReopened(_ db: Database) throws {
        let statement = try db.makeStatement(
            sql: """
                SELECT details ->> '$.to' FROM complaint_event
                WHERE complaint_id = ? AND kind = 'status_changed' AND at < ? ORDER BY id DESC LIMIT 1
                """)
        for item in self.reopenedSince {
            let end = item.month == ReportWindow.current ? self.asOf : self.bounds[item.month + 1]
            let statusThen = try String.fetchOne(statement, arguments: [item.id, self.text(end)]).flatMap(ComplaintStatus.init(rawValue:))
            guard (statusThen ?? .submitted).isOpen else { continue }
            self.data.tallies[item.cell][item.month].backlog[Self.ageBucket(item.ageDays)] += 1
            if let late = item.overdue {
                self.data.tallies[item.cell][item.month].overdue += 1
                if item.month == ReportWindow.current { self.overdue.append(late) }
            }
        }
    }

    /// The open complaints furthest past a deadline at the end of the report's month, with their tickets.
    mutating func readMostOverdue(_ db: Database, limit: Int) throws {
        let top = self.overdue.sorted { ($0.due, $0.id) < ($1.due, $1.id) }.prefix(limit)
        guard !top.isEmpty else { return }
        let tickets = try Dictionary(
            uniqueKeysWithValues: Row.fetchAll(
                db, sql: "SELECT id, ticket FROM complaint WHERE id IN (\(top.map { String($0.id) }.joined(separator: ",")))"
            ).map { ($0[0] as Int64, $0[1] as String) })
        self.data.mostOverdue = top.map {
            ReportOverdue(
                ticket: tickets[$0.id] ?? "", cell: self.data.cells[$0.cell], status: $0.status, clock: $0.clock,
                dueAt: Self.date($0.due))
        }
    }
}
