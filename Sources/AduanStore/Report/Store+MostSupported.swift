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
        // Only open complaints with support are read (off complaint_open_support), each one's +1s through the support
        // table's primary key: no scan of all the support ever given.
        let condition = scope
        let sql = { @Sendable (index: String) in
            """
            SELECT ticket, opd, category, region, status, supporters FROM (
                SELECT ticket, opd, category, region, status, supporters,
                    ROW_NUMBER() OVER (PARTITION BY opd ORDER BY supporters DESC, id) AS rank
                FROM (
                    SELECT c.id, c.ticket, c.opd, c.category, c.region, c.status,
                        (SELECT COUNT(*) FROM support s WHERE s.complaint_id = c.id AND s.created_at < ?) AS supporters
                    FROM complaint c \(index)
                    WHERE c.support_count > 0 AND c.created_at < ? AND c.status IN (\(ComplaintStatus.sqlList(ComplaintStatus.open))) \(condition)
                ) AS counted
                WHERE supporters > 0) AS ranked
            WHERE rank <= ? ORDER BY supporters DESC, opd, ticket
            """
        }
        let values = arguments.map { $0?.databaseValue ?? .null }
        return try await self.read { session in
            try session.fetch(sql(session.dialect.indexedBy("complaint_open_support")), values: values).map { row in
                SupportedRow(
                    ticket: row["ticket"], opd: row["opd"], category: row["category"], region: RegionCode(row["region"]),
                    status: try row.decode(forColumn: "status"), supporters: row["supporters"])
            }
        }
    }
}
