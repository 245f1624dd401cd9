import AduanCore
import AduanReport
import AduanStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth

/// `/v1/reports/monthly`: the monthly SLA report for staff. Supervisors and admins get the province's report (or one
/// office's with `opd`); an office's triage and officers get their own office's. A report is kept as an immutable
/// snapshot: GET serves the latest kept version (generating the first one if there is none) or the `version` asked
/// for; POST generates a new version (supervisors and admins). One generation per month and scope runs at a time.
struct ReportsController<Context: AuthRequestContext<StaffMember>> {
    let store: Store
    let authenticator: StaffAuthenticator<Context>
    /// The catalog in force, with the operators' calendar changes.
    let catalog: LiveCatalog
    let complianceTarget: Double
    /// One run per month and scope at a time, whether a reader's first generation or a supervisor's new version.
    let runs: SingleFlight<MonthlyReport>
    /// The same for rakor packs (`ReportsController+Rakor.swift`).
    let rakorRuns: SingleFlight<RakorPack>
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<Context>) {
        let reports = group.group("reports").add(middleware: self.authenticator)
        reports.get("monthly", use: self.show)
        reports.post("monthly", use: self.generate)
        reports.get("rakor", use: self.showRakor)
        reports.post("rakor", use: self.generateRakor)
    }

    /// What a request asks for, after the member's scope is applied.
    struct Selection {
        let month: String
        let opd: String?
        let format: ReportFormat
        let version: Int?
        /// The snapshot scope: the office, or the province.
        var scope: String { self.opd ?? ReportScope.provinceCode }
    }

    func selection(_ request: Request, member: StaffMember) throws -> Selection {
        let parameters = request.uri.queryParameters
        let month =
            parameters["month"].map(String.init)
            ?? ReportMonth(containing: self.catalog.current.calendar.local(self.now()).date).adding(-1).description
        guard ReportMonth(month) != nil else { throw Problem(.badRequest, context: "month: YYYY-MM, for example 2026-10") }
        let format =
            try parameters["format"].map { raw in
                guard let format = ReportFormat(rawValue: String(raw)) else {
                    throw Problem(.badRequest, context: "format: one of \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return format
            } ?? .json
        var opd = parameters["opd"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        if !member.role.isProvinceWide {
            // An office's staff see their own office's report, and no other.
            if let opd, opd != member.opd { throw Problem(.forbidden, context: "report of \(opd)") }
            opd = member.opd
        }
        if let opd, self.catalog.current.opds[opd] == nil { throw Problem(.badRequest, context: "opd: unknown value '\(opd)'") }
        let version = try parameters["version"].map { raw in
            guard let version = Int(raw), version >= 1 else { throw Problem(.badRequest, context: "version: a number from 1") }
            return version
        }
        return Selection(month: month, opd: opd, format: format, version: version)
    }

    @Sendable func show(_ request: Request, context: Context) async throws -> Response {
        let member = try context.staffMember()
        let selection = try self.selection(request, member: member)
        let report = try await self.reporting {
            if let version = selection.version {
                guard let kept = try await self.reports.kept(month: selection.month, opd: selection.opd, version: version) else {
                    throw Problem(.notFound)
                }
                return kept
            }
            if let ready = try await self.reports.ready(month: selection.month, opd: selection.opd, now: self.now()) { return ready }
            return try await self.runs.run("\(selection.month)|\(selection.scope)") {
                try await self.reports.latest(
                    month: selection.month, opd: selection.opd, now: self.now(), generatedBy: Self.generatedBy(member))
            }
        }
        return try self.response(report, selection.format, status: .ok)
    }

    @Sendable func generate(_ request: Request, context: Context) async throws -> Response {
        let member = try context.staffMember()
        let selection = try self.selection(request, member: member)
        guard selection.version == nil else { throw Problem(.badRequest, context: "version: set by the server when generating") }
        // A new version replaces what the province reads at its rakor: for supervisors and admins only.
        guard member.role.isProvinceWide else { throw Problem(.forbidden, context: "\(member.role.rawValue): generate a report") }
        let report = try await self.reporting {
            try await self.runs.run("\(selection.month)|\(selection.scope)") {
                try await self.reports.generate(
                    month: selection.month, opd: selection.opd, now: self.now(), generatedBy: Self.generatedBy(member))
            }
        }
        var headers = HTTPFields()
        var location = "/v1/reports/monthly?month=\(report.period)&version=\(report.version)"
        if let opd = selection.opd { location += "&opd=\(opd)" }
        headers[.location] = location
        return try self.response(report, selection.format, status: .created, headers: headers)
    }

    var reports: MonthlyReports {
        MonthlyReports(catalog: self.catalog.current, store: self.store, complianceTarget: self.complianceTarget)
    }

    /// As the report's provenance line shows it: the member's name, and the id the audit log knows them by.
    static func generatedBy(_ member: StaffMember) -> String { "\(member.name) (staf #\(member.id))" }

    /// A report that cannot be made (a month not started, say) is the client's mistake.
    func reporting(_ body: () async throws -> MonthlyReport) async throws -> MonthlyReport {
        do {
            return try await body()
        } catch let error as ReportError {
            throw Problem(.badRequest, context: error.description)
        }
    }

    func response(_ report: MonthlyReport, _ format: ReportFormat, status: HTTPResponse.Status, headers: HTTPFields = [:]) throws
        -> Response
    {
        var headers = headers
        headers[.contentType] = format.mediaType
        headers[.contentDisposition] =
            "inline; filename=\"laporan-sla-\(report.period)-\(report.scope.code)-v\(report.version).\(format.fileExtension)\""
        headers[HTTPField.Name("Aduan-Report-Version")!] = String(report.version)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: try format.render(report, catalog: self.catalog.current))))
    }
}
