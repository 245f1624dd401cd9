import AduanBundledCatalog
import AduanCore
import AduanTestSupport
import Foundation
import GRDB
import Testing

@testable import AduanStore

/// The outbox in the database: written with each change or not at all, fanned out by scope, sent in order.
@Suite("Store: outbox and deliveries")
struct OutboxStoreTests {
    static let catalog = try! CatalogLoader.bundled()
    static let workflow = Workflow(catalog: catalog)
    static let key = SealingKey(bytes: Secrets.randomBytes(32))

    static func outboxCount(_ store: Store) async throws -> Int {
        try await store.read { try $0.value(Int.self, "SELECT COUNT(*) FROM outbox_event")! }
    }

    static func subscribe(_ store: Store, opd: String?, events: [String]? = nil) async throws -> WebhookSubscription {
        try await store.addSubscription(
            url: "https://hook.example.go.id/\(opd ?? "province")", opd: opd, events: events,
            sealedSecret: self.key.seal(WebhookSecret.generate().bytes, context: WebhookSecret.sealingContext), by: "test", now: Date())
    }

    /// Fans out with a body naming the event, and returns each target's deliveries as "type ticket".
    static func fanOut(_ store: Store) async throws -> [String: [String]] {
        _ = try await store.fanOut(now: Date()) { event, _, _ in
            ("msg_" + UUID().uuidString, "\(event.announcement.kind.rawValue) \(event.ticket.rawValue)")
        }
        return try await store.read { session in
            let rows = try session.fetchAll("SELECT target, body FROM delivery ORDER BY id")
            return Dictionary(grouping: rows, by: { $0["target"] as String }).mapValues { $0.map { $0["body"] as String } }
        }
    }

    static func file(_ store: Store, _ category: String = "sampah", phone: String? = nil) async throws -> Complaint {
        let filing = try intake.file(
            SubmissionInput(category: category, description: "Keluhan warga untuk uji outbox.", region: "18.71.01", reporterPhone: phone),
            now: Date()
        ).get()
        guard case .created(let complaint) = try await store.file(filing) else { throw Failure() }
        return complaint
    }

    static func act(_ store: Store, _ command: StaffCommand, by member: StaffMember, on complaint: Complaint, at now: Date = Date())
        async throws
    {
        _ = try await store.update(ticket: complaint.ticket) { current, _ in
            try self.workflow.apply(command, by: member, to: current, mergeTarget: nil, now: now)
        }
    }

    static let admin = StaffMember(id: 1, name: "Admin", role: .admin, opd: nil, createdAt: Date(), revokedAt: nil)

