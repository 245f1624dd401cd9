import AduanCore
import AduanReport
import AduanStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth

/// `/v1/reports/rakor`: the rakor pack, scoped as the monthly report is (an office's staff get their own office's
/// pack; supervisors and admins the province's, or one office's with `opd`), kept in versions as it is.
extension ReportsController {
    struct RakorSelection {
        let period: RakorPeriod
        let opd: String?
        let desk: String?
        let kabupatenKota: String?
        let format: ReportFormat
        let version: Int?
        var key: String { "rakor|\(self.period)|\(RakorPacks.scope(opd: self.opd, desk: self.desk, kabupatenKota: self.kabupatenKota))" }
    }

    func rakorSelection(_ request: Request, member: StaffMember) throws -> RakorSelection {
        let parameters = request.uri.queryParameters
        let catalog = self.catalog.current
        let text = { (name: String) -> String? in parameters[name[...]].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        let period: RakorPeriod
        do {
            period = try RakorPeriod.resolve(
                quarter: text("quarter"), from: text("from"), to: text("to"), today: catalog.calendar.local(self.now()).date)
        } catch let error as RakorError {
            throw Problem(.badRequest, context: error.description)
        }
        // The office scope is the monthly report's: its parsing and its rules.
        let monthly = try self.selection(request, member: member)
        return RakorSelection(
            period: period, opd: monthly.opd, desk: text("desk"), kabupatenKota: text("kabkota"), format: monthly.format,
            version: monthly.version)
    }

    var rakorPacks: RakorPacks { RakorPacks(catalog: self.catalog.current, store: self.store) }

    @Sendable func showRakor(_ request: Request, context: Context) async throws -> Response {
        let member = try context.staffMember()
        let selection = try self.rakorSelection(request, member: member)
        let pack = try await self.packing {
            if let version = selection.version {
                guard
                    let kept = try await self.rakorPacks.kept(
                        period: selection.period, opd: selection.opd, desk: selection.desk, kabupatenKota: selection.kabupatenKota,
                        version: version)
                else { throw Problem(.notFound) }
                return kept
            }
            return try await self.rakorRuns.run(selection.key) {
                try await self.rakorPacks.latest(
                    period: selection.period, opd: selection.opd, desk: selection.desk, kabupatenKota: selection.kabupatenKota,
                    now: self.now(),
                    generatedBy: Self.generatedBy(member))
            }
        }
        return try self.rakorResponse(pack, selection.format, status: .ok)
    }

    @Sendable func generateRakor(_ request: Request, context: Context) async throws -> Response {
        let member = try context.staffMember()
        let selection = try self.rakorSelection(request, member: member)
        guard selection.version == nil else { throw Problem(.badRequest, context: "version: set by the server when generating") }
        guard member.role.isProvinceWide else { throw Problem(.forbidden, context: "\(member.role.rawValue): generate a rakor pack") }
        let pack = try await self.packing {
            try await self.rakorRuns.run(selection.key) {
                try await self.rakorPacks.generate(
                    period: selection.period, opd: selection.opd, desk: selection.desk, kabupatenKota: selection.kabupatenKota,
                    now: self.now(),
                    generatedBy: Self.generatedBy(member))
            }
        }
        var location = "/v1/reports/rakor?from=\(selection.period.first)&to=\(selection.period.last)&version=\(pack.version)"
        if let opd = selection.opd { location += "&opd=\(opd)" }
        if let desk = selection.desk { location += "&desk=\(desk)" }
        if let area = selection.kabupatenKota { location += "&kabkota=\(area)" }
        var headers = HTTPFields()
        headers[.location] = location
        return try self.rakorResponse(pack, selection.format, status: .created, headers: headers)
    }

    func packing(_ body: () async throws -> RakorPack) async throws -> RakorPack {
        do {
            return try await body()
        } catch let error as RakorError {
            throw Problem(.badRequest, context: error.description)
        } catch let error as ReportError {
            throw Problem(.badRequest, context: error.description)
        }
    }

    func rakorResponse(_ pack: RakorPack, _ format: ReportFormat, status: HTTPResponse.Status, headers: HTTPFields = [:]) throws -> Response
    {
        var headers = headers
        headers[.contentType] = format.mediaType
        let name = "bahan-rakor-\(pack.period.replacingOccurrences(of: "/", with: "_"))-\(pack.scope.code)-v\(pack.version)"
        headers[.contentDisposition] = "inline; filename=\"\(name).\(format.fileExtension)\""
        headers[HTTPField.Name("Aduan-Report-Version")!] = String(pack.version)
        return Response(
            status: status, headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: try format.render(pack, catalog: self.catalog.current))))
    }
}
