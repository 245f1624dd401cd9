import AduanBundledCatalog
import AduanCore
import AduanSchema
import Foundation
import GRDB
import Testing

@testable import AduanStore

/// A fresh database file in its own temporary directory.
func temporaryDatabasePath() -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aduan-store-\(UUID().uuidString)")
    return directory.appendingPathComponent("aduan.sqlite").path
}

/// Store tests file roads (`jalan_rusak`) without photo files: the photo requirement is the API's and the workflow's
/// concern, tested there.
/// Idempotency-Keys under a key made for the test run.
let idempotencyKeys = IdempotencyKeyHasher(SealingKey(bytes: Secrets.randomBytes(32)))

let intake = Intake(catalog: try! CatalogLoader.bundled().waivingPhotoRequirements())

/// A sampah complaint filed now through the real intake, with an Idempotency-Key when given.
func submission(_ description: String = "Sampah menumpuk di pasar.", idempotency: IdempotencyKey? = nil, now: Date = Date()) -> Filing {
    try! intake.file(
        SubmissionInput(category: "sampah", description: description, region: "18.71.01"), idempotencyKey: idempotency, now: now
    )
    .get()
}

@Suite("Store: migrations, durability settings, filing and history")
struct StoreTests {
    @Test("a new file is created, migrated, in WAL mode with synchronous=FULL")
    func opens() throws {
        let store = try Store.open(path: temporaryDatabasePath())
        #expect(
            try store.appliedMigrations() == [
                "aduan_0001_init", "aduan_0002_triage", "aduan_0003_report", "aduan_0004_calendar", "aduan_0005_photos",
                "aduan_0006_outbox", "aduan_0007_citizens", "aduan_0008_open311", "aduan_0009_hardening", "aduan_0010_rakor",
                "aduan_0011_counters",
            ])
        #expect(try store.synchronousLevel() == 2)
        #expect(try store.check().isEmpty)
        #expect(try store.migrate().isEmpty)
        let normal = try Store.open(path: temporaryDatabasePath(), durability: .normal)
        #expect(try normal.synchronousLevel() == 1)
    }

    @Test("a database migrated by a newer binary is refused")
    func newerRefused() throws {
        let path = temporaryDatabasePath()
        _ = try Store.open(path: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('aduan_9999_future')") }
        #expect(throws: StoreError.databaseNewerThanBinary(path: path, unknownMigrations: ["aduan_9999_future"])) {
            try Store.open(path: path)
        }
    }

    @Test("filing stores the complaint with a ticket and its submitted and routed events")
    func files() async throws {
        let store = try Store.open(path: temporaryDatabasePath())
        let new = submission()
        guard case .created(let complaint) = try await store.file(new) else {
            Issue.record("not created")
            return
        }
        #expect(Ticket.isWellFormed(complaint.ticket.rawValue))
        #expect(complaint.status == .submitted)
        let stored = try #require(try await store.complaint(ticket: complaint.ticket))
        #expect(stored == complaint)
        let events = try await store.events(complaintID: complaint.id)
        #expect(events.map(\.kind) == [.submitted, .routed])
        #expect(events[1].details["opd"] == "DLH-1871")
    }

    @Test("a server's store leaves checkpoints to the background: commits grow the WAL, checkpoint() copies it back")
    func backgroundCheckpoints() async throws {
        let path = temporaryDatabasePath()
        let store = try Store.open(path: path, checkpointInBackground: true)
        #expect(store.checkpointsInBackground)
        // More than SQLite's automatic threshold (1000 pages) of commits: none of them checkpoints.
        for _ in 0..<1500 { _ = try await store.file(submission()) }
        let walPages = (try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0) / 4096
        #expect(walPages > 1000)
        let done = try #require(try await store.checkpoint())
        #expect(done.frames > 1000 && done.copied == done.frames)
        #expect(try await store.complaintCount() == 1500)
        #expect(try await Store.open(path: temporaryDatabasePath()).checkpoint() == nil)
    }

    @Test("the history is append-only: SQLite refuses updates and deletes")
    func appendOnly() async throws {
        let path = temporaryDatabasePath()
        let store = try Store.open(path: path)
        _ = try await store.file(submission())
        let queue = try DatabaseQueue(path: path)
        #expect(throws: DatabaseError.self) { try queue.write { db in try db.execute(sql: "UPDATE complaint_event SET kind = 'comment'") } }
        #expect(throws: DatabaseError.self) { try queue.write { db in try db.execute(sql: "DELETE FROM complaint_event") } }
    }

    @Test("a retry with the same Idempotency-Key returns the first complaint and its token; another body is refused")
    func idempotency() async throws {
        let store = try Store.open(path: temporaryDatabasePath())
        let key = try #require(idempotencyKeys.key("6f1c2a9e-retry-0001"))
        let first = submission(idempotency: key)
        guard case .created(let created) = try await store.file(first) else { throw Failure() }
        let retry = submission(idempotency: key)
        guard case .replayed(let replayed, let masked) = try await store.file(retry) else { throw Failure() }
        #expect(replayed.ticket == created.ticket)
        #expect(key.token(unmasking: masked) == first.trackingToken)
        #expect(retry.trackingToken != first.trackingToken)
        let other = submission("Sampah menumpuk di pasar, lagi.", idempotency: key)
        await #expect(throws: StoreError.idempotencyKeyReused) { try await store.file(other) }
        #expect(try await store.complaintCount() == 1)
    }

    @Test("an Idempotency-Key replays for 48 hours, then files anew and is swept; only keyed hashes are stored")
    func idempotencyExpiry() async throws {
        let store = try Store.open(path: temporaryDatabasePath())
        let raw = "3f1c9a52-7a0e-4b8e-9d7e-2f64c1b0a9d3"
        let key = try #require(idempotencyKeys.key(raw))
        #expect(idempotencyKeys.key("fifteen-chars-x") == nil)
        #expect(idempotencyKeys.key("sixteen-chars-xy") != nil)
        #expect(idempotencyKeys.key("sixteen chars xy") == nil)
        #expect(idempotencyKeys.key(String(repeating: "k", count: 256)) == nil)
        // Another server key gives another lookup: the stored hash cannot be found from the key alone.
        let otherServer = IdempotencyKeyHasher(SealingKey(bytes: Secrets.randomBytes(32)))
        #expect(try #require(otherServer.key(raw)).lookupHash != key.lookupHash)
        #expect(key.lookupHash != Secrets.sha256Hex(raw))
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        guard case .created(let first) = try await store.file(submission(idempotency: key, now: start)) else { throw Failure() }
        guard case .replayed(let replayed, _) = try await store.file(submission(idempotency: key, now: start + 47 * 3600)) else {
            throw Failure()
        }
        #expect(replayed.ticket == first.ticket)
        guard case .created(let second) = try await store.file(submission(idempotency: key, now: start + 49 * 3600)) else {
            throw Failure()
        }
        #expect(second.ticket != first.ticket)
        #expect(try await store.forgetExpiredIdempotencyKeys(now: start + 49 * 3600) == 0)
        #expect(try await store.forgetExpiredIdempotencyKeys(now: start + 98 * 3600) == 1)
        guard case .created = try await store.file(submission(idempotency: key, now: start + 98 * 3600)) else { throw Failure() }
    }

    @Test("concurrent submissions share transactions and each gets its own ticket")
    func groupCommit() async throws {
        let store = try Store.open(path: temporaryDatabasePath())
        let key = try #require(idempotencyKeys.key("duplicate-key-00001"))
        let tickets = try await withThrowingTaskGroup(of: String?.self) { group in
            for index in 0..<300 {
                group.addTask {
                    // Every tenth reuses one key with a different body: those fail alone, not their batch.
                    let item = submission("Keluhan nomor \(index) di pasar", idempotency: index % 10 == 0 ? key : nil)
                    do {
                        switch try await store.file(item) {
                        case .created(let c): return c.ticket.rawValue
                        case .replayed: return nil
                        }
                    } catch StoreError.idempotencyKeyReused { return nil }
                }
            }
            return try await group.reduce(into: [String]()) { if let t = $1 { $0.append(t) } }
        }
        #expect(tickets.count == 271)
        #expect(Set(tickets).count == tickets.count)
        #expect(try await store.complaintCount() == 271)
        let sequences = tickets.map { Int($0.split(separator: "-")[1])! }.sorted()
        #expect(sequences == Array(1...271))
    }
}

