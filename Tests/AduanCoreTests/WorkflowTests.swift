import AduanCore
import Foundation
import Testing

/// Builders for the workflow tests. Times are WIB wall-clock times in Bandar Lampung; every expected deadline below
/// is worked out by hand in a comment, never by calling the function under test.
enum Fixture {
    static let workflow = Workflow(catalog: lampung)
    static let hour = 3_600.0

    /// A WIB wall-clock time, e.g. `wib("2026-11-04T09:00")`.
    static func wib(_ local: String) -> Date { instant(local + ":00+07:00") }

    /// A complaint of `category` in Kedaton (18.71.01, Bandar Lampung), filed through intake at `filed` with the
    /// deadlines intake gives it, in status submitted.
    static func complaint(_ category: String, filed: Date, id: Int64 = 1) throws -> Complaint {
        let new = try Intake(catalog: lampung).admit(
            SubmissionInput(category: category, description: "Keluhan warga di Kedaton untuk pengujian.", region: "18.71.01"),
            now: filed
        ).get()
        return Complaint(
            id: id, ticket: Ticket(period: new.ticketPeriod, sequence: Int(id)), category: new.category,
            description: new.description, region: new.region, location: new.location, address: new.address,
            reporter: new.reporter, visibility: new.visibility, anonymous: new.anonymous, routingRule: new.routingRule,
            createdAt: new.createdAt,
            state: ComplaintState(
                status: .submitted, opd: new.opd, responseDueAt: new.responseDueAt, resolutionDueAt: new.resolutionDueAt,
                responseAtRiskAt: new.responseAtRiskAt, resolutionAtRiskAt: new.resolutionAtRiskAt, updatedAt: new.createdAt))
    }

    /// The complaint most tests start from: sampah (response 1 working day, resolution 3 working days) filed
    /// Wednesday 4 November 2026 at 09:00 WIB, routed to DLH-1871. No holidays fall in November 2026.
    ///   response due    Thu 5 Nov 16:00 (received Wednesday; 1 working day later)
    ///   response risk   Thu 5 Nov 09:48 (counted: Wed 09-24 = 15 h + Thu 00-16 = 16 h = 31 h; 80% = 24.8 h;
    ///                   Wednesday gives 15 h, the other 9.8 h = 9 h 48 m run into Thursday)
    ///   resolution due  Mon 9 Nov 16:00 (Thu, Fri, Mon)
    ///   resolution risk Mon 9 Nov 00:12 (counted: 15 + 24 + 24 + 16 = 79 h; 80% = 63.2 h = 15 + 24 + 24 h,
    ///                   then 0.2 h = 12 m into Monday)
    static func sampah(id: Int64 = 1) throws -> Complaint {
        try self.complaint("sampah", filed: self.wib("2026-11-04T09:00"), id: id)
    }

    static func member(_ role: StaffRole, opd: String? = nil, id: Int64 = 7) -> StaffMember {
        StaffMember(id: id, name: "Petugas \(role.rawValue)", role: role, opd: opd, createdAt: wib("2026-01-05T08:00"), revokedAt: nil)
    }

    static let triage = member(.triage, opd: "DLH-1871", id: 7)
    static let officer = member(.officer, opd: "DLH-1871", id: 8)
    static let supervisor = member(.supervisor, id: 9)
    static let admin = member(.admin, id: 10)

    /// A valid command for each action.
    static func command(_ action: StaffAction) -> StaffCommand {
        switch action {
        case .accept: return .accept(note: nil)
        case .forward: return .forward(to: "PUPR-1871", note: "Saluran air, bukan sampah.")
        case .reject: return .reject(reason: "Bukan wewenang pemerintah daerah.")
        case .askInfo: return .askInfo(question: "Mohon kirim foto lokasi.")
        case .resolve: return .resolve(note: "Sampah sudah diangkut.")
        case .comment: return .comment(text: "Tim dijadwalkan besok.", visibleToReporter: true)
        case .merge: return .merge(into: Ticket("2611-00002"), note: nil)
        case .reopen: return .reopen(reason: "Sampah menumpuk lagi.")
        case .validate: return .validate(note: nil)
        case .rejectResolution: return .rejectResolution(reason: "Foto sesudah sama dengan foto pelapor.")
        }
    }

    static func system(_ kind: ComplaintEvent.Kind, at local: String, visible: Bool = false, _ details: [String: String]) -> ComplaintEvent {
        ComplaintEvent(kind: kind, actorKind: .system, actorID: nil, at: wib(local), visibleToReporter: visible, details: details)
    }
}

