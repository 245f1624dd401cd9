import AduanCore
import Foundation
import Testing

@Suite("SLA clock arithmetic: counted time, advancing by it, and the at-risk point")
struct SLAClockTests {
    let calendar = lampung.calendar

    struct Span: Sendable, CustomTestStringConvertible {
        let name: String
        let from: String
        let to: String
        let target: SLATarget
        let hours: Double
        var testDescription: String { self.name }
    }

    static let spans: [Span] = [
        Span(name: "Friday 10:00 to Monday 10:00 counts Friday's 14 h and Monday's 10 h of a working-days target",
             from: "2026-11-06T10:00", to: "2026-11-09T10:00", target: .workingDays(1), hours: 14 + 10),
        Span(name: "the same span counts all 72 h of an hours target",
             from: "2026-11-06T10:00", to: "2026-11-09T10:00", target: .hours(72), hours: 72),
        Span(name: "across a Monday holiday (17 August 2026): Friday's 14 h and Tuesday's 10 h",
             from: "2026-08-14T10:00", to: "2026-08-18T10:00", target: .workingDays(3), hours: 14 + 10),
        Span(name: "the same span counts all 96 h of an hours target",
             from: "2026-08-14T10:00", to: "2026-08-18T10:00", target: .hours(72), hours: 96),
        Span(name: "within one working day, the hours elapsed",
             from: "2026-11-09T09:00", to: "2026-11-09T15:00", target: .workingDays(3), hours: 6),
        Span(name: "from Saturday noon, only Monday's 8 h until 08:00",
             from: "2026-11-07T12:00", to: "2026-11-09T08:00", target: .workingDays(1), hours: 8),
        Span(name: "Nyepi and Idul Fitri 2026 (18 to 24 March off): Tuesday's last 12 h and Wednesday's first 12 h",
             from: "2026-03-17T12:00", to: "2026-03-25T12:00", target: .workingDays(1), hours: 12 + 12),
        Span(name: "an end before the start counts nothing",
             from: "2026-11-09T10:00", to: "2026-11-06T10:00", target: .workingDays(1), hours: 0),
    ]

    @Test("counted seconds between two instants", arguments: spans)
    func counted(_ c: Span) {
        #expect(self.calendar.countedSeconds(from: Fixture.wib(c.from), to: Fixture.wib(c.to), target: c.target) == c.hours * Fixture.hour)
    }

    @Test("advancing by the counted time from the start lands on the end (every end here is in working time)",
          arguments: spans.filter { $0.hours > 0 })
    func advanceInvertsCounted(_ c: Span) {
        #expect(self.calendar.advance(Fixture.wib(c.from), by: c.hours * Fixture.hour, target: c.target) == Fixture.wib(c.to))
    }

    @Test("advancing by nothing stays put")
    func advanceByZero() {
        let start = Fixture.wib("2026-11-07T12:00")
        #expect(self.calendar.advance(start, by: 0, target: .workingDays(1)) == start)
    }

    struct Clock: Sendable, CustomTestStringConvertible {
        let name: String
        let start: String
        let target: SLATarget
        let due: String
        let atRisk: String
        var testDescription: String { self.name }
    }