struct Failure: Error {}

@Suite("Hand-written encodings")
struct EncodingTests {
    @Test("base64url matches Foundation's base64 with the URL alphabet, for every length")
    func base64URL() {
        for length in 0..<40 {
            let bytes = Secrets.randomBytes(length)
            let expected = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(Secrets.base64URL(bytes) == expected)
            #expect(Secrets.base64URLDecoded(expected) == bytes)
        }
    }

    @Test("stored timestamps read back as the same instant, to the millisecond")
    func timestamps() async throws {
        let store = try Store.open(path: temporaryDatabasePath())
        let item = submission()
        guard case .created(let created) = try await store.file(item) else { throw Failure() }
        let stored = try #require(try await store.complaint(ticket: created.ticket))
        #expect(stored.createdAt == created.createdAt)
        #expect(stored.responseDueAt == created.responseDueAt)
        #expect(stored.createdAt.timeIntervalSince1970 * 1000 == (stored.createdAt.timeIntervalSince1970 * 1000).rounded())
    }
}

@Suite("Event details")
struct EventDetailsTests {
    @Test("details with quotes, backslashes and control characters encode to JSON that decodes to the same map")
    func escaping() throws {
        let details = ["note": "kata \"rusak\" \\ baris\nbaru\t\u{1}\u{1f}", "opd": "DLH-1871", "emoji": "jalan 🚧"]
        let json = DetailsJSON.encode(details)
        #expect(try JSONDecoder().decode([String: String].self, from: Data(json.utf8)) == details)
        #expect(DetailsJSON.encode([:]) == "{}")
    }
}