// MARK: - The action table, roles and staff actions

@Suite("Workflow: the action table, the roles and the staff actions")
struct WorkflowActionTests {
    let workflow = Fixture.workflow

    @Test("every action the table allows leads where the table says, from every status it may be taken in",
          arguments: StaffAction.allCases)
    func workflowFollowsTheTable(_ action: StaffAction) throws {
        let target = try Fixture.sampah(id: 2)
        var checked = 0
        for status in ComplaintStatus.allCases {
            var complaint = try Fixture.sampah()
            complaint.state.status = status
            if status == .waitingInfo { complaint.state.pausedAt = Fixture.wib("2026-11-04T10:00") }
            if status == .resolved || status == .closed { complaint.state.resolvedAt = Fixture.wib("2026-11-04T11:00") }
            // A supervisor's verdict needs a resolution awaiting validation (WorkflowEvidenceTests covers the others).
            if status == .resolved && (action == .validate || action == .rejectResolution) { complaint.state.resolutionReview = .pending }
            let outcome = Result { () throws(WorkflowError) in
                try workflow.apply(Fixture.command(action), by: Fixture.admin, to: complaint, mergeTarget: target, now: Fixture.wib("2026-11-04T12:00"))
            }
            switch outcome {
            case .success(let transition):
                #expect(action.allowedFrom.contains(status), "\(action.rawValue) was allowed from \(status.rawValue)")
                #expect(transition.state.status == action.leadsTo ?? status, "\(action.rawValue) from \(status.rawValue)")
                checked += 1
            case .failure(let error):
                #expect(!action.allowedFrom.contains(status), "\(action.rawValue) from \(status.rawValue): \(error)")
            }
        }
        #expect(checked == action.allowedFrom.count && checked > 0)
    }

    @Test("forward, comment and validate are the only actions that leave the status as it is")
    func statusKeepingActions() {
        #expect(StaffAction.allCases.filter { $0.leadsTo == nil } == [.forward, .comment, .validate])
    }

    @Test("a rejected or merged complaint admits nothing but a comment", arguments: [ComplaintStatus.rejected, .duplicate])
    func finalStatuses(_ status: ComplaintStatus) {
        #expect(StaffAction.allCases.filter { $0.allowedFrom.contains(status) } == [.comment])
    }

    static let matrix: [(StaffRole, Set<StaffAction>)] = [
        (.admin, [.accept, .forward, .reject, .askInfo, .resolve, .comment, .merge, .reopen, .validate, .rejectResolution]),
        (.supervisor, [.accept, .forward, .reject, .askInfo, .resolve, .comment, .merge, .reopen, .validate, .rejectResolution]),
        (.triage, [.accept, .forward, .reject, .askInfo, .resolve, .comment, .merge]),
        (.officer, [.accept, .askInfo, .resolve, .comment]),
    ]

    @Test("each role may take exactly its row of the authorisation matrix", arguments: matrix)
    func permittedActions(_ role: StaffRole, _ actions: Set<StaffAction>) {
        #expect(role.permittedActions == actions)
    }

