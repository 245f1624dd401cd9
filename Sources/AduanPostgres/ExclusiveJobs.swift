import Foundation
import AduanStore
import PostgresNIO

extension ExclusiveJob {
    /// The key of its PostgreSQL advisory lock: "Aduan" and a job number, apart from the migrations' lock.
    var lockKey: Int64 {
        switch self {
        case .slaMonitor: return 0x4164_7561_6E00_0001
        case .reports: return 0x4164_7561_6E00_0002
        }
    }
}

extension PostgresDatabase {
    /// Runs `body` if no other server is running the same job now, holding a session advisory lock on a connection of
    /// the pool meanwhile; nil when another holds it (the caller skips its turn). The lock belongs to the connection:
    /// released when `body` ends, and by PostgreSQL itself when the server holding it dies (its connection closes), so
    /// another server takes the job over at its next turn.
    public func exclusively<T: Sendable>(_ job: ExclusiveJob, _ body: @escaping @Sendable () async throws -> T) async throws -> T? {
        // Waiting for a connection has no deadline of its own here: an unreachable server is found by a ping first.
        try await self.ping()
        // Only taking and giving back the lock have the usual deadline; the job takes what it takes (a catch-up pass
        // may be long).
        return try await self.client.withConnection { connection in
            let taken: Bool
            do {
                taken = try await self.withinDeadline {
                    var taken = false
                    let rows = try await connection.query("SELECT pg_try_advisory_lock(\(job.lockKey))", logger: self.logger)
                    for try await (value) in rows.decode(Bool.self) { taken = value }
                    return taken
                }
            } catch {
                // The lock may have been taken without our hearing of it: the connection goes, and the lock with it.
                try? await connection.close()
                throw error
            }
            guard taken else { return nil }
            let result: Result<T, any Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            // A lock left on a pooled connection would hold the job from every server (and be taken twice by the
            // next lease of it): if it cannot be given back for sure, the connection is closed, which gives it back.
            let released = try? await self.withinDeadline {
                var released = false
                let rows = try await connection.query("SELECT pg_advisory_unlock(\(job.lockKey))", logger: self.logger)
                for try await (value) in rows.decode(Bool.self) { released = value }
                return released
            }
            if released != true { try? await connection.close() }
            return try result.get()
        }
    }
}
