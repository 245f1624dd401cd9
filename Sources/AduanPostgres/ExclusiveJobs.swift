import Foundation
import PostgresNIO

/// Work that one server at a time does when several share a database: the SLA monitor's pass, generating a report.
public enum ExclusiveJob: Int64, Sendable, CaseIterable {
    // Keys of PostgreSQL's advisory locks: "Aduan" and a job number, apart from the migrations' lock.
    case slaMonitor = 0x4164_7561_6E00_0001
    case reports = 0x4164_7561_6E00_0002
}

extension PostgresDatabase {
    /// Runs `body` if no other server is running the same job now, holding a session advisory lock on a connection of
    /// the pool meanwhile; nil when another holds it (the caller skips its turn). The lock belongs to the connection:
    /// released when `body` ends, and by PostgreSQL itself when the server holding it dies (its connection closes), so
    /// another server takes the job over at its next turn.
    public func exclusively<T: Sendable>(_ job: ExclusiveJob, _ body: @escaping @Sendable () async throws -> T) async throws -> T? {
        // Only taking the lock has the usual deadline; the job itself takes what it takes (a catch-up pass may be long).
        try await self.client.withConnection { connection in
            let taken = try await self.withinDeadline {
                var taken = false
                let rows = try await connection.query("SELECT pg_try_advisory_lock(\(job.rawValue))", logger: self.logger)
                for try await (value) in rows.decode(Bool.self) { taken = value }
                return taken
            }
            guard taken else { return nil }
            do {
                let result = try await body()
                try await self.release(job, connection)
                return result
            } catch {
                try? await self.release(job, connection)
                throw error
            }
        }
    }

    private func release(_ job: ExclusiveJob, _ connection: PostgresConnection) async throws {
        _ = try await self.withinDeadline {
            try await connection.query("SELECT pg_advisory_unlock(\(job.rawValue))", logger: self.logger)
        }
    }
}
