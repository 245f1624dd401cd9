import Foundation

/// A calendar month, `YYYY-MM`, as reports and the monthly counters name it, and its place on the region's calendar.
public struct ReportMonth: Hashable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    /// Parses `YYYY-MM` (months from 2000 to 2999), ASCII digits only (`Int` alone would take `+1`).
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }),
            let year = Int(parts[0]), let month = Int(parts[1]), (2000...2999).contains(year), (1...12).contains(month)
        else { return nil }
        self.year = year
        self.month = month
    }

    public init(containing date: LocalDate) {
        self.year = date.year
        self.month = date.month
    }

    public var description: String { "\(self.year)-\(zeroPadded(self.month, 2))" }
    public var firstDay: LocalDate { LocalDate(year: self.year, month: self.month, day: 1)! }
    public func adding(_ months: Int) -> ReportMonth { ReportMonth(containing: self.firstDay.firstOfMonth(adding: months)) }

    /// Indonesian month name and year, as the report's title shows it.
    public var nameID: String { "\(Self.monthNamesID[self.month - 1]) \(self.year)" }
    /// `Sep 2026`: short, and not to be read as a day of the month.
    public var shortNameID: String { "\(Self.monthNamesID[self.month - 1].prefix(3)) \(self.year)" }
    public static let monthNamesID = [
        "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ]
}
