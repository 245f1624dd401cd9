import AduanCore
import AduanStore
import Foundation

/// The formats a report is rendered in.
public enum ReportFormat: String, Sendable, CaseIterable {
    case html, md, csv, json

    public var mediaType: String {
        switch self {
        case .html: return "text/html; charset=utf-8"
        case .md: return "text/markdown; charset=utf-8"
        case .csv: return "text/csv; charset=utf-8"
        case .json: return "application/json"
        }
    }

    public var fileExtension: String { self.rawValue }

    /// The report in this format; with `catalog`, the HTML has the map of compliance per kabupaten/kota.
    public func render(_ report: MonthlyReport, catalog: Catalog? = nil) throws -> String {
        switch self {
        case .json: return try ReportJSON.encode(report)
        case .csv: return ReportCSV.render(report)
        case .md: return ReportMarkdown.render(report)
        case .html: return ReportHTML.render(report, catalog: catalog)
        }
    }
}

/// The JSON of a report (a monthly report or a rakor pack): what a snapshot keeps (snake_case keys, sorted) and the JSON
/// format serves.
public enum ReportJSON {
    public static func encode(_ report: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }

    public static func decode<Report: Decodable>(_ text: String, as type: Report.Type = MonthlyReport.self) throws -> Report {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(text.utf8))
    }
}

/// A report kept in versions: the monthly report and the rakor pack.
public protocol VersionedReport: Codable, Sendable {
    /// Set when kept: 1 for the first generation of its period and scope.
    var version: Int { get set }
}

extension MonthlyReport: VersionedReport {}
extension RakorPack: VersionedReport {}

extension Store {
    /// Keeps `report` as the next version of its kind, period and scope and returns it with that version. With
    /// `replacing` (a reader's generation: the latest version it saw), when another request kept a newer version
    /// meanwhile, that one is returned and nothing is kept.
    func keep<Report: VersionedReport>(
        _ report: Report, kind: ReportKind, period: String, scope: String, generatedAt: Date, generatedBy: String, replacing seen: Int?
    ) async throws -> Report {
        let snapshot = try await self.saveReport(
            kind: kind, period: period, scope: scope, generatedAt: generatedAt, generatedBy: generatedBy, replacing: seen
        ) { version in
            var versioned = report
            versioned.version = version
            return try ReportJSON.encode(versioned)
        }
        guard snapshot.isNew else { return try ReportJSON.decode(snapshot.body, as: Report.self) }
        var kept = report
        kept.version = snapshot.version
        return kept
    }
}