    static let clocks: [Clock] = [
        // Received Monday; 5 working days: Tue, Wed, Thu, Fri, Mon. Counted: Mon 10-24 = 14 h + 4 × 24 h + Mon 0-16
        // = 16 h = 126 h; 80% = 100.8 h = Mon 14 + Tue, Wed, Thu 72 h = 86 h, then 14.8 h = 14 h 48 m into Friday.
        Clock(name: "5 working days from Monday 10:00: due next Monday 16:00, at risk Friday 14:48",
              start: "2026-11-09T10:00", target: .workingDays(5), due: "2026-11-16T16:00", atRisk: "2026-11-13T14:48"),
        // Counted 15 + 16 = 31 h; 80% = 24.8 h: Wednesday's 15 h, then 9 h 48 m into Thursday.
        Clock(name: "1 working day from Wednesday 09:00: due Thursday 16:00, at risk Thursday 09:48",
              start: "2026-11-04T09:00", target: .workingDays(1), due: "2026-11-05T16:00", atRisk: "2026-11-05T09:48"),
        // Counted 15 + 24 + 24 + 16 = 79 h; 80% = 63.2 h: Wed, Thu, Fri give 63 h, then 12 m into Monday.
        Clock(name: "3 working days from Wednesday 09:00: due Monday 16:00, at risk Monday 00:12",
              start: "2026-11-04T09:00", target: .workingDays(3), due: "2026-11-09T16:00", atRisk: "2026-11-09T00:12"),
        // Next working day after Friday is Tuesday (17 August is a holiday). Counted: Fri 14 h + Tue 16 h = 30 h;
        // 80% = 24 h: Friday's 14 h, then 10 h into Tuesday.
        Clock(name: "1 working day from Friday 10:00 before a Monday holiday: due Tuesday 16:00, at risk Tuesday 10:00",
              start: "2026-08-14T10:00", target: .workingDays(1), due: "2026-08-18T16:00", atRisk: "2026-08-18T10:00"),
        // 80% of 72 h = 57.6 h = 57 h 36 m after Friday 10:00: Sunday 19:36.
        Clock(name: "72 hours from Friday 10:00: at risk Sunday 19:36, weekend included",
              start: "2026-11-06T10:00", target: .hours(72), due: "2026-11-09T10:00", atRisk: "2026-11-08T19:36"),
    ]

    @Test("a clock falls due at the close of its last working day and is at risk at 80% of its counted time", arguments: clocks)
    func dueAndAtRisk(_ c: Clock) {
        let start = Fixture.wib(c.start)
        let due = self.calendar.deadline(from: start, target: c.target)
        #expect(due == Fixture.wib(c.due))
        #expect(self.calendar.atRisk(start: start, due: due, target: c.target) == Fixture.wib(c.atRisk))
    }

    @Test("intake gives a new complaint the same at-risk points (ketertiban_umum: resolution in 5 working days)")
    func intakeAtRisk() throws {
        let complaint = try Fixture.complaint("ketertiban_umum", filed: Fixture.wib("2026-11-09T10:00"))
        #expect(complaint.resolutionDueAt == Fixture.wib("2026-11-16T16:00"))
        #expect(complaint.state.resolutionAtRiskAt == Fixture.wib("2026-11-13T14:48"))
        // Response in 1 working day: due Tue 16:00; counted 14 + 16 = 30 h, 80% = 24 h: Tue 10:00.
        #expect(complaint.responseDueAt == Fixture.wib("2026-11-10T16:00"))
        #expect(complaint.state.responseAtRiskAt == Fixture.wib("2026-11-10T10:00"))
    }
}

// MARK: - The reporter

@Suite("Workflow: the reporter confirms, reopens or replies")
struct CitizenWorkflowTests {
    let workflow = Fixture.workflow

    /// The fixture complaint, accepted Wed 4 Nov 10:00 and resolved Mon 9 Nov 10:00 (late: its resolution was at risk).
    func resolved() throws -> Complaint {
        var complaint = try Fixture.sampah()
        complaint.state.status = .resolved
        complaint.state.respondedAt = Fixture.wib("2026-11-04T10:00")
        complaint.state.resolvedAt = Fixture.wib("2026-11-09T10:00")
        complaint.state.resolutionSLA = .atRisk
        return complaint
    }

