import AduanCore
import Foundation

/// The months a rakor pack covers, inclusive: a quarter (`2026Q3`) or any span (`2026-07` to `2026-09`).
public struct RakorPeriod: Hashable, Sendable, CustomStringConvertible {
    public let first: ReportMonth
    public let last: ReportMonth

    public init?(first: ReportMonth, last: ReportMonth) {
        guard first.firstDay <= last.firstDay, Self.months(first, last) <= 24 else { return nil }
        self.first = first
        self.last = last
    }

    /// `2026Q3`.
    public init?(quarter text: String) {
        let parts = text.uppercased().split(separator: "Q", omittingEmptySubsequences: false)
        guard parts.count == 2, let year = ReportMonth("\(parts[0])-01")?.year, parts[1].count == 1, let quarter = Int(parts[1]),
            (1...4).contains(quarter), let first = ReportMonth("\(year)-\(zeroPadded(quarter * 3 - 2, 2))")
        else { return nil }
        self.init(first: first, last: first.adding(2))
    }

    /// `2026-07/2026-09`, as a snapshot keeps it.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let first = ReportMonth(String(parts[0])), let last = ReportMonth(String(parts[1])) else { return nil }
        self.init(first: first, last: last)
    }

    /// The period a caller asked for: a quarter, or the first and last month, or neither (the last full quarter
    /// before `today`). The CLI's options and the HTTP query both come here.
    public static func resolve(quarter: String?, from: String?, to: String?, today: LocalDate) throws -> RakorPeriod {
        switch (quarter, from, to) {
        case (nil, nil, nil):
            return Self.lastFullQuarter(before: today)
        case (let quarter?, nil, nil):
            guard let period = RakorPeriod(quarter: quarter) else { throw RakorError.invalidPeriod(quarter) }
            return period
        case (nil, let from?, let to?):
            guard let first = ReportMonth(from), let last = ReportMonth(to), let period = RakorPeriod(first: first, last: last) else {
                throw RakorError.invalidPeriod("\(from) to \(to)")
            }
            return period
        default:
            throw RakorError.ambiguousPeriod
        }
    }

    /// The last full quarter before the month containing `date`.
    public static func lastFullQuarter(before date: LocalDate) -> RakorPeriod {
        let month = ReportMonth(containing: date)
        let quarterStart = month.adding(-((month.month - 1) % 3))
        return RakorPeriod(first: quarterStart.adding(-3), last: quarterStart.adding(-1))!
    }

    public var description: String { "\(self.first)/\(self.last)" }
    public var monthCount: Int { Self.months(self.first, self.last) }
    /// The same number of months just before.
    public var previous: RakorPeriod { RakorPeriod(first: self.first.adding(-self.monthCount), last: self.first.adding(-1))! }

    /// `Triwulan III 2026` for a calendar quarter, else `Juli 2026 – September 2026`.
    public var nameID: String {
        if self.monthCount == 3, self.first.month % 3 == 1, self.first.year == self.last.year {
            return "Triwulan \(["I", "II", "III", "IV"][self.first.month / 3]) \(self.first.year)"
        }
        return self.monthCount == 1 ? self.first.nameID : "\(self.first.nameID) – \(self.last.nameID)"
    }

    static func months(_ first: ReportMonth, _ last: ReportMonth) -> Int { (last.year - first.year) * 12 + last.month - first.month + 1 }
}
