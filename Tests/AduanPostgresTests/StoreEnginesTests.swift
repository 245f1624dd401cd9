import AduanBundledCatalog
import AduanCore
import Foundation
import GRDB
import Testing

@testable import AduanPostgres
@testable import AduanStore

/// The store's shared logic on both engines: SQLite always, PostgreSQL when the test server is there.
enum Engines {
    static let intake = Intake(catalog: try! CatalogLoader.bundled().waivingPhotoRequirements())
    static let workflow = Workflow(catalog: try! CatalogLoader.bundled())
    static let keys = IdempotencyKeyHasher(SealingKey(bytes: Secrets.randomBytes(32)))
    static let admin = StaffMember(id: 1, name: "Admin", role: .admin, opd: nil, createdAt: Date(), revokedAt: nil)

    /// `body` with a new store on each engine, and the engine's name.
    static func each(_ body: @Sendable (Store, String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aduan-engines-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(try Store.open(path: directory.appendingPathComponent("aduan.sqlite").path), "sqlite")
        guard TestPostgres.available else { return }
        try await servers(1) { try await body($0[0], "postgresql") }
    }

    /// `count` servers' stores (each its own pool) on one new, migrated PostgreSQL database.
    static func servers(_ count: Int, _ body: @Sendable ([Store]) async throws -> Void) async throws {
        try await TestPostgres.withFreshDatabase { url in
            _ = try await PostgresDatabase.using(url, deadline: TestPostgres.deadline) { try await $0.migrate() }
            try await PostgresDatabase.using(pools: count, url, deadline: TestPostgres.deadline, maximumConnections: 8) { pools in
                var stores: [Store] = []
                for pool in pools { stores.append(try await Store.open(server: pool)) }
                try await body(stores)
            }
        }
    }

    static func filing(_ description: String, key: String? = nil) throws -> Filing {
        try intake.file(
            SubmissionInput(category: "sampah", description: description, region: "18.71.01"),
            idempotencyKey: try key.map { try #require(keys.key($0)) }, now: Date()
        ).get()
    }

    static func accept(_ store: Store, _ ticket: Ticket) async throws -> Complaint? {
        try await store.update(ticket: ticket) { current, _ in
            try workflow.apply(.accept(note: nil), by: admin, to: current, mergeTarget: nil, now: Date())
        }
    }

    /// A ticket's number within its month.
    static func sequence(_ ticket: Ticket) -> Int { Int(ticket.rawValue.split(separator: "-").last!)! }

    static func count(_ table: String, _ store: Store) async throws -> Int {
        try await store.read { try $0.value(Int.self, "SELECT count(*) FROM \(table)") ?? -1 }
    }
}

@Suite("The store on both engines: one contract")
struct StoreEnginesTests {
    @Test("filing, a replayed and a reused Idempotency-Key, the lookup, a workflow step and the outbox mean the same on each engine")
    func contract() async throws {
        try await Engines.each { store, engine in
            guard case .created(let first) = try await store.file(try Engines.filing("Sampah menumpuk di pasar.")) else {
                Issue.record("\(engine): not created")
                return
            }
            guard case .created(let keyed) = try await store.file(try Engines.filing("Sampah di depan sekolah.", key: "kunci-uji-0000001"))
            else {
                Issue.record("\(engine): not created")
                return
            }
            #expect(Engines.sequence(first.ticket) == 1, "\(engine)")
            #expect(Engines.sequence(keyed.ticket) == 2, "\(engine)")
            guard
                case .replayed(let replayed, _) = try await store.file(
                    try Engines.filing("Sampah di depan sekolah.", key: "kunci-uji-0000001"))
            else {
                Issue.record("\(engine): not replayed")
                return
            }
            #expect(replayed.ticket == keyed.ticket, "\(engine)")
            await #expect(throws: StoreError.idempotencyKeyReused, "\(engine)") {
                _ = try await store.file(try Engines.filing("Laporan lain.", key: "kunci-uji-0000001"))
            }

            let read = try #require(try await store.complaint(ticket: first.ticket), "\(engine)")
            #expect(read.description == "Sampah menumpuk di pasar." && read.state == first.state && read.id == first.id, "\(engine)")
            let history = try await store.history(complaintID: first.id, reporterOnly: false)
            #expect(history.events.map(\.kind) == [.submitted, .routed], "\(engine)")

            // A decision that throws leaves nothing; one that is taken is stored with its events and announcement.
            await #expect(throws: WorkflowError.self, "\(engine)") {
                _ = try await store.update(ticket: first.ticket) { current, _ in
                    try Engines.workflow.apply(
                        .resolve(note: "belum diterima"), by: Engines.admin, to: current, mergeTarget: nil, now: Date())
                }
            }
            let accepted = try #require(try await Engines.accept(store, first.ticket), "\(engine)")
            #expect(accepted.status == .inProgress, "\(engine)")
            #expect(try await store.complaint(ticket: first.ticket)?.status == .inProgress, "\(engine)")
            #expect(try await store.outboxEvents(complaintID: first.id).map(\.announcement.kind) == [.filed, .accepted], "\(engine)")
            #expect(try await Engines.count("outbox_event", store) == 3, "\(engine)")
            #expect(try await Engines.count("complaint", store) == 2, "\(engine)")
            #expect(
                try await store.update(ticket: Ticket("2612-999999")) { _, _ in throw WorkflowError.invalidInput([]) } == nil, "\(engine)")
        }
    }
}