    @Test("a rating outside 1 to 5 is refused as out of range", arguments: [0, 6, -1, 100])
    func ratingOutOfRange(_ rating: Int) throws {
        let complaint = try self.resolved()
        #expect(throws: WorkflowError.invalidInput([FieldError(field: "rating", code: .outOfRange)])) {
            try self.workflow.apply(.confirm(rating: rating, comment: nil), to: complaint, now: Fixture.wib("2026-11-10T08:00"))
        }
    }

    @Test("confirming a resolution closes it with a rating event", arguments: [1, 4, 5])
    func confirmCloses(_ rating: Int) throws {
        let complaint = try self.resolved()
        let at = Fixture.wib("2026-11-10T08:00")
        let transition = try self.workflow.apply(.confirm(rating: rating, comment: "Terima kasih"), to: complaint, now: at)
        #expect(transition.state.status == .closed)
        #expect(transition.events == [
            ComplaintEvent(kind: .rating, actorKind: .citizen, actorID: nil, at: at, visibleToReporter: true,
                           details: ["rating": String(rating), "comment": "Terima kasih"]),
            ComplaintEvent(kind: .statusChanged, actorKind: .citizen, actorID: nil, at: at, visibleToReporter: true,
                           details: ["from": "resolved", "to": "closed"]),
        ])
    }

    @Test("confirming what is not resolved is refused, naming the reporter's one possible action")
    func confirmBeforeResolution() throws {
        var complaint = try Fixture.sampah()
        complaint.state.status = .inProgress
        #expect(throws: WorkflowError.invalidTransition(action: "confirm", status: .inProgress, allowed: ["comment", "photos"])) {
            try self.workflow.apply(.confirm(rating: 5, comment: nil), to: complaint, now: Fixture.wib("2026-11-05T08:00"))
        }
    }

    @Test("reopening within the window starts a fresh resolution clock from now")
    func reopenWithinWindow() throws {
        let complaint = try self.resolved()
        // Two days after the resolution, Wed 11 Nov 09:00: received Wednesday; 3 working days: Thu, Fri, Mon
        // 16 Nov 16:00. At risk: counted 15 + 24 + 24 + 16 = 79 h, 80% = 63.2 h: Mon 16 Nov 00:12.
        let at = Fixture.wib("2026-11-11T09:00")
        let transition = try self.workflow.apply(.reopen(reason: "Sampah datang lagi."), to: complaint, now: at)
        #expect(transition.state.status == .reopened)
        #expect(transition.state.resolvedAt == nil)
        #expect(transition.state.resolutionDueAt == Fixture.wib("2026-11-16T16:00"))
        #expect(transition.state.resolutionAtRiskAt == Fixture.wib("2026-11-16T00:12"))
        #expect(transition.state.resolutionSLA == .onTime)
        #expect(transition.state.reopenCount == 1)
        #expect(transition.state.respondedAt == Fixture.wib("2026-11-04T10:00"), "the response clock stays stopped")
        #expect(transition.events == [
            ComplaintEvent(kind: .statusChanged, actorKind: .citizen, actorID: nil, at: at, visibleToReporter: true,
                           details: ["from": "resolved", "to": "reopened", "reason": "Sampah datang lagi."])
        ])
    }

    @Test("reopening on the last minute of the 7-day window is allowed; a minute after it is refused")
    func reopenWindow() throws {
        let complaint = try self.resolved()
        // Resolved Mon 9 Nov 10:00; the window ends Mon 16 Nov 10:00.
        let inside = try self.workflow.apply(.reopen(reason: "Belum beres."), to: complaint, now: Fixture.wib("2026-11-16T09:59"))
        #expect(inside.state.status == .reopened)
        #expect(throws: WorkflowError.reopenWindowClosed(resolvedAt: Fixture.wib("2026-11-09T10:00"))) {
            try self.workflow.apply(.reopen(reason: "Belum beres."), to: complaint, now: Fixture.wib("2026-11-16T10:01"))
        }
    }

    @Test("a reopen by the reporter needs a reason")
    func reopenNeedsReason() throws {
        let complaint = try self.resolved()
        #expect(throws: WorkflowError.invalidInput([FieldError(field: "reason", code: .required)])) {
            try self.workflow.apply(.reopen(reason: " "), to: complaint, now: Fixture.wib("2026-11-10T08:00"))
        }
    }

    @Test("a reply on a closed complaint is refused: the reporter can do nothing more", arguments: [ComplaintStatus.closed, .rejected, .duplicate])
    func replyWhenFinished(_ status: ComplaintStatus) throws {
        var complaint = try self.resolved()
        complaint.state.status = status
        #expect(throws: WorkflowError.invalidTransition(action: "comment", status: status, allowed: [])) {
            try self.workflow.apply(.reply(text: "Halo?"), to: complaint, now: Fixture.wib("2026-11-20T08:00"))
        }
    }

    @Test("a supervisor may reopen a closed complaint long after the reporter's window")
    func supervisorReopensClosed() throws {
        var complaint = try self.resolved()
        complaint.state.status = .closed
        let at = Fixture.wib("2026-12-01T09:00")
        let transition = try self.workflow.apply(.reopen(reason: "Laporan palsu penyelesaian."), by: Fixture.supervisor,
                                                 to: complaint, mergeTarget: nil, now: at)
        #expect(transition.state.status == .reopened)
        #expect(transition.state.reopenCount == 1)
        // Tue 1 Dec 09:00: received Tuesday; Wed, Thu, Fri: due Fri 4 Dec 16:00.
        #expect(transition.state.resolutionDueAt == Fixture.wib("2026-12-04T16:00"))
    }
}

