import AduanCore
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