    /// Admins and supervisors may take every action (their rows are checked above), so only the roles with refusals.
    @Test("a member is refused every action outside their role's row, before the status is even considered",
          arguments: StaffRole.allCases.filter { $0.permittedActions != Set(StaffAction.allCases) })
    func notPermittedAnywhere(_ role: StaffRole) throws {
        let member = Fixture.member(role, opd: role.isProvinceWide ? nil : "DLH-1871")
        let complaint = try Fixture.sampah()
        let refused = StaffAction.allCases.filter { !role.permittedActions.contains($0) }
        #expect(!refused.isEmpty)
        for action in refused {
            #expect(throws: WorkflowError.notPermitted(role: role, action: action)) {
                try self.workflow.apply(Fixture.command(action), by: member, to: complaint, mergeTarget: nil, now: Fixture.wib("2026-11-04T10:00"))
            }
        }
    }

    static let visibility: [(StaffRole, String?, String, Bool)] = [
        (.admin, nil, "DLH-1871", true),
        (.supervisor, nil, "PUPR-1871", true),
        (.triage, "DLH-1871", "DLH-1871", true),
        (.triage, "DLH-1871", "PUPR-1871", false),
        (.officer, "PUPR-1871", "PUPR-1871", true),
        (.officer, "PUPR-1871", "DLH-1871", false),
    ]

    @Test("province-wide roles see every complaint; OPD roles see only their own office's", arguments: visibility)
    func canSee(_ role: StaffRole, _ memberOPD: String?, _ complaintOPD: String, _ expected: Bool) throws {
        var complaint = try Fixture.sampah()
        complaint.state.opd = complaintOPD
        #expect(Fixture.member(role, opd: memberOPD).canSee(complaint) == expected)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let name: String
        let member: StaffMember
        let command: StaffCommand
        let status: ComplaintStatus
        let allowed: [String]
        var testDescription: String { self.name }
    }

    // `allowed` is worked out by hand from the table: the role's actions whose allowedFrom holds the status, in
    // the order of StaffAction.allCases.
    static let refusals: [Refusal] = [
        Refusal(name: "triage cannot resolve what is not yet accepted", member: Fixture.triage,
                command: .resolve(note: "Selesai."), status: .submitted,
                allowed: ["accept", "forward", "reject", "ask-info", "comment", "merge"]),
        Refusal(name: "an officer cannot resolve what is not yet accepted", member: Fixture.officer,
                command: .resolve(note: "Selesai."), status: .submitted, allowed: ["accept", "ask-info", "comment"]),
        Refusal(name: "triage cannot ask again while waiting for the reporter", member: Fixture.triage,
                command: .askInfo(question: "Lagi?"), status: .waitingInfo,
                allowed: ["accept", "forward", "reject", "comment", "merge"]),
        Refusal(name: "a supervisor cannot accept a resolved complaint, only comment or reopen it", member: Fixture.supervisor,
                command: .accept(note: nil), status: .resolved, allowed: ["comment", "reopen"]),
        Refusal(name: "an officer can only comment on a rejected complaint", member: Fixture.officer,
                command: .accept(note: nil), status: .rejected, allowed: ["comment"]),
    ]

    @Test("an action outside the table for the status is refused, naming what the member could do instead", arguments: refusals)
    func invalidTransition(_ c: Refusal) throws {
        var complaint = try Fixture.sampah()
        complaint.state.status = c.status
        #expect(throws: WorkflowError.invalidTransition(action: c.command.action.rawValue, status: c.status, allowed: c.allowed)) {
            try self.workflow.apply(c.command, by: c.member, to: complaint, mergeTarget: nil, now: Fixture.wib("2026-11-04T10:00"))
        }
    }

    struct BadCommand: Sendable, CustomTestStringConvertible {
        let name: String
        let member: StaffMember
        let command: StaffCommand
        let error: WorkflowError
        var testDescription: String { self.name }
    }

    static let badCommands: [BadCommand] = [
        BadCommand(name: "an officer may not forward", member: Fixture.officer,
                   command: .forward(to: "PUPR-1871", note: "Bukan bidang kami."),
                   error: .notPermitted(role: .officer, action: .forward)),
        BadCommand(name: "an officer may not reject", member: Fixture.officer, command: .reject(reason: "Spam."),
                   error: .notPermitted(role: .officer, action: .reject)),
        BadCommand(name: "forwarding to an OPD the catalog does not know", member: Fixture.triage,
                   command: .forward(to: "PUPR-9999", note: "Ke kabupaten lain."),
                   error: .invalidInput([FieldError(field: "to", code: .invalidValue)])),
        BadCommand(name: "forwarding to the office that already has it", member: Fixture.triage,
                   command: .forward(to: "DLH-1871", note: "Ke kami sendiri."),
                   error: .invalidInput([FieldError(field: "to", code: .invalidValue)])),
        BadCommand(name: "forwarding without a note", member: Fixture.triage, command: .forward(to: "PUPR-1871", note: "  \n "),
                   error: .invalidInput([FieldError(field: "note", code: .required)])),
        BadCommand(name: "rejecting with a blank reason", member: Fixture.triage, command: .reject(reason: "   "),
                   error: .invalidInput([FieldError(field: "reason", code: .required)])),
        BadCommand(name: "asking an empty question", member: Fixture.officer, command: .askInfo(question: ""),
                   error: .invalidInput([FieldError(field: "question", code: .required)])),
        BadCommand(name: "a comment with a control character", member: Fixture.officer,
                   command: .comment(text: "catatan\u{0007}", visibleToReporter: false),
                   error: .invalidInput([FieldError(field: "text", code: .controlCharacters)])),
    ]

    @Test("a command the role may not take, or with bad input, is refused with a stable error", arguments: badCommands)
    func badCommand(_ c: BadCommand) throws {
        let complaint = try Fixture.sampah()
        #expect(throws: c.error) {
            try self.workflow.apply(c.command, by: c.member, to: complaint, mergeTarget: nil, now: Fixture.wib("2026-11-04T10:00"))
        }
    }

    @Test("accepting moves to in_progress and records the first response at that instant")
    func acceptRecordsResponse() throws {
        let complaint = try Fixture.sampah()
        let at = Fixture.wib("2026-11-04T10:30")
        let transition = try self.workflow.apply(.accept(note: "Segera ditangani."), by: Fixture.officer, to: complaint, mergeTarget: nil, now: at)
        #expect(transition.state.status == .inProgress)
        #expect(transition.state.respondedAt == at)
        #expect(transition.state.updatedAt == at)
        #expect(transition.events == [
            ComplaintEvent(kind: .statusChanged, actorKind: .staff, actorID: "8", at: at, visibleToReporter: true,
                           details: ["from": "submitted", "to": "in_progress", "note": "Segera ditangani."])
        ])
    }

    @Test("the first response is kept: a later action does not move respondedAt")
    func firstResponseKept() throws {
        var complaint = try Fixture.sampah()
        complaint.state = try self.workflow.apply(.accept(note: nil), by: Fixture.officer, to: complaint, mergeTarget: nil,
                                                  now: Fixture.wib("2026-11-04T10:30")).state
        let resolved = try self.workflow.apply(.resolve(note: "Sudah diangkut."), by: Fixture.officer, to: complaint, mergeTarget: nil,
                                               now: Fixture.wib("2026-11-05T11:00")).state
        #expect(resolved.respondedAt == Fixture.wib("2026-11-04T10:30"))
        #expect(resolved.resolvedAt == Fixture.wib("2026-11-05T11:00"))
        #expect(resolved.status == .resolved)
    }

    @Test("forwarding hands the complaint over without counting as a response or moving any deadline")
    func forwardIsNotAResponse() throws {
        let complaint = try Fixture.sampah()
        let at = Fixture.wib("2026-11-04T10:30")
        let transition = try self.workflow.apply(.forward(to: "PUPR-1871", note: "Saluran tersumbat."), by: Fixture.triage,
                                                 to: complaint, mergeTarget: nil, now: at)
        #expect(transition.state.opd == "PUPR-1871")
        #expect(transition.state.status == .submitted)
        #expect(transition.state.respondedAt == nil)
        #expect(transition.state.responseDueAt == Fixture.wib("2026-11-05T16:00"))
        #expect(transition.state.resolutionDueAt == Fixture.wib("2026-11-09T16:00"))
        #expect(transition.state.responseAtRiskAt == complaint.state.responseAtRiskAt)
        #expect(transition.events == [
            ComplaintEvent(kind: .forwarded, actorKind: .staff, actorID: "7", at: at, visibleToReporter: true,
                           details: ["from": "DLH-1871", "to": "PUPR-1871"]),
            ComplaintEvent(kind: .comment, actorKind: .staff, actorID: "7", at: at, visibleToReporter: false,
                           details: ["text": "Saluran tersumbat.", "context": "forward"]),
        ])
        // The sending office's triage no longer sees it; the receiving office's does.
        var forwarded = complaint
        forwarded.state = transition.state
        #expect(!Fixture.triage.canSee(forwarded))
        #expect(Fixture.member(.triage, opd: "PUPR-1871").canSee(forwarded))
    }
}