// MARK: - The SLA monitor's step

@Suite("Workflow.sweep: at risk, breached, escalated and closed, at the instants they happened")
struct SweepTests {
    let workflow = Fixture.workflow

    static let responseDetails = ["clock": "response", "due_at": "2026-11-05T16:00:00+07:00", "opd": "DLH-1871"]
    static let resolutionDetails = ["clock": "resolution", "due_at": "2026-11-09T16:00:00+07:00", "opd": "DLH-1871"]
    static func escalation(_ details: [String: String], to opd: String = "SETDA-1871") -> [String: String] {
        details.merging(["to_opd": opd, "to_role": "supervisor"]) { $1 }
    }

    @Test("the fixture complaint's clocks are as worked out by hand")
    func fixtureDeadlines() throws {
        let complaint = try Fixture.sampah()
        #expect(complaint.opd == "DLH-1871")
        #expect(lampung.opds["DLH-1871"]?.parent == "SETDA-1871")
        #expect(complaint.responseDueAt == Fixture.wib("2026-11-05T16:00"))
        #expect(complaint.state.responseAtRiskAt == Fixture.wib("2026-11-05T09:48"))
        #expect(complaint.resolutionDueAt == Fixture.wib("2026-11-09T16:00"))
        #expect(complaint.state.resolutionAtRiskAt == Fixture.wib("2026-11-09T00:12"))
    }

    @Test("nothing is done before the first at-risk point")
    func nothingBeforeAtRisk() throws {
        let complaint = try Fixture.sampah()
        #expect(self.workflow.sweep(complaint, now: Fixture.wib("2026-11-04T09:00"))?.events == nil)
        #expect(self.workflow.sweep(complaint, now: Fixture.wib("2026-11-05T09:47"))?.events == nil)
    }

    @Test("past the at-risk point the clock is marked at risk, with the event at the at-risk instant")
    func atRisk() throws {
        let complaint = try Fixture.sampah()
        let now = Fixture.wib("2026-11-05T10:00")
        let transition = try #require(self.workflow.sweep(complaint, now: now))
        #expect(transition.state.responseSLA == .atRisk)
        #expect(transition.state.resolutionSLA == .onTime)
        #expect(transition.state.escalatedTo == nil)
        #expect(transition.state.updatedAt == now)
        #expect(transition.events == [Fixture.system(.slaAtRisk, at: "2026-11-05T09:48", Self.responseDetails)])
    }

