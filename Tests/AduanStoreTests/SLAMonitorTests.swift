import AduanCore
import AduanServices
import AduanTestSupport
import Foundation
import GRDB
import Logging
import Testing

@testable import AduanStore

/// Filing, acting and sweeping on a real SQLite file, at chosen WIB times. Expected instants are worked out by hand
/// in the comments (November 2026 has no holidays in Lampung).
private enum Monitor {
    static let workflow = Workflow(catalog: intake.catalog)
    static let hour = 3_600.0

    /// A WIB wall-clock time, e.g. `wib("2026-11-04T09:00")`.
    static func wib(_ local: String) -> Date {
        guard let date = ISO8601DateFormatter().date(from: local + ":00+07:00") else { fatalError("bad test date \(local)") }
        return date
    }

    /// Files a complaint of `category` in Kedaton (18.71.01, Bandar Lampung) as if at `local` WIB.
    static func file(_ store: Store, _ category: String = "sampah", at local: String) async throws -> Complaint {
        let filing = try intake.file(
            SubmissionInput(category: category, description: "Keluhan warga di Kedaton, \(category).", region: "18.71.01"),
            now: self.wib(local)
        ).get()
        guard case .created(let complaint) = try await store.file(filing) else { throw Failure() }
        return complaint
    }

    /// One pass of the server's own SLA monitor service at `now`.
    static func sweep(_ store: Store, at now: Date) async throws -> Int {
        try await SLAMonitor(
            store: store, catalog: LiveCatalog(intake.catalog), interval: .seconds(60), now: { now }, logger: Logger(label: "test")
        ).sweep()
    }

    static func sweep(_ store: Store, at local: String) async throws -> Int {
        try await self.sweep(store, at: self.wib(local))
    }

    static func staff(_ store: Store, _ role: StaffRole, opd: String?) async throws -> StaffMember {
        try await store.addStaff(
            name: "Petugas \(role.rawValue)", role: role, opd: opd, tokenHash: Secrets.sha256Hex(UUID().uuidString),
            now: self.wib("2026-11-02T07:00"))
    }

    /// A staff command on the stored complaint, in one transaction.
    static func act(_ store: Store, _ command: StaffCommand, by member: StaffMember, on ticket: Ticket, at local: String)
        async throws -> Complaint
    {
        let now = self.wib(local)
        guard
            let complaint = try await store.update(
                ticket: ticket,
                { complaint, _ in
                    try Monitor.workflow.apply(command, by: member, to: complaint, mergeTarget: nil, now: now)
                })
        else { throw Failure() }
        return complaint
    }

    /// The reporter's reply on the stored complaint.
    static func reply(_ store: Store, on ticket: Ticket, at local: String) async throws -> Complaint {
        let now = self.wib(local)
        guard
            let complaint = try await store.update(
                ticket: ticket,
                { complaint, _ in
                    try Monitor.workflow.apply(.reply(text: "Lokasinya di RT 03, depan masjid."), to: complaint, now: now)
                })
        else { throw Failure() }
        return complaint
    }

    /// How many events of each kind the whole database holds.
    static func eventCounts(_ store: Store) async throws -> [String: Int] {
        try await store.read { session in
            var counts: [String: Int] = [:]
            for row in try session.fetchAll("SELECT kind, COUNT(*) AS n FROM complaint_event GROUP BY kind") {
                counts[row["kind"] as String] = row["n"] as Int
            }
            return counts
        }
    }

    /// The complaint row's SLA columns, read as stored.
    static func slaColumns(_ store: Store, id: Int64) async throws -> [String?] {
        try await store.read { session in
            guard let row = try session.fetchOne("SELECT response_sla, resolution_sla, escalated_to FROM complaint WHERE id = ?", [id])
            else { return [] }
            return [row["response_sla"] as String?, row["resolution_sla"] as String?, row["escalated_to"] as String?]
        }
    }

    static func kinds(_ store: Store, _ complaint: Complaint) async throws -> [ComplaintEvent.Kind] {
        try await store.events(complaintID: complaint.id).map(\.kind)
    }
}

