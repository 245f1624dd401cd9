import AduanCore
import Foundation
import GRDB

/// An open complaint with the support it had gathered by a given instant.
public struct SupportedRow: Sendable, Hashable {
    public let ticket: String
    public let opd: String
    public let category: String
    public let region: RegionCode
    public let status: ComplaintStatus
    public let supporters: Int
}

extension Store {
    /// The open complaints with the most support given before `asOf`, the first `perOffice` of each handling office (or
    /// of `opd` alone, with those escalated to it), most supported first. A complaint is open as it stands now, and
    /// support withdrawn since `asOf` no longer counts: support keeps no history of withdrawals.
    public func mostSupported(asOf: Date, opd: String?, perOffice: Int) async throws -> [SupportedRow] {
        let at = DatabaseTimestamp.string(asOf)
        var arguments: [(any DatabaseValueConvertible)?] = [at, at]
        var scope = ""
        if let opd {
            scope = "AND (c.opd = ? OR c.escalated_to = ?)"
            arguments += [opd, opd]
        }
        arguments.append(perOffice)
        let sql = """
            SELECT ticket, opd, category, region, status, supporters FROM (
                SELECT c.ticket, c.opd, c.category, c.region, c.status, COUNT(*) AS supporters,
                    ROW_NUMBER() OVER (PARTITION BY c.opd ORDER BY COUNT(*) DESC, c.id) AS rank
                FROM support s JOIN complaint c ON c.id = s.complaint_id
                WHERE s.created_at < ? AND c.created_at < ? AND c.status IN (\(ComplaintStatus.sqlList(ComplaintStatus.open))) \(scope)
                GROUP BY c.id)
            WHERE rank <= ? ORDER BY supporters DESC, opd, ticket
            """
        let statementArguments = StatementArguments(arguments)
        return try await self.writer.read { db in
            try Row.fetchAll(db, sql: sql, arguments: statementArguments).map { row in
                SupportedRow(
                    ticket: row["ticket"], opd: row["opd"], category: row["category"], region: RegionCode(row["region"]),
                    status: try row.decode(forColumn: "status"), supporters: row["supporters"])
            }
        }
    }
}
