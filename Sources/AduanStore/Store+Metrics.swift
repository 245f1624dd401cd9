import AduanCore
import Foundation
import GRDB

/// What `/metrics` reads from the database at each scrape.
public struct StoreGauges: Sendable {
    /// Open complaints per office, and how many of them are at risk of or past a deadline.
    public var offices: [String: (open: Int, atRisk: Int, breached: Int)] = [:]
    /// Deliveries (webhooks and reporters' messages) not yet delivered.
    public var pendingDeliveries = 0
    /// The database file and its WAL, in bytes.
    public var databaseBytes: Int64 = 0
    /// Filings waiting for the next group commit.
    public var submissionsWaiting = 0
}

extension Store {
    /// The figures of the moment for `/metrics`: one read of the open complaints, grouped by office.
    public func gauges() async throws -> StoreGauges {
        var gauges = try await self.read { session in
            var gauges = StoreGauges()
            let rows = try session.fetchAll(
                """
                SELECT opd, count(*) AS open,
                    sum(CASE WHEN response_sla = 'at_risk' OR resolution_sla = 'at_risk' THEN 1 ELSE 0 END) AS at_risk,
                    sum(CASE WHEN response_sla = 'breached' OR resolution_sla = 'breached' THEN 1 ELSE 0 END) AS breached
                FROM complaint WHERE status IN (\(ComplaintStatus.sqlList(ComplaintStatus.open))) GROUP BY opd
                """)
            for row in rows { gauges.offices[row["opd"]] = (row["open"], row["at_risk"] ?? 0, row["breached"] ?? 0) }
            gauges.pendingDeliveries = try session.value(Int.self, "SELECT count(*) FROM delivery WHERE state = 'pending'") ?? 0
            if session.dialect == .postgres {
                gauges.databaseBytes = try session.value(Int64.self, "SELECT pg_database_size(current_database())") ?? 0
            }
            return gauges
        }
        if case .sqlite = self.engine {
            gauges.databaseBytes = [self.path, self.path + "-wal"].reduce(0) { total, path in
                total + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0)
            }
        }
        gauges.submissionsWaiting = await self.batcher?.waiting ?? 0
        return gauges
    }

    /// Calls `observe` with the size of each committed group of filings.
    public func observeSubmissionBatches(_ observe: @escaping @Sendable (Int) -> Void) {
        self.batchObserver.set(observe)
    }
}