@Suite("SLA monitor on a real database: marks, escalations and closures, each written once")
struct SLAMonitorTests {
    @Test("a sweep marks nothing before the at-risk point, then at risk, then breached and escalated, and nothing twice")
    func lifecycle() async throws {
        try await TestStores.with { store async throws in
            // sampah filed Wed 4 Nov 09:00: response due Thu 16:00, at risk at 80% of the 15 + 16 = 31 h counted,
            // i.e. 24.8 h = Wednesday's 15 h + 9 h 48 m: Thu 09:48. Resolution due Mon 9 Nov 16:00, at risk at 80% of
            // 15 + 24 + 24 + 16 = 79 h = 63.2 h: Mon 00:12.
            let filed = try await Monitor.file(store, at: "2026-11-04T09:00")
            #expect(filed.state.responseAtRiskAt == Monitor.wib("2026-11-05T09:48"))
            #expect(filed.state.resolutionAtRiskAt == Monitor.wib("2026-11-09T00:12"))

            #expect(try await Monitor.sweep(store, at: "2026-11-05T09:47") == 0)
            #expect(try await Monitor.kinds(store, filed) == [.submitted, .routed])

            #expect(try await Monitor.sweep(store, at: "2026-11-05T10:00") == 1)
            var events = try await store.events(complaintID: filed.id)
            #expect(events.map(\.kind) == [.submitted, .routed, .slaAtRisk])
            #expect(events.last?.at == Monitor.wib("2026-11-05T09:48"))
            #expect(events.last?.details["clock"] == "response")
            #expect(events.last?.actorKind == .system)
            #expect(try await Monitor.slaColumns(store, id: filed.id) == ["at_risk", "on_time", nil])

            // At the response deadline: breached and escalated to the office's parent, both at 16:00.
            #expect(try await Monitor.sweep(store, at: "2026-11-05T16:00") == 1)
            events = try await store.events(complaintID: filed.id)
            #expect(events.map(\.kind) == [.submitted, .routed, .slaAtRisk, .slaBreached, .escalated])
            #expect(events.suffix(2).allSatisfy { $0.at == Monitor.wib("2026-11-05T16:00") })
            #expect(events.last?.details["to_opd"] == "SETDA-1871")
            #expect(events.last?.details["to_role"] == "supervisor")
            #expect(try await Monitor.slaColumns(store, id: filed.id) == ["breached", "on_time", "SETDA-1871"])

            // Again at the same time: nothing left to do.
            #expect(try await Monitor.sweep(store, at: "2026-11-05T16:00") == 0)
            #expect(try await store.events(complaintID: filed.id).count == 5)

            // After the resolution deadline: the resolution clock's three events in one pass.
            #expect(try await Monitor.sweep(store, at: "2026-11-10T08:00") == 1)
            events = try await store.events(complaintID: filed.id)
            #expect(events.dropFirst(5).map(\.kind) == [.slaAtRisk, .slaBreached, .escalated])
            #expect(
                events.dropFirst(5).map(\.at) == [
                    Monitor.wib("2026-11-09T00:12"), Monitor.wib("2026-11-09T16:00"), Monitor.wib("2026-11-09T16:00"),
                ])
            #expect(events.dropFirst(5).allSatisfy { $0.details["clock"] == "resolution" })
            #expect(try await Monitor.slaColumns(store, id: filed.id) == ["breached", "breached", "SETDA-1871"])
            #expect(try await Monitor.sweep(store, at: "2026-11-10T08:00") == 0)
        }
    }

    @Test("after a restart on the same file, sweeping again writes no duplicate events")
    func restart() async throws {
        let path = temporaryDatabasePath()
        let before: [String: Int]
        do {
            let store = try Store.open(path: path)
            for local in ["2026-11-02T09:00", "2026-11-03T09:00", "2026-11-04T09:00"] {
                _ = try await Monitor.file(store, at: local)
            }
            #expect(try await Monitor.sweep(store, at: "2026-11-20T12:00") == 3)
            before = try await Monitor.eventCounts(store)
        }
        // Three complaints, each: submitted and routed, then on both clocks at risk, breached and escalated.
        #expect(before == ["submitted": 3, "routed": 3, "sla_at_risk": 6, "sla_breached": 6, "escalated": 6])

        let reopened = try Store.open(path: path)
        #expect(try await Monitor.sweep(reopened, at: "2026-11-20T12:00") == 0)
        #expect(try await Monitor.sweep(reopened, at: "2027-01-04T12:00") == 0)
        #expect(try await Monitor.eventCounts(reopened) == before)
    }

    @Test("a complaint waiting for the reporter is not marked; the reply moves its deadlines later by the counted pause")
    func pauseRespected() async throws {
        try await TestStores.with { store async throws in
            let triage = try await Monitor.staff(store, .triage, opd: "DLH-1871")
            let filed = try await Monitor.file(store, at: "2026-11-04T09:00")
            #expect(filed.resolutionDueAt == Monitor.wib("2026-11-09T16:00"))

            // Asked Thu 5 Nov 09:00, before the response's at-risk point (09:48): asking is the first response.
            let asked = try await Monitor.act(
                store, .askInfo(question: "Mohon foto lokasi."), by: triage, on: filed.ticket, at: "2026-11-05T09:00")
            #expect(asked.status == .waitingInfo)
            #expect(asked.state.pausedAt == Monitor.wib("2026-11-05T09:00"))
            #expect(asked.state.respondedAt == Monitor.wib("2026-11-05T09:00"))

            // Long past the original resolution deadline (Mon 16:00): nothing, because the clock is stopped.
            #expect(try await Monitor.sweep(store, at: "2026-11-10T08:00") == 0)
            #expect(try await Monitor.kinds(store, filed) == [.submitted, .routed, .statusChanged])

            // The reply on Tue 10 Nov 09:00. The pause counted Thu 09-24 = 15 h + Fri 24 h + Mon 24 h + Tue 00-09 = 9 h
            // = 72 h. At the pause 55 h were left to the deadline (Thu 15 h + Fri 24 h + Mon 16 h): from Tue 09:00,
            // Tuesday gives 15 h, Wednesday 24 h, the other 16 h end Thu 12 Nov 16:00. The at-risk point had 39.2 h
            // left (15 + 24 + 0.2): Tuesday 15 h, Wednesday 24 h, then 12 m: Thu 12 Nov 00:12.
            let replied = try await Monitor.reply(store, on: filed.ticket, at: "2026-11-10T09:00")
            #expect(replied.status == .inProgress)
            #expect(replied.state.pausedAt == nil)
            #expect(replied.resolutionDueAt == Monitor.wib("2026-11-12T16:00"))
            #expect(replied.state.resolutionAtRiskAt == Monitor.wib("2026-11-12T00:12"))
            #expect(
                intake.catalog.calendar.countedSeconds(from: filed.resolutionDueAt, to: replied.resolutionDueAt, target: .workingDays(3))
                    == 72 * Monitor.hour)
            let stored = try #require(try await store.complaint(ticket: filed.ticket))
            #expect(stored == replied)

            // The clock runs again, to its new points.
            #expect(try await Monitor.sweep(store, at: "2026-11-11T23:59") == 0)
            #expect(try await Monitor.sweep(store, at: "2026-11-12T00:12") == 1)
            #expect(try await Monitor.sweep(store, at: "2026-11-12T15:59") == 0)
            #expect(try await Monitor.sweep(store, at: "2026-11-12T16:00") == 1)
            let events = try await store.events(complaintID: filed.id)
            #expect(events.filter { $0.kind == .slaAtRisk }.map(\.at) == [Monitor.wib("2026-11-12T00:12")])
            #expect(events.filter { $0.kind == .slaBreached }.map(\.at) == [Monitor.wib("2026-11-12T16:00")])
            #expect(events.allSatisfy { $0.details["clock"] != "response" })
        }
    }

    @Test("one sweep far in the future catches up on every complaint, closing the resolved one")
    func catchUp() async throws {
        try await TestStores.with { store async throws in
            let triage = try await Monitor.staff(store, .triage, opd: "DLH-1871")
            var open: [Complaint] = []
            for category in ["sampah", "sampah", "jalan_rusak", "banjir"] {
                open.append(try await Monitor.file(store, category, at: "2026-11-04T09:00"))
            }
            let done = try await Monitor.file(store, at: "2026-11-04T09:00")
            _ = try await Monitor.act(store, .accept(note: nil), by: triage, on: done.ticket, at: "2026-11-04T10:00")
            _ = try await Monitor.act(store, .resolve(note: "Sudah diangkut."), by: triage, on: done.ticket, at: "2026-11-04T11:00")
            #expect(open.map(\.opd) == ["DLH-1871", "DLH-1871", "PUPR-1871", "BPBD-1871"])

            #expect(try await Monitor.sweep(store, at: "2026-12-01T10:00") == 5)

            for complaint in open {
                let events = try await store.events(complaintID: complaint.id)
                #expect(
                    events.map(\.kind) == [
                        .submitted, .routed, .slaAtRisk, .slaBreached, .escalated, .slaAtRisk, .slaBreached, .escalated,
                    ],
                    "\(complaint.category)")
                let stored = try #require(try await store.complaint(ticket: complaint.ticket))
                #expect(stored.state.responseSLA == .breached && stored.state.resolutionSLA == .breached)
                #expect(stored.state.escalatedTo == "SETDA-1871")
            }
            // banjir counts elapsed hours: response 6 h (at risk after 4 h 48 m), resolution 72 h (at risk after
            // 57 h 36 m): the events carry those instants, not the time of the sweep.
            let banjir = try await store.events(complaintID: open[3].id).dropFirst(2).map(\.at)
            #expect(
                banjir == [
                    Monitor.wib("2026-11-04T13:48"), Monitor.wib("2026-11-04T15:00"), Monitor.wib("2026-11-04T15:00"),
                    Monitor.wib("2026-11-06T18:36"), Monitor.wib("2026-11-07T09:00"), Monitor.wib("2026-11-07T09:00"),
                ])

            // The resolved one was answered and resolved before any at-risk point; the monitor closed it 7 days after.
            let closed = try #require(try await store.complaint(ticket: done.ticket))
            #expect(closed.status == .closed)
            let history = try await store.events(complaintID: done.id)
            #expect(history.map(\.kind) == [.submitted, .routed, .statusChanged, .statusChanged, .statusChanged])
            #expect(history.last?.actorKind == .system)
            #expect(history.last?.at == Monitor.wib("2026-11-11T11:00"))
            #expect(history.last?.details == ["from": "resolved", "to": "closed", "reason": "no_reply"])

            #expect(try await Monitor.sweep(store, at: "2026-12-01T10:00") == 0)
        }
    }

    @Test("the queue lists an office's open complaints by next deadline; at-risk and breached filters and paging follow the sweep")
    func queue() async throws {
        try await TestStores.with { store async throws in
            let triage = try await Monitor.staff(store, .triage, opd: "DLH-1871")
            // Filed out of deadline order so that ids do not give the order away. Next deadlines (sampah, response
            // 1 working day unless answered, then resolution 3 working days):
            //   C Wed 09:00 -> Thu 5 Nov 16:00          D Tue 08:00, accepted -> resolution Fri 6 Nov 16:00
            //   P jalan_rusak: PUPR-1871, not in the DLH queue
            //   B1, B2 Tue 09:00 -> Wed 4 Nov 16:00     A Mon 09:00 -> Tue 3 Nov 16:00
            //   E Mon 09:30, accepted and resolved: not open
            let c = try await Monitor.file(store, at: "2026-11-04T09:00")
            let d = try await Monitor.file(store, at: "2026-11-03T08:00")
            _ = try await Monitor.file(store, "jalan_rusak", at: "2026-11-02T07:00")
            let b1 = try await Monitor.file(store, at: "2026-11-03T09:00")
            let a = try await Monitor.file(store, at: "2026-11-02T09:00")
            let e = try await Monitor.file(store, at: "2026-11-02T09:30")
            let b2 = try await Monitor.file(store, at: "2026-11-03T09:00")
            _ = try await Monitor.act(store, .accept(note: nil), by: triage, on: d.ticket, at: "2026-11-03T10:00")
            _ = try await Monitor.act(store, .accept(note: nil), by: triage, on: e.ticket, at: "2026-11-02T10:00")
            _ = try await Monitor.act(store, .resolve(note: "Sudah diangkut."), by: triage, on: e.ticket, at: "2026-11-02T11:00")

            let all = try await store.queue(QueueQuery(opd: "DLH-1871"))
            #expect(all.map(\.ticket) == [a, b1, b2, c, d].map(\.ticket))
            #expect(
                all.map(\.state.nextDueAt)
                    == [
                        "2026-11-03T16:00", "2026-11-04T16:00", "2026-11-04T16:00", "2026-11-05T16:00", "2026-11-06T16:00",
                    ].map(Monitor.wib))

            // Wed 4 Nov 10:00: A's response (due Tue 16:00) is breached; B1 and B2 are at risk since Wed 09:48;
            // C (at risk Thu 09:48) and D (answered; resolution at risk Fri 00:00) are on time; P (jalan_rusak filed
            // Mon 07:00, due Tue 16:00) is breached too.
            #expect(try await Monitor.sweep(store, at: "2026-11-04T10:00") == 4)
            var atRisk = QueueQuery(opd: "DLH-1871")
            atRisk.atRisk = true
            #expect(try await store.queue(atRisk).map(\.ticket) == [b1, b2].map(\.ticket))
            var breached = QueueQuery(opd: "DLH-1871")
            breached.breached = true
            #expect(try await store.queue(breached).map(\.ticket) == [a.ticket])
            var province = QueueQuery()
            province.breached = true
            #expect(try await store.queue(province).count == 2, "A and P, across offices")

            // Pages of two, the boundary falling between B1 and B2, which share a deadline.
            var page = QueueQuery(opd: "DLH-1871")
            page.limit = 2
            var seen: [Ticket] = []
            var pages = 0
            while pages < 10 {
                let items = try await store.queue(page)
                if items.isEmpty { break }
                pages += 1
                seen += items.map(\.ticket)
                let last = try #require(items.last)
                page.after = QueuePosition(nextDueAt: last.state.nextDueAt, id: last.id)
            }
            #expect(pages == 3)
            #expect(seen == all.map(\.ticket))
        }
    }

    @Test("the schema refuses a staff event that does not name its staff member")
    func staffEventNeedsActor() async throws {
        let store = try Store.open(path: temporaryDatabasePath())
        let filed = try await Monitor.file(store, at: "2026-11-04T09:00")
        func event(_ actorKind: ComplaintEvent.ActorKind, _ actorID: String?) -> ComplaintEvent {
            ComplaintEvent(
                kind: .comment, actorKind: actorKind, actorID: actorID, at: Monitor.wib("2026-11-04T10:00"),
                visibleToReporter: false, details: ["text": "catatan internal"])
        }
        for actorID in [nil, ""] as [String?] {
            let staffEvent = event(.staff, actorID)
            let error = await #expect(throws: DatabaseError.self) {
                try await store.writer.write { db in try Store.append(staffEvent, to: filed.id, db) }
            }
            #expect(error?.message == "a staff event must name its staff member")
        }
        #expect(try await Monitor.kinds(store, filed) == [.submitted, .routed])

        // A named staff member, and the system without one, are accepted.
        let named = event(.staff, "1")
        let system = event(.system, nil)
        try await store.writer.write { db in
            try Store.append(named, to: filed.id, db)
            try Store.append(system, to: filed.id, db)
        }
        #expect(try await Monitor.kinds(store, filed) == [.submitted, .routed, .comment, .comment])
    }

    @Test("the schema refuses a paused complaint that is not waiting for the reporter, and a merge without a duplicate")
    func stateConsistency() async throws {
        let store = try Store.open(path: temporaryDatabasePath())
        let filed = try await Monitor.file(store, at: "2026-11-04T09:00")
        for sql in [
            "UPDATE complaint SET paused_at = updated_at WHERE id = ?",
            "UPDATE complaint SET status = 'waiting_info' WHERE id = ?",
            "UPDATE complaint SET merged_into = '2611-00002' WHERE id = ?",
            "UPDATE complaint SET status = 'duplicate' WHERE id = ?",
        ] {
            await #expect(throws: DatabaseError.self, "\(sql)") {
                try await store.writer.write { db in try db.execute(sql: sql, arguments: [filed.id]) }
            }
        }
        // Both together are a consistent state.
        try await store.writer.write { db in
            try db.execute(sql: "UPDATE complaint SET status = 'waiting_info', paused_at = updated_at WHERE id = ?", arguments: [filed.id])
        }
    }
}