@Suite("Status sets: one list in Swift, the same in SQL")
struct StatusSetTests {
    /// The named sets whose SQL lists may appear in the schema.
    static let named: [String: String] = [
        "open": ComplaintStatus.sqlList(ComplaintStatus.open),
        "clockRunning": ComplaintStatus.sqlList(ComplaintStatus.clockRunning),
        "settled": ComplaintStatus.sqlList(ComplaintStatus.settled),
        "resolvable": ComplaintStatus.sqlList(ComplaintStatus.resolvable),
        "resolvedOutcome": ComplaintStatus.sqlList(ComplaintStatus.resolvedOutcome),
    ]

    @Test("every status list in the migrations is one of the Swift sets, the CHECK constraint all of them")
    func migrationLiterals() throws {
        let pattern = try NSRegularExpression(pattern: #"status\s+IN\s*\(([^)]*)\)"#, options: [.caseInsensitive])
        var found = 0
        for migration in AduanSchema.migrations {
            let sql = migration.sql as NSString
            for match in pattern.matches(in: migration.sql, range: NSRange(location: 0, length: sql.length)) {
                let list = sql.substring(with: match.range(at: 1)).split(separator: ",")
                    .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")
                let all = ComplaintStatus.sqlList(Set(ComplaintStatus.allCases))
                #expect(Self.named.values.contains(list) || list == all, "\(migration.name): status IN (\(list))")
                found += 1
            }
        }
        #expect(found >= 4)
    }

    @Test("the open queue's partial index is the open set, so the queue's generated query can use it")
    func openIndex() async throws {
        let store = try Store.open(path: temporaryDatabasePath())
        let sql = try #require(
            try await store.writer.read { db in
                try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'complaint_open_next_due'")
            })
        #expect(sql.hasSuffix("WHERE status IN (\(ComplaintStatus.sqlList(ComplaintStatus.open)))"))
        #expect(ComplaintStatus.sqlList(ComplaintStatus.open) == "'submitted', 'in_progress', 'waiting_info', 'reopened'")
    }

