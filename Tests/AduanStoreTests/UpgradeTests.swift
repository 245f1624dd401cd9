import AduanCore
import AduanSchema
@testable import AduanStore
import AduanServices
import Foundation
import GRDB
import Logging
import Testing

@Suite("Store: upgrading a database from an earlier version")
struct UpgradeTests {
    @Test("a version-1 database with a complaint upgrades to version 2: at-risk points set, the complaint readable and workable")
    func upgradeFromVersion1() async throws {
        // Given a database written by a version-1 binary, holding one complaint.
        let path = temporaryDatabasePath()
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        do {
            let queue = try DatabaseQueue(path: path)
            var version1 = DatabaseMigrator()
            version1.registerMigration(AduanSchema.migrations[0].name) { db in try db.execute(sql: AduanSchema.migrations[0].sql) }
            try version1.migrate(queue)
            try await queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO complaint (ticket, category, description, region, visibility, anonymous, status, opd,
                            routing_rule, response_due_at, resolution_due_at, tracking_token_hash, created_at, updated_at)
                        VALUES ('2611-00001', 'sampah', 'Sampah menumpuk di pasar.', '18.71.01', 'private', 0, 'submitted',
                            'DLH-1871', 'sampah@18.71#0', '2026-11-12 09:00:00.000', '2026-11-22 09:00:00.000', ?,
                            '2026-11-02 09:00:00.000', '2026-11-02 09:00:00.000')
                        """, arguments: [String(repeating: "a", count: 64)])
            }
            try queue.close()
        }

        // When the current binary opens it.
        let store = try Store.open(path: path)
        #expect(try store.appliedMigrations() == AduanSchema.migrations.map(\.name))
        let complaint = try #require(try await store.complaint(ticket: Ticket("2611-00001")))

        // Then the at-risk points sit at 80% of the elapsed time to each deadline (8 of 10 days, 16 of 20 days) ...
        let day = 86_400.0
        #expect(complaint.state.responseAtRiskAt == complaint.createdAt.addingTimeInterval(8 * day))
        #expect(complaint.state.resolutionAtRiskAt == complaint.createdAt.addingTimeInterval(16 * day))
        #expect(complaint.state.responseSLA == .onTime && complaint.state.respondedAt == nil)
        // ... and the SLA monitor can work on it.
        let now = complaint.resolutionDueAt.addingTimeInterval(60)
        let changed = try await SLAMonitor(
            store: store, catalog: LiveCatalog(intake.catalog), interval: .seconds(60), now: { now }, logger: Logger(label: "test")
        ).sweep()
        #expect(changed == 1)
        let swept = try #require(try await store.complaint(ticket: Ticket("2611-00001")))
        #expect(swept.state.responseSLA == .breached && swept.state.resolutionSLA == .breached)
    }

    @Test("a version-2 database upgrades to version 3: settled and reopened times come from the history")
    func upgradeFromVersion2() async throws {
        let path = temporaryDatabasePath()
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        do {
            let queue = try DatabaseQueue(path: path)
            var version2 = DatabaseMigrator()
            for migration in AduanSchema.migrations.prefix(2) {
                version2.registerMigration(migration.name) { db in try db.execute(sql: migration.sql) }
            }
            try version2.migrate(queue)
            try await queue.write { db in
                // 1 resolved, 2 rejected, 3 reopened (resolved, then reopened) and 4 still submitted.
                for (id, status, resolved, reopens) in [
                    (1, "resolved", "'2026-11-03 03:00:00.000'", 0), (2, "rejected", "NULL", 0), (3, "reopened", "NULL", 1),
                    (4, "submitted", "NULL", 0),
                ] {
                    try db.execute(
                        sql: """
                            INSERT INTO complaint (id, ticket, category, description, region, visibility, anonymous, status, opd,
                                routing_rule, response_due_at, resolution_due_at, tracking_token_hash, created_at, updated_at,
                                resolved_at, responded_at, reopen_count)
                            VALUES (?, ?, 'sampah', 'Sampah menumpuk di pasar.', '18.71.01', 'private', 0, ?, 'DLH-1871',
                                'sampah@18.71#0', '2026-11-03 09:00:00.000', '2026-11-05 09:00:00.000', ?,
                                '2026-11-02 02:00:00.000', '2026-11-02 02:00:00.000', \(resolved), '2026-11-02 03:00:00.000', ?)
                            """, arguments: [id, "2611-0000\(id)", status, String(repeating: "\(id)", count: 64), reopens])
                }
                for (id, to, at) in [(2, "rejected", "2026-11-02 05:00:00.000"), (3, "resolved", "2026-11-03 01:00:00.000"),
                                     (3, "reopened", "2026-11-04 01:00:00.000")] {
                    try db.execute(
                        sql: """
                            INSERT INTO complaint_event (complaint_id, kind, actor_kind, actor_id, at, visible_to_reporter, details)
                            VALUES (?, 'status_changed', 'staff', '1', ?, 1, json_object('from', 'in_progress', 'to', ?))
                            """, arguments: [id, at, to])
                }
            }
            try queue.close()
        }

        let store = try Store.open(path: path)
        #expect(try store.appliedMigrations() == AduanSchema.migrations.map(\.name))
        let settled = try await store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, settled_at, reopened_at FROM complaint ORDER BY id").map {
                [$0["settled_at"] as String?, $0["reopened_at"] as String?]
            }
        }
        #expect(settled == [
            ["2026-11-03 03:00:00.000", nil], ["2026-11-02 05:00:00.000", nil], [nil, "2026-11-04 01:00:00.000"], [nil, nil],
        ])
        // Working times were not measured before version 3: the report computes them from the timestamps.
        let complaint = try #require(try await store.complaint(ticket: Ticket("2611-00001")))
        #expect(complaint.state.resolutionWorkingSeconds == nil && complaint.state.pausedWorkingSeconds == 0)
    }
}