extension StoreEnginesTests {
    @Test("staff tokens, support, the reporter's messages and the Idempotency-Key sweep mean the same on each engine")
    func accountsAndSupport() async throws {
        try await Engines.each { store, engine in
            let member = try await store.addStaff(
                name: "Petugas DLH", role: .officer, opd: "dlh-bandar-lampung", tokenHash: String(repeating: "a1", count: 32), now: Date())
            #expect(try await store.staff(tokenHash: String(repeating: "a1", count: 32)) == member, "\(engine)")
            #expect(try await store.staffMembers().map(\.id) == [member.id], "\(engine)")
            let revoked = try #require(try await store.revokeStaff(id: member.id, now: Date()), "\(engine)")
            #expect(revoked.revokedAt != nil, "\(engine)")
            #expect(try await store.staff(tokenHash: String(repeating: "a1", count: 32)) == nil, "\(engine)")
            #expect(try await store.revokeStaff(id: 999, now: Date()) == nil, "\(engine)")
            #expect(try await store.staffEvents().map(\.kind) == ["added", "revoked"], "\(engine)")

            var input = SubmissionInput(category: "sampah", description: "Sampah di taman kota.", region: "18.71.01")
            input.visibility = "public"
            let filing = try Engines.intake.file(
                input, idempotencyKey: try #require(Engines.keys.key("kunci-uji-dukungan-01")), now: Date()
            ).get()
            guard case .created(let complaint) = try await store.file(filing) else {
                Issue.record("\(engine): not created")
                return
            }
            let device = Supporter.device(idHash: "perangkat-1")
            #expect(
                try await store.support(ticket: complaint.ticket, by: device, now: Date()) == .counted(supportCount: 1, supporting: true),
                "\(engine)")
            #expect(
                try await store.support(ticket: complaint.ticket, by: device, now: Date()) == .counted(supportCount: 1, supporting: true),
                "\(engine)")
            #expect(try await store.isSupporting(complaintID: complaint.id, device), "\(engine)")
            #expect(
                try await store.withdrawSupport(ticket: complaint.ticket, by: device) == .counted(supportCount: 0, supporting: false),
                "\(engine)")
            #expect(try await store.support(ticket: Ticket("2612-999999"), by: device, now: Date()) == .notFound, "\(engine)")

            let proof = ReporterProof.trackingToken(hash: filing.trackingTokenHash)
            #expect(try await store.setNotifyReporter(ticket: complaint.ticket, proof: proof, false)?.reporter.notify == false, "\(engine)")
            #expect(
                try await store.setNotifyReporter(ticket: complaint.ticket, proof: .trackingToken(hash: "bukan"), true) == nil, "\(engine)")
            #expect(try await store.events(complaintID: complaint.id).map(\.kind) == [.submitted, .routed], "\(engine)")
            #expect(try await store.complaintCount() == 1, "\(engine)")
            #expect(try await store.forgetExpiredIdempotencyKeys(now: Date()) == 0, "\(engine)")
            #expect(try await store.forgetExpiredIdempotencyKeys(now: Date() + 30 * 86_400) == 1, "\(engine)")
        }
    }
}

@Suite(
    "PostgreSQL: several servers keep one server's guarantees",
    .enabled(if: TestPostgres.available, "set ADUAN_TEST_DATABASE_URL (ops/postgres.sh) to run"))
