import AduanCore
import AduanStore
import Foundation

/// Why a rakor pack cannot be made.
public enum RakorError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidPeriod(String)
    case ambiguousPeriod
    case periodNotStarted(String)
    case unknownDesk(String)
    case unknownKabupatenKota(String)

    public var description: String {
        switch self {
        case .invalidPeriod(let text):
            return "period '\(text)': a quarter (2026Q3) or months YYYY-MM to YYYY-MM, the first not after the last, at most 24"
        case .ambiguousPeriod: return "give a quarter, or the first and last month together, or neither (the last full quarter)"
        case .periodNotStarted(let text): return "period \(text) has not started yet"
        case .unknownDesk(let code): return "unknown desk '\(code)' (see the catalog's rakor desks)"
        case .unknownKabupatenKota(let code): return "unknown kabupaten/kota '\(code)' (a code such as 18.71)"
        }
    }
}

/// Makes a rakor pack from the database: `RakorAnalysis` finds and measures the issues, this ranks them, drafts the
/// points of agreement and puts the desks together.
public struct RakorPackBuilder: Sendable {
    public let catalog: Catalog
    public let store: Store
    public var rules = RakorRules()

    public init(catalog: Catalog, store: Store) {
        self.catalog = catalog
        self.store = store
    }

    public func build(period: RakorPeriod, opd: String?, desk: String?, kabupatenKota: String?, now: Date, generatedBy: String)
        async throws -> RakorPack
    {
        if let opd, self.catalog.opds[opd] == nil { throw ReportError.unknownOPD(opd) }
        let deskEntry = try desk.map { code in
            guard let found = self.catalog.rakor.desks.first(where: { $0.code == code }) else { throw RakorError.unknownDesk(code) }
            return found
        }
        if let area = kabupatenKota, !self.catalog.kabupatenKota.contains(where: { $0.code.rawValue == area }) {
            throw RakorError.unknownKabupatenKota(area)
        }
        let calendar = self.catalog.calendar
        let instant = { (month: ReportMonth) in calendar.instant(month.firstDay, minute: 0) }
        let (previousStart, start, end) = (instant(period.previous.first), instant(period.first), instant(period.last.adding(1)))
        guard now > start else { throw RakorError.periodNotStarted(period.description) }
        let asOf = min(now, end)
        let millis = { (date: Date) in Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        var analysis = RakorAnalysis(
            catalog: self.catalog, rules: self.rules, previousStart: millis(previousStart), start: millis(start), asOf: millis(asOf),
            opd: opd,
            desk: deskEntry, kabupatenKota: kabupatenKota)
        let endMillis = millis(end)
        analysis = try await self.store.readReport { [analysis] source in
            var copy = analysis
            try copy.run(source, end: endMillis)
            return copy
        }
        let scope =
            opd.map { ReportScope(code: $0, name: self.catalog.opds[$0]?.name ?? $0) }
            ?? ReportScope(code: ReportScope.provinceCode, name: self.catalog.regions[self.catalog.province]?.name ?? self.catalog.name)
        let ranked = analysis.issues.sorted(by: Self.ranking)
        let desks = self.catalog.rakor.desks.filter { deskEntry == nil || $0.code == deskEntry?.code }.map { desk in
            let own = ranked.filter { $0.desk == desk.code }
            let issues = [StrategicIssue.Kind.hotspot, .backlog, .crossLevel].flatMap { kind in
                own.filter { $0.kind == kind }.prefix(self.rules.issuesPerDesk)
            }.sorted(by: Self.ranking)
            let themes = self.catalog.rakor.themes.filter { theme in theme.categories.contains { desk.categories.contains($0) } }
            return RakorDeskSection(
                code: desk.code, name: desk.name, categories: desk.categories, themes: themes.map(\.name),
                received: desk.categories.reduce(0) { $0 + (analysis.received[$1]?.current ?? 0) },
                previousReceived: desk.categories.reduce(0) { $0 + (analysis.received[$1]?.previous ?? 0) }, issues: issues,
                agreements: issues.prefix(self.rules.agreementsPerDesk).enumerated().map { index, issue in
                    AgreementPoint(number: index + 1, issue: issue, evidence: RakorText.evidence(issue))
                })
        }
        return RakorPack(
            period: period.description, previousPeriod: period.previous.description, scope: scope, desk: desk, kabupatenKota: kabupatenKota,
            version: 0, generatedAt: calendar.iso8601(now), generatedBy: generatedBy, asOf: calendar.iso8601(asOf), provisional: asOf < end,
            rules: self.rules, areas: analysis.areas.values.sorted { $0.code < $1.code },
            topIssues: Array(ranked.prefix(self.rules.topIssues)), desks: desks)
    }

    /// Highest score first; ties by more complaints, then by kind, place and category, so the order never wavers.
    static func ranking(_ a: StrategicIssue, _ b: StrategicIssue) -> Bool {
        if a.score != b.score { return a.score > b.score }
        if a.count != b.count { return a.count > b.count }
        return (a.kind.rawValue, a.area, a.category, a.place) < (b.kind.rawValue, b.area, b.category, b.place)
    }
}