// MARK: - Pausing while the reporter is asked

@Suite("Workflow: the clocks pause while the reporter is asked")
struct WorkflowPauseTests {
    let workflow = Fixture.workflow

    struct Pause: Sendable, CustomTestStringConvertible {
        let name: String
        /// sampah filed at `filed`, accepted at `accepted`, asked at `asked`, answered by the reporter at `replied`.
        let filed, accepted, asked, replied: String
        /// Counted time the resolution deadline moved: the pause's working time, then on to the close of that day.
        let pausedHours: Double
        let dueBefore, dueAfter, atRiskBefore, atRiskAfter: String
        var testDescription: String { self.name }
    }

    static let pauses: [Pause] = [
        // Filed Wed 4 Nov 09:00: resolution due Mon 9 Nov 16:00, at risk Mon 00:12 (see Fixture.sampah).
        // Paused Fri 6 Nov 10:00 to Mon 9 Nov 10:00: Fri 10-24 = 14 h + Sat, Sun 0 + Mon 00-10 = 10 h = 24 h.
        // Due: 30 h were left at the pause (Fri 14 h + Mon 16 h); from Mon 10:00, Monday gives 14 h, the other
        // 16 h run to Tue 10 Nov 16:00. At risk: 14.2 h were left (Fri 14 h + Mon 0.2 h); Monday gives 14 h,
        // 0.2 h = 12 m run into Tuesday: Tue 00:12.
        Pause(name: "asked on Friday, answered on Monday: the weekend does not count, the 24 working hours do",
              filed: "2026-11-04T09:00", accepted: "2026-11-04T11:00", asked: "2026-11-06T10:00", replied: "2026-11-09T10:00",
              pausedHours: 24, dueBefore: "2026-11-09T16:00", dueAfter: "2026-11-10T16:00",
              atRiskBefore: "2026-11-09T00:12", atRiskAfter: "2026-11-10T00:12"),
        // Filed Wed 12 Aug 09:00; Mon 17 Aug is Independence Day. Resolution due: Thu 13, Fri 14, (Mon 17 off)
        // Tue 18 Aug 16:00. Counted to it: 15 + 24 + 24 + 16 = 79 h; 80% = 63.2 h: Wed, Thu, Fri give 63 h, then
        // 12 m into Tuesday: at risk Tue 18 Aug 00:12.
        // Paused Fri 14 Aug 10:00 to Mon 17 Aug 10:00: only Friday's 14 h count.
        // Due: 30 h left at the pause (Fri 14 h + Tue 16 h); the reply falls on the holiday, so the clock restarts
        // Tue 00:00: Tuesday gives 24 h, the other 6 h run to Wed 19 Aug 06:00, and a working-day deadline goes on
        // to that day's close, Wed 19 Aug 16:00 (so it moved 24 counted hours). At risk (not snapped): 14.2 h left,
        // from Tue 00:00: Tue 18 Aug 14:12.
        Pause(name: "asked on Friday, answered on a Monday holiday: Friday's 14 working hours count, to the next close",
              filed: "2026-08-12T09:00", accepted: "2026-08-12T11:00", asked: "2026-08-14T10:00", replied: "2026-08-17T10:00",
              pausedHours: 24, dueBefore: "2026-08-18T16:00", dueAfter: "2026-08-19T16:00",
              atRiskBefore: "2026-08-18T00:12", atRiskAfter: "2026-08-18T14:12"),
    ]