struct SeveralServersTests {
    @Test(
        "two servers filing at once, some with the same Idempotency-Keys on both: one complaint per key, the other replays it; tickets contiguous"
    )
    func filingsAcrossServers() async throws {
        try await Engines.servers(2) { servers in
            let outcomes = try await withThrowingTaskGroup(of: (String?, SubmissionOutcome).self) { group in
                for (index, server) in servers.enumerated() {
                    for filing in 0..<30 {
                        // The first ten keys are sent to both servers, as a client retrying on another would.
                        let key = filing < 10 ? "kunci-bersama-000\(1000 + filing)" : "kunci-server-\(index)-000\(1000 + filing)"
                        group.addTask { (key, try await server.file(try Engines.filing("Laporan \(key)", key: key))) }
                    }
                    for filing in 0..<10 {
                        group.addTask { (nil, try await server.file(try Engines.filing("Laporan tanpa kunci \(index) \(filing)"))) }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            var created: [Ticket] = []
            var byKey: [String: [Ticket]] = [:]
            var replays = 0
            for (key, outcome) in outcomes {
                switch outcome {
                case .created(let complaint):
                    created.append(complaint.ticket)
                    if let key { byKey[key, default: []].append(complaint.ticket) }
                case .replayed(let complaint, _):
                    replays += 1
                    if let key { byKey[key, default: []].append(complaint.ticket) }
                }
            }
            #expect(replays == 10)
            #expect(created.count == 70)
            #expect(created.map(Engines.sequence).sorted() == Array(1...70))
            #expect(byKey.values.allSatisfy { Set($0).count == 1 })
            #expect(try await Engines.count("complaint", servers[1]) == 70)
            #expect(try await Engines.count("outbox_event", servers[0]) == 70)
        }
    }

    @Test("the same staff action on two servers at once: one is taken, the other is refused as on one server")
    func racingActions() async throws {
        try await Engines.servers(2) { servers in
            for round in 0..<8 {
                guard case .created(let complaint) = try await servers[0].file(try Engines.filing("Laporan balapan \(round)")) else {
                    Issue.record("not created")
                    return
                }
                let results = await withTaskGroup(of: Result<Complaint?, any Error>.self) { group in
                    for server in servers {
                        group.addTask {
                            do { return .success(try await Engines.accept(server, complaint.ticket)) } catch { return .failure(error) }
                        }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                let taken = results.filter {
                    if case .success(let complaint) = $0 { return complaint?.status == .inProgress } else { return false }
                }
                let refused = results.filter {
                    if case .failure(let error) = $0, case WorkflowError.invalidTransition = error { return true } else { return false }
                }
                #expect(taken.count == 1 && refused.count == 1, "round \(round): \(results)")
                let events = try await servers[1].history(complaintID: complaint.id, reporterOnly: false).events
                #expect(events.filter { $0.kind == .statusChanged }.count == 1, "round \(round)")
            }
        }
    }

    @Test("the SLA monitor's pass is made by one server at a time and finds its due complaints through PostgreSQL's indexes")
    func sweepOnServers() async throws {
        try await Engines.servers(2) { servers in
            let plan = try await servers[0].read { session in
                try session.execute("SET LOCAL enable_seqscan = off")
                return try session.values(String.self, "EXPLAIN " + Store.dueForSweep(.postgres), ["2026-10-01", "2026-10-01"])
            }
            #expect(plan.contains { $0.contains("complaint_next_sla_mark") }, "\(plan)")
            #expect(plan.contains { $0.contains("complaint_confirmation_start") }, "\(plan)")
            // A complaint filed long ago: its response is overdue.
            let old = try Engines.intake.file(
                SubmissionInput(category: "sampah", description: "Laporan lama sekali.", region: "18.71.01"), now: Date() - 30 * 86_400
            ).get()
            guard case .created(let complaint) = try await servers[0].file(old) else {
                Issue.record("not created")
                return
            }
            let passes = try await withThrowingTaskGroup(of: Int.self) { group in
                for server in servers {
                    group.addTask {
                        try await server.sweep(now: Date(), closeResolvedBefore: Date() - 7 * 86_400) {
                            Engines.workflow.sweep($0, now: Date())
                        }
                        .changed
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(passes.sorted() == [0, 1], "\(passes)")
            let swept = try #require(try await servers[1].complaint(ticket: complaint.ticket))
            #expect(swept.state.responseSLA == .breached)
            let marks = try await servers[1].history(complaintID: complaint.id, reporterOnly: false).events.filter {
                $0.kind == .slaBreached
            }
            // One mark per clock (both are long past), never one per server.
            #expect(!marks.isEmpty && Set(marks.map { $0.details["clock"] }).count == marks.count, "\(marks)")
            #expect(
                try await servers[1].sweep(now: Date(), closeResolvedBefore: Date() - 7 * 86_400) {
                    Engines.workflow.sweep($0, now: Date())
                }.changed == 0)
        }
    }

    @Test(
        "outbox ids follow commits: an event written while another transaction holds its turn waits, so nothing commits under a smaller id later"
    )
    func outboxOrder() async throws {
        try await Engines.servers(2) { servers in
            guard case .created(let complaint) = try await servers[0].file(try Engines.filing("Laporan urutan outbox")) else {
                Issue.record("not created")
                return
            }
            let slow = Task {
                try await servers[0].write { session in
                    try Store.announce(
                        [Announcement(kind: .accepted, at: Date(), status: .inProgress, opd: complaint.opd, offices: [], fields: [:])],
                        of: complaint, session)
                    Thread.sleep(forTimeInterval: 0.5)
                }
            }
            try await Task.sleep(for: .milliseconds(150))
            _ = try await servers[1].file(try Engines.filing("Laporan yang menunggu giliran"))
            // The second filing's event could only be written once the first transaction had committed: by the time
            // it is acknowledged, the first one's event is there.
            let accepted = try await servers[1].read {
                try $0.value(Int.self, "SELECT count(*) FROM outbox_event WHERE type = 'complaint.accepted'")
            }
            #expect(accepted == 1)
            try await slow.value
            let ids = try await servers[1].read { try $0.values(Int64.self, "SELECT id FROM outbox_event ORDER BY id") }
            #expect(ids.count == 3)
        }
    }
}