    @Test("a sweep long after both deadlines catches up: at risk, breached and escalated on both clocks, at the threshold instants")
    func catchUp() throws {
        let complaint = try Fixture.sampah()
        let now = Fixture.wib("2026-11-20T12:00")
        let transition = try #require(self.workflow.sweep(complaint, now: now))
        #expect(transition.state.responseSLA == .breached)
        #expect(transition.state.resolutionSLA == .breached)
        #expect(transition.state.escalatedTo == "SETDA-1871")
        #expect(transition.state.status == .submitted)
        #expect(transition.events == [
            Fixture.system(.slaAtRisk, at: "2026-11-05T09:48", Self.responseDetails),
            Fixture.system(.slaBreached, at: "2026-11-05T16:00", Self.responseDetails),
            Fixture.system(.escalated, at: "2026-11-05T16:00", Self.escalation(Self.responseDetails)),
            Fixture.system(.slaAtRisk, at: "2026-11-09T00:12", Self.resolutionDetails),
            Fixture.system(.slaBreached, at: "2026-11-09T16:00", Self.resolutionDetails),
            Fixture.system(.escalated, at: "2026-11-09T16:00", Self.escalation(Self.resolutionDetails)),
        ])

        // Idempotent: the marked state has nothing left to do, now or later.
        var marked = complaint
        marked.state = transition.state
        #expect(self.workflow.sweep(marked, now: now)?.events == nil)
        #expect(self.workflow.sweep(marked, now: Fixture.wib("2027-01-04T12:00"))?.events == nil)
    }

    @Test("a monitor sweeping at each threshold writes the same history as one catching up once")
    func stepwiseEqualsCatchUp() throws {
        let complaint = try Fixture.sampah()
        var stepwise = complaint
        var history: [ComplaintEvent] = []
        for local in ["2026-11-05T09:48", "2026-11-05T16:00", "2026-11-09T00:12", "2026-11-09T16:00"] {
            let transition = try #require(self.workflow.sweep(stepwise, now: Fixture.wib(local)), "nothing at \(local)")
            stepwise.state = transition.state
            history += transition.events
        }
        let caughtUp = try #require(self.workflow.sweep(complaint, now: Fixture.wib("2026-11-20T12:00")))
        #expect(history == caughtUp.events)
        #expect(stepwise.state.responseSLA == caughtUp.state.responseSLA)
        #expect(stepwise.state.resolutionSLA == caughtUp.state.resolutionSLA)
        #expect(stepwise.state.escalatedTo == caughtUp.state.escalatedTo)
    }

    @Test("a complaint whose clocks are stopped is never marked", arguments: [
        ComplaintStatus.waitingInfo, .closed, .rejected, .duplicate,
    ])
    func stoppedClocks(_ status: ComplaintStatus) throws {
        var complaint = try Fixture.sampah()
        complaint.state.status = status
        if status == .waitingInfo {
            complaint.state.respondedAt = Fixture.wib("2026-11-05T09:00")
            complaint.state.pausedAt = Fixture.wib("2026-11-05T09:00")
        }
        #expect(self.workflow.sweep(complaint, now: Fixture.wib("2026-11-20T12:00"))?.events == nil)
    }

    @Test("a responded complaint's response clock is not marked; its resolution clock still is")
    func respondedClock() throws {
        var complaint = try Fixture.sampah()
        complaint.state.status = .inProgress
        complaint.state.respondedAt = Fixture.wib("2026-11-04T10:00")
        // Past the response deadline but before the resolution's at-risk point: nothing.
        #expect(self.workflow.sweep(complaint, now: Fixture.wib("2026-11-05T16:30"))?.events == nil)
        let transition = try #require(self.workflow.sweep(complaint, now: Fixture.wib("2026-11-20T12:00")))
        #expect(transition.state.responseSLA == .onTime)
        #expect(transition.state.resolutionSLA == .breached)
        #expect(transition.events == [
            Fixture.system(.slaAtRisk, at: "2026-11-09T00:12", Self.resolutionDetails),
            Fixture.system(.slaBreached, at: "2026-11-09T16:00", Self.resolutionDetails),
            Fixture.system(.escalated, at: "2026-11-09T16:00", Self.escalation(Self.resolutionDetails)),
        ])
    }

    @Test("a breach at the root office escalates to the supervisors only")
    func rootOfficeBreach() throws {
        var complaint = try Fixture.sampah()
        complaint.state.opd = "SETDA-18"
        let root = try #require(lampung.opds["SETDA-18"])
        #expect(root.parent == nil)
        let transition = try #require(self.workflow.sweep(complaint, now: Fixture.wib("2026-11-05T16:00")))
        var details = Self.responseDetails
        details["opd"] = "SETDA-18"
        #expect(transition.events.last == Fixture.system(.escalated, at: "2026-11-05T16:00", Self.escalation(details, to: "")))
        #expect(transition.state.escalatedTo == nil)
    }

    @Test("a resolution the reporter leaves unanswered is closed by the system 7 days after it, at that instant")
    func autoClose() throws {
        var complaint = try Fixture.sampah()
        complaint.state.status = .resolved
        complaint.state.respondedAt = Fixture.wib("2026-11-04T10:00")
        complaint.state.resolvedAt = Fixture.wib("2026-11-05T10:00")
        #expect(self.workflow.sweep(complaint, now: Fixture.wib("2026-11-12T09:59"))?.events == nil)
        let closed = Fixture.system(.statusChanged, at: "2026-11-12T10:00", visible: true,
                                    ["from": "resolved", "to": "closed", "reason": "no_reply"])
        for local in ["2026-11-12T10:00", "2026-11-30T08:00"] {
            let transition = try #require(self.workflow.sweep(complaint, now: Fixture.wib(local)))
            #expect(transition.state.status == .closed)
            #expect(transition.state.updatedAt == Fixture.wib(local))
            #expect(transition.events == [closed], "swept at \(local)")
        }
    }
}