    @Test("a pause of seconds leaves a working-day deadline at its close; a pause of one working day moves it one day")
    func shortAndDayLongPauses() throws {
        // Filed Wed 4 Nov 09:00: resolution due Mon 9 Nov 16:00. Asked Thu 5 Nov 10:00 (the first response).
        var complaint = try Fixture.complaint("sampah", filed: Fixture.wib("2026-11-04T09:00"))
        #expect(complaint.resolutionDueAt == Fixture.wib("2026-11-09T16:00"))
        complaint.state = try self.workflow.apply(
            .askInfo(question: "Nomor rumah?"), by: Fixture.triage, to: complaint, mergeTarget: nil, now: Fixture.wib("2026-11-05T10:00")
        ).state
        // Answered 14 s later: 14 counted seconds reach Mon 16:00:14, which is still Monday: its close.
        let quick = try self.workflow.apply(.reply(text: "Nomor 12"), to: complaint, now: Fixture.wib("2026-11-05T10:00").addingTimeInterval(14))
        #expect(quick.state.resolutionDueAt == Fixture.wib("2026-11-09T16:00"))
        // Answered Fri 6 Nov 10:00: 24 counted hours reach Tue 10 Nov 16:00.
        let dayLater = try self.workflow.apply(.reply(text: "Nomor 12"), to: complaint, now: Fixture.wib("2026-11-06T10:00"))
        #expect(dayLater.state.resolutionDueAt == Fixture.wib("2026-11-10T16:00"))
        // Answered Fri 6 Nov 02:00 (16 counted hours): Tue 08:00 is reached, so Tuesday's close.
        let night = try self.workflow.apply(.reply(text: "Nomor 12"), to: complaint, now: Fixture.wib("2026-11-06T02:00"))
        #expect(night.state.resolutionDueAt == Fixture.wib("2026-11-10T16:00"))
    }