    @Test("the SLA monitor reads only the due entries of its two indexes, not the table")
    func sweepIndexes() async throws {
        let store = try Store.open(path: temporaryDatabasePath())
        let plan = try await store.writer.read { db in
            try Row.fetchAll(
                db, sql: "EXPLAIN QUERY PLAN " + Store.dueForSweep(.sqlite), arguments: ["2026-10-01", "2026-10-01"]
            )
            .map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING INDEX complaint_next_sla_mark") }, "\(plan)")
        #expect(plan.contains { $0.contains("USING INDEX complaint_confirmation_start") }, "\(plan)")
        #expect(!plan.contains { $0.hasPrefix("SCAN complaint") }, "\(plan)")
    }

    @Test("the sets say what their names say", arguments: ComplaintStatus.allCases)
    func sets(_ status: ComplaintStatus) {
        #expect(ComplaintStatus.open.contains(status) == status.isOpen)
        #expect(ComplaintStatus.settled.contains(status) == !status.isOpen)
        #expect(ComplaintStatus.clockRunning.contains(status) == status.isClockRunning)
        #expect(!ComplaintStatus.clockRunning.contains(status) || ComplaintStatus.open.contains(status))
    }
}

@Suite("Records: what the store cannot read is an error, never a guess")
struct RecordDecodingTests {
    /// Writes a value the schema's CHECK constraints would refuse, as a newer binary's data could hold.
    static func corrupt(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: sql)
        }
    }

    @Test(
        "an unknown status, privacy, SLA level, event kind or role fails loudly",
        arguments: [
            "UPDATE complaint SET status = 'escalated'",
            "UPDATE complaint SET visibility = 'internal'",
            "UPDATE complaint SET response_sla = 'late'",
            "UPDATE complaint SET created_at = 'yesterday at noon'",
        ])
    func complaintColumns(_ sql: String) async throws {
        let path = temporaryDatabasePath()
        let store = try Store.open(path: path)
        guard case .created(let complaint) = try await store.file(submission()) else { throw Failure() }
        #expect(try await store.complaint(ticket: complaint.ticket) != nil)
        try Self.corrupt(path, sql)
        await #expect(throws: (any Error).self) { try await store.complaint(ticket: complaint.ticket) }
    }

    @Test("an unknown event kind fails loudly instead of reading as a comment")
    func eventKind() async throws {
        let path = temporaryDatabasePath()
        let store = try Store.open(path: path)
        guard case .created(let complaint) = try await store.file(submission()) else { throw Failure() }
        #expect(try await store.events(complaintID: complaint.id).count == 2)
        // The history is append-only: a newer binary's kind arrives as a new row.
        try Self.corrupt(
            path,
            """
            INSERT INTO complaint_event (complaint_id, kind, actor_kind, at, visible_to_reporter, details)
            VALUES (\(complaint.id), 'photo_added', 'citizen', '2026-11-20 01:00:00.000', 1, '{}')
            """)
        await #expect(throws: (any Error).self) { try await store.events(complaintID: complaint.id) }
    }

    @Test("an unknown staff role fails loudly instead of reading as an officer")
    func staffRole() async throws {
        let path = temporaryDatabasePath()
        let store = try Store.open(path: path)
        _ = try await store.addStaff(
            name: "Rina", role: .triage, opd: "DLH-1871", tokenHash: String(repeating: "a", count: 64), now: Date())
        #expect(try await store.staffMembers().count == 1)
        try Self.corrupt(path, "UPDATE staff SET role = 'auditor', opd = NULL")
        await #expect(throws: (any Error).self) { try await store.staffMembers() }
    }
}