    @Test("a change that does not commit announces nothing; one that commits announces with it")
    func transactional() async throws {
        try await TestStores.with { store async throws in
            let complaint = try await Self.file(store)
            #expect(try await Self.outboxCount(store) == 1)
            // A decision that throws after reading: no state, no event, no announcement.
            await #expect(throws: WorkflowError.self) {
                _ = try await store.update(ticket: complaint.ticket) { current, _ in
                    try Self.workflow.apply(.resolve(note: "belum diterima"), by: Self.admin, to: current, mergeTarget: nil, now: Date())
                }
            }
            // A filing refused inside the group commit (a reused Idempotency-Key) leaves none either.
            let key = try #require(idempotencyKeys.key("kunci-uji-outbox-0001"))
            _ = try await store.file(submission("laporan pertama uji", idempotency: key))
            #expect(try await Self.outboxCount(store) == 2)
            await #expect(throws: StoreError.idempotencyKeyReused) {
                _ = try await store.file(submission("laporan lain dengan kunci sama", idempotency: key))
            }
            #expect(try await Self.outboxCount(store) == 2)
            try await Self.act(store, .accept(note: nil), by: Self.admin, on: complaint)
            let kinds = try await store.outboxEvents(complaintID: complaint.id).map(\.announcement.kind)
            #expect(kinds == [.filed, .accepted])
        }
    }

    @Test("an office gets its own complaints, forwards to it and escalations to it; the province gets all")
    func scope() async throws {
        try await TestStores.with(durability: .full) { store async throws in
            let province = try await Self.subscribe(store, opd: nil)
            let dlh = try await Self.subscribe(store, opd: "DLH-1871")
            let pu = try await Self.subscribe(store, opd: "PUPR-1871")
            let parent = try await Self.subscribe(store, opd: "SETDA-1871")
            let onlyClosed = try await Self.subscribe(store, opd: nil, events: ["complaint.closed"])
            let sampah = try await Self.file(store)  // DLH-1871
            let drainase = try await Self.file(store, "drainase")  // PUPR-1871
            try await Self.act(store, .forward(to: "PUPR-1871", note: "Saluran, bukan sampah"), by: Self.admin, on: sampah)
            try await Self.act(store, .accept(note: nil), by: Self.admin, on: sampah)
            // Two days on, the drainase complaint's response deadline has passed: breached and escalated to SETDA-1871.
            let monitor = try await store.sweep(now: Date().addingTimeInterval(9 * 86_400), closeResolvedBefore: .distantPast) {
                Self.workflow.sweep($0, now: Date().addingTimeInterval(9 * 86_400))
            }
            #expect(monitor.changed >= 1)
            let deliveries = try await Self.fanOut(store)
            let s = sampah.ticket.rawValue, d = drainase.ticket.rawValue
            #expect(deliveries["webhook:\(dlh.id)"] == ["complaint.filed \(s)", "complaint.forwarded \(s)"])
            let toPU = deliveries["webhook:\(pu.id)"] ?? []
            #expect(Array(toPU.prefix(3)) == ["complaint.filed \(d)", "complaint.forwarded \(s)", "complaint.accepted \(s)"])
            #expect(!toPU.contains("complaint.filed \(s)"), "filed before it was PU's")
            let toParent = deliveries["webhook:\(parent.id)"] ?? []
            #expect(toParent.contains("complaint.escalated \(d)"))
            #expect(!toParent.contains("complaint.filed \(d)"))
            let announced = try await Self.outboxCount(store)
            #expect((deliveries["webhook:\(province.id)"] ?? []).count == announced)
            #expect(deliveries["webhook:\(onlyClosed.id)"] == nil)
            // The fan-out's commits skip the fsync, and leave the connection as durable as it was.
            if !TestStores.onPostgres { #expect(try store.synchronousLevel() == 2) }
            // Fanned out once: a second pass adds nothing.
            let again = try await Self.fanOut(store)
            let total = { (byTarget: [String: [String]]) -> Int in byTarget.values.reduce(0) { $0 + $1.count } }
            #expect(total(again) == total(deliveries))
        }
    }

    @Test("a subscription added later gets only what is announced after it")
    func fromNow() async throws {
        try await TestStores.with { store async throws in
            let early = try await Self.file(store)
            let subscription = try await Self.subscribe(store, opd: nil)
            let late = try await Self.file(store)
            let deliveries = try await Self.fanOut(store)
            #expect(deliveries["webhook:\(subscription.id)"] == ["complaint.filed \(late.ticket.rawValue)"])
            _ = early
        }
    }

    @Test("one complaint's deliveries to one receiver go one at a time, in order; a dead letter lets the next go")
    func order() async throws {
        try await TestStores.with { store async throws in
            let subscription = try await Self.subscribe(store, opd: nil)
            let first = try await Self.file(store)
            let second = try await Self.file(store)
            try await Self.act(store, .accept(note: nil), by: Self.admin, on: first)
            _ = try await Self.fanOut(store)
            var policy = DeliveryPolicy()
            policy.retryDelays = [0.001]
            var due = try await store.dueDeliveries(now: Date(), limit: 10, excluding: [])
            #expect(due.filter { $0.subscriptionID == subscription.id }.map(\.type) == ["complaint.filed", "complaint.filed"])
            let firstFiled = try #require(due.first { $0.complaintID == first.id && $0.subscriptionID != nil })
            // The first fails and waits for its retry: the accept behind it waits too; the other complaint's goes.
            try await store.recordAttempts(
                [(firstFiled, .failed(status: 500, error: "HTTP 500", retryAt: Date().addingTimeInterval(60)))], policy: policy, now: Date()
            )
            due = try await store.dueDeliveries(now: Date(), limit: 10, excluding: [])
            #expect(due.filter { $0.subscriptionID != nil }.map(\.complaintID) == [second.id])
            // Its last retry fails too: a dead letter, and the accept is next in line.
            try await store.recordAttempts(
                [(firstFiled, .failed(status: 500, error: "HTTP 500", retryAt: nil))], policy: policy, now: Date())
            due = try await store.dueDeliveries(now: Date(), limit: 10, excluding: [])
            #expect(due.filter { $0.complaintID == first.id && $0.subscriptionID != nil }.map(\.type) == ["complaint.accepted"])
            #expect(try await store.deliveries(subscriptionID: subscription.id, failedOnly: true).map(\.id) == [firstFiled.id])
            // An operator's retry puts it back in line, first again (it is the oldest).
            #expect(try await store.retryDeliveries(id: firstFiled.id, by: "test", now: Date()) == 1)
            due = try await store.dueDeliveries(now: Date(), limit: 10, excluding: [])
            #expect(due.filter { $0.complaintID == first.id && $0.subscriptionID != nil }.map(\.id) == [firstFiled.id])
        }
    }

    @Test("a 410 switches the subscription off at once; failing for days switches it off too, with the reason logged")
    func disabling() async throws {
        try await TestStores.with { store async throws in
            let gone = try await Self.subscribe(store, opd: nil)
            let failing = try await Self.subscribe(store, opd: nil)
            _ = try await Self.file(store)
            _ = try await Self.fanOut(store)
            let due = try await store.dueDeliveries(now: Date(), limit: 10, excluding: [])
            let toGone = try #require(due.first { $0.subscriptionID == gone.id })
            let toFailing = try #require(due.first { $0.subscriptionID == failing.id })
            var policy = DeliveryPolicy()
            policy.disableAfterFailures = 3
            policy.disableAfter = 3600
            let disabled = try await store.recordAttempts([(toGone, .gone)], policy: policy, now: Date())
            #expect(disabled.map(\.id) == [gone.id])
            #expect(try await store.subscription(id: gone.id)?.enabled == false)
            #expect(try await store.subscription(id: gone.id)?.disabledReason?.contains("410") == true)
            #expect(try await store.dueDeliveries(now: Date(), limit: 10, excluding: []).allSatisfy { $0.subscriptionID != gone.id })
            let start = Date()
            for hours in [0.0, 0.5, 1.5] {
                try await store.recordAttempts(
                    [(toFailing, .failed(status: nil, error: "connection refused", retryAt: Date()))], policy: policy,
                    now: start.addingTimeInterval(hours * 3600))
            }
            let switchedOff = try #require(try await store.subscription(id: failing.id))
            #expect(!switchedOff.enabled)
            #expect(switchedOff.consecutiveFailures == 3)
            #expect(try await store.webhookLog(subscriptionID: failing.id).first?.action == "disabled")
            // Switched on again by an operator: failures cleared, the waiting delivery goes out.
            _ = try await store.setSubscription(id: failing.id, enabled: true, reason: nil, by: "operator", now: Date())
            #expect(try await store.subscription(id: failing.id)?.consecutiveFailures == 0)
            #expect(try await store.dueDeliveries(now: Date(), limit: 10, excluding: []).contains { $0.subscriptionID == failing.id })
        }
    }

    @Test("messages are fanned out only for reporters with a phone who still want them; the previous key signs until its grace ends")
    func messagesAndRotation() async throws {
        try await TestStores.with { store async throws in
            let withPhone = try await Self.file(store, phone: "081234567890")
            _ = try await Self.file(store)
            let deliveries = try await Self.fanOut(store)
            #expect(deliveries["messages"]?.count == 1, "only for the reporter with a phone")
            let due = try await store.dueDeliveries(now: Date(), limit: 10, excluding: []).filter { $0.target == "messages" }
            #expect(due.first { $0.complaintID == withPhone.id }?.reporterPhone == "081234567890")
            _ = try await store.setNotifyReporter(ticket: withPhone.ticket, proof: .trackingToken(hash: "wrong"), false)
            #expect(
                try await store.dueDeliveries(now: Date(), limit: 10, excluding: []).first {
                    $0.complaintID == withPhone.id && $0.target == "messages"
                }?.notifyReporter == true)

            let subscription = try await Self.subscribe(store, opd: nil)
            #expect(try await store.sealedSecrets(subscriptionID: subscription.id, now: Date()).count == 1)
            let now = Date()
            #expect(
                try await store.rotateSecret(
                    id: subscription.id, sealedSecret: [1, 2, 3], graceUntil: now.addingTimeInterval(60), by: "op", now: now))
            #expect(try await store.sealedSecrets(subscriptionID: subscription.id, now: now).count == 2)
            #expect(try await store.sealedSecrets(subscriptionID: subscription.id, now: now.addingTimeInterval(61)) == [[1, 2, 3]])
        }
    }
}

@Suite("Event details: read back by hand")
struct DetailsJSONDecodingTests {
    @Test("what encode writes decodes by hand to the same map; other JSON goes through the decoder")
    func roundTrip() {
        let maps: [[String: String]] = [
            [:], ["a": "b"], ["note": "Jalan \"rusak\" di C:\\jalan\nbaris\tdua\r", "ctl": "\u{01}\u{1f}", "emoji": "banjir 🌊 é"],
            ["": ""], ["clock": "response", "due_at": "2026-11-05T16:00:00+07:00", "opd": "DLH-1871"],
        ]
        for map in maps {
            let encoded = DetailsJSON.encode(map)
            #expect(DetailsJSON.decodeOwn(encoded) == map, "\(encoded)")
            #expect(DetailsJSON.decode(encoded) == map)
        }
        #expect(DetailsJSON.decodeOwn(#"{ "a" : "b" }"#) == nil)
        #expect(DetailsJSON.decode(#"{ "a" : "b" }"#) == ["a": "b"])
        #expect(DetailsJSON.decodeOwn(#"{"a":"b"}x"#) == nil)
        #expect(DetailsJSON.decodeOwn(#"{"a":"b""#) == nil)
        #expect(DetailsJSON.decode("not json") == [:])
    }
}