    @Test("asking pauses at that instant; the reporter's reply resumes and moves the resolution deadline later by the counted pause",
          arguments: pauses)
    func pauseAndResume(_ c: Pause) throws {
        var complaint = try Fixture.complaint("sampah", filed: Fixture.wib(c.filed))
        #expect(complaint.resolutionDueAt == Fixture.wib(c.dueBefore))
        #expect(complaint.state.resolutionAtRiskAt == Fixture.wib(c.atRiskBefore))

        complaint.state = try self.workflow.apply(.accept(note: nil), by: Fixture.triage, to: complaint, mergeTarget: nil,
                                                  now: Fixture.wib(c.accepted)).state
        let responseDue = complaint.responseDueAt
        complaint.state = try self.workflow.apply(.askInfo(question: "Di RT berapa tepatnya?"), by: Fixture.triage,
                                                  to: complaint, mergeTarget: nil, now: Fixture.wib(c.asked)).state
        #expect(complaint.status == .waitingInfo)
        #expect(complaint.state.pausedAt == Fixture.wib(c.asked))
        #expect(complaint.state.respondedAt == Fixture.wib(c.accepted))
        #expect(complaint.resolutionDueAt == Fixture.wib(c.dueBefore), "deadlines move on resumption, not on pausing")

        let reply = try self.workflow.apply(.reply(text: "RT 03, depan masjid."), to: complaint, now: Fixture.wib(c.replied))
        #expect(reply.state.status == .inProgress)
        #expect(reply.state.pausedAt == nil)
        #expect(reply.state.resolutionDueAt == Fixture.wib(c.dueAfter))
        #expect(reply.state.resolutionAtRiskAt == Fixture.wib(c.atRiskAfter))
        #expect(reply.state.responseDueAt == responseDue, "the response clock had stopped at the acceptance")
        #expect(reply.state.respondedAt == Fixture.wib(c.accepted))
        #expect(
            lampung.calendar.countedSeconds(from: Fixture.wib(c.dueBefore), to: reply.state.resolutionDueAt, target: .workingDays(3))
                == c.pausedHours * Fixture.hour)
        #expect(reply.events.map(\.kind) == [.comment, .statusChanged])
        #expect(reply.events.allSatisfy { $0.actorKind == .citizen && $0.actorID == nil })
        #expect(reply.events.last?.details == ["from": "waiting_info", "to": "in_progress", "reason": "reporter_replied"])
    }

    @Test("a staff acceptance while waiting also resumes the clocks, with the same shift as a reply")
    func acceptResumes() throws {
        // The first case above, with triage accepting on Monday 10:00 instead of the reporter replying.
        var complaint = try Fixture.sampah()
        complaint.state = try self.workflow.apply(.askInfo(question: "Di RT berapa?"), by: Fixture.triage, to: complaint,
                                                  mergeTarget: nil, now: Fixture.wib("2026-11-06T10:00")).state
        let accepted = try self.workflow.apply(.accept(note: nil), by: Fixture.triage, to: complaint, mergeTarget: nil,
                                               now: Fixture.wib("2026-11-09T10:00")).state
        #expect(accepted.status == .inProgress)
        #expect(accepted.pausedAt == nil)
        #expect(accepted.resolutionDueAt == Fixture.wib("2026-11-10T16:00"))
        // Asking was the first response (Friday 10:00), so the response clock did not move.
        #expect(accepted.respondedAt == Fixture.wib("2026-11-06T10:00"))
        #expect(accepted.responseDueAt == Fixture.wib("2026-11-05T16:00"))
    }

    @Test("a reply while the office is not waiting is only a comment")
    func replyWithoutPause() throws {
        var complaint = try Fixture.sampah()
        complaint.state.status = .inProgress
        let reply = try self.workflow.apply(.reply(text: "Masih menumpuk."), to: complaint, now: Fixture.wib("2026-11-05T08:00"))
        #expect(reply.state.status == .inProgress)
        #expect(reply.state.resolutionDueAt == complaint.resolutionDueAt)
        #expect(reply.events == [
            ComplaintEvent(kind: .comment, actorKind: .citizen, actorID: nil, at: Fixture.wib("2026-11-05T08:00"),
                           visibleToReporter: true, details: ["text": "Masih menumpuk."])
        ])
    }
}

// MARK: - Clock arithmetic
