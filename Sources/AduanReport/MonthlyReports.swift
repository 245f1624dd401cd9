import AduanCore
import AduanStore
import Foundation

/// The monthly reports of one database: generating a report keeps it as the next version, so that the figures shown
/// at a rakor never move afterwards. The HTTP route and `aduan-admin report` both go through here.
public struct MonthlyReports: Sendable {
    public let builder: MonthlyReportBuilder
    var store: Store { self.builder.store }
    var catalog: Catalog { self.builder.catalog }

    public init(catalog: Catalog, store: Store, complianceTarget: Double = MonthlyReport.defaultComplianceTarget) {
        var builder = MonthlyReportBuilder(catalog: catalog, store: store)
        builder.complianceTarget = complianceTarget
        self.builder = builder
    }

    /// Generates the report of `month` for the province (`opd` nil) or one office, and keeps it as the next version.
    /// `replacing` is for a generation a reader set off (the latest version it saw, 0 for none): when another request
    /// kept a newer version meanwhile, that one is returned and nothing is kept, so readers arriving together make one
    /// version, not one each.
    public func generate(month: String, opd: String?, now: Date, generatedBy: String, replacing seen: Int? = nil)
        async throws -> MonthlyReport
    {
        let report = try await self.builder.build(month: month, opd: opd, now: now, generatedBy: generatedBy)
        return try await self.store.keep(
            report, kind: .monthlySLA, period: report.period, scope: report.scope.code, generatedAt: now, generatedBy: generatedBy,
            replacing: seen)
    }

    /// The latest kept version when it can be served as it is; nil when a reader's generation is due (none kept, or a
    /// provisional one of a month now over).
    public func ready(month: String, opd: String?, now: Date) async throws -> MonthlyReport? {
        guard let snapshot = try await self.store.report(period: month, scope: opd ?? ReportScope.provinceCode),
            !snapshot.provisional || !self.isOver(month, now: now)
        else { return nil }
        return try ReportJSON.decode(snapshot.body)
    }

    /// What a reader gets: the latest kept version, or version 1 generated when none is kept. A version made before
    /// its month was over is replaced by a new one at the first read after the month ends.
    public func latest(month: String, opd: String?, now: Date, generatedBy: String) async throws -> MonthlyReport {
        let scope = opd ?? ReportScope.provinceCode
        let snapshot = try await self.store.report(period: month, scope: scope)
        if let snapshot, !snapshot.provisional || !self.isOver(month, now: now) {
            return try ReportJSON.decode(snapshot.body)
        }
        return try await self.generate(month: month, opd: opd, now: now, generatedBy: generatedBy, replacing: snapshot?.version ?? 0)
    }

    /// A kept version, or nil when there is none.
    public func kept(month: String, opd: String?, version: Int) async throws -> MonthlyReport? {
        guard let snapshot = try await self.store.report(period: month, scope: opd ?? ReportScope.provinceCode, version: version) else {
            return nil
        }
        return try ReportJSON.decode(snapshot.body)
    }

    /// Whether `month` is over at `now` on the province's calendar.
    public func isOver(_ month: String, now: Date) -> Bool {
        guard let next = ReportMonth(month)?.adding(1) else { return false }
        return now >= self.catalog.calendar.instant(next.firstDay, minute: 0)
    }
}
