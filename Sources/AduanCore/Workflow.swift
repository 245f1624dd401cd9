import Foundation

/// Why a workflow step was refused.
public enum WorkflowError: Error, Hashable, Sendable {
    /// The actor's role may not take this action at all.
    case notPermitted(role: StaffRole, action: StaffAction)
    /// The action is not in the table for the complaint's status; `allowed` names what the actor could do instead.
    case invalidTransition(action: String, status: ComplaintStatus, allowed: [String])
    /// The reporter may reopen only within the window after the resolution.
    case reopenWindowClosed(resolvedAt: Date)
    case invalidInput([FieldError])
}

/// The outcome of a workflow step: the complaint's new state and the events that record it.
public struct Transition: Sendable {
    public var state: ComplaintState
    public var events: [ComplaintEvent]
    /// Events for other complaints (the target of a merge).
    public var relatedEvents: [(complaintID: Int64, event: ComplaintEvent)]
    /// Photos attached by this step (their files are already stored).
    public var photos: [PhotoAttachment]

    init(state: ComplaintState) {
        self.state = state
        self.events = []
        self.relatedEvents = []
        self.photos = []
    }
}

/// The workflow: every change of a complaint's status, clocks and office, as pure functions of the complaint, the
/// actor and the time. Storage applies the result in one transaction.
public struct Workflow: Sendable {
    public let catalog: Catalog
    public let evidenceChecks: EvidenceChecks
    public let photoLimits: PhotoLimits
    /// How long after a resolution the reporter may reopen it; after that the SLA monitor closes it.
    public static let confirmationWindow: TimeInterval = 7 * 86_400
    public static let textLength = 1...2000

    public init(catalog: Catalog, evidenceChecks: EvidenceChecks = EvidenceChecks(), photoLimits: PhotoLimits = PhotoLimits()) {
        self.catalog = catalog
        self.evidenceChecks = evidenceChecks
        self.photoLimits = photoLimits
    }

    // MARK: - Staff

    /// The actions a member could take on a complaint in its current status.
    public func allowedActions(for role: StaffRole, status: ComplaintStatus) -> [StaffAction] {
        StaffAction.allCases.filter { role.permittedActions.contains($0) && $0.allowedFrom.contains(status) }
    }

    /// The actions this member could take on this complaint now.
    public func allowedActions(for member: StaffMember, on complaint: Complaint) -> [StaffAction] {
        self.allowedActions(for: member.role, status: complaint.status).filter {
            (member.canWork(complaint) || $0 == .comment) && ($0.judgesEvidence ? complaint.state.awaitsValidation : true)
        }
    }

    /// Applies a staff command. The caller has already checked that the member can see the complaint; `mergeTarget`
    /// is the complaint named by a merge, if the member can see it; `photosOnFile` is what after-photos are compared
    /// with.
    public func apply(
        _ command: StaffCommand, by member: StaffMember, to complaint: Complaint, mergeTarget: Complaint?,
        photosOnFile: PhotosOnFile = PhotosOnFile(), now: Date
    ) throws(WorkflowError) -> Transition {
        let now = now.wholeMilliseconds
        let action = command.action
        guard member.role.permittedActions.contains(action), member.canWork(complaint) || action == .comment else {
            throw .notPermitted(role: member.role, action: action)
        }
        guard action.allowedFrom.contains(complaint.status), !action.judgesEvidence || complaint.state.awaitsValidation else {
            throw .invalidTransition(
                action: action.rawValue, status: complaint.status,
                allowed: self.allowedActions(for: member, on: complaint).map(\.rawValue))
        }
        let actor = Actor.staff(member)
        var transition = Transition(state: complaint.state)
        self.markClocks(&transition, complaint, now: now)
        switch command {
        case .accept(let note):
            let note = try Self.optionalText(note, field: "note")
            self.move(&transition, complaint, for: action, by: actor, now: now, details: note.map { ["note": $0] } ?? [:])
        case .forward(let code, let note):
            let note = try Self.text(note, field: "note")
            guard self.catalog.opds[code] != nil else { throw .invalidInput([FieldError(field: "to", code: .invalidValue)]) }
            guard code != complaint.opd else { throw .invalidInput([FieldError(field: "to", code: .invalidValue)]) }
            transition.state.opd = code
            transition.state.updatedAt = now
            // The citizen sees where it went; the note is for the receiving office only.
            transition.events.append(actor.event(.forwarded, at: now, visible: true, ["from": complaint.opd, "to": code]))
            transition.events.append(actor.event(.comment, at: now, visible: false, ["text": note, "context": "forward"]))
            self.followEscalation(&transition, to: code, by: actor, now: now)
        case .reject(let reason):
            let reason = try Self.text(reason, field: "reason")
            self.move(&transition, complaint, for: action, by: actor, now: now, details: ["reason": reason])
        case .askInfo(let question):
            let question = try Self.text(question, field: "question")
            self.move(&transition, complaint, for: action, by: actor, now: now, details: ["question": question])
            transition.state.pausedAt = now
        case .resolve(let note, let photos):
            let note = try Self.text(note, field: "note")
            try self.resolve(&transition, complaint, by: member, note: note, photos: photos, onFile: photosOnFile, now: now)
        case .validate(let note):
            let note = try Self.optionalText(note, field: "note")
            // Nobody validates evidence they gave themselves (a supervisor may also resolve).
            if photosOnFile.complaintPhotos.last(where: { $0.purpose == .evidence })?.attachment.actorID == member.actorID {
                throw .notPermitted(role: member.role, action: .validate)
            }
            self.validate(&transition, complaint, by: actor, note: note, now: now)
        case .rejectResolution(let reason):
            let reason = try Self.text(reason, field: "reason")
            self.rejectResolution(&transition, complaint, by: actor, reason: reason, now: now)
        case .comment(let text, let visible):
            let text = try Self.text(text, field: "text")
            transition.state.updatedAt = now
            transition.events.append(actor.event(.comment, at: now, visible: visible, ["text": text]))
        case .merge(_, let note):
            let note = try Self.optionalText(note, field: "note")
            guard let target = mergeTarget, target.id != complaint.id else {
                throw .invalidInput([FieldError(field: "into", code: .invalidValue)])
            }
            // Merge into the surviving complaint itself, never into another duplicate or a refused one.
            guard target.status != .duplicate, target.status != .rejected else {
                throw .invalidInput([FieldError(field: "into", code: .invalidValue)])
            }
            self.move(&transition, complaint, for: action, by: actor, now: now, details: ["into": target.ticket.rawValue])
            transition.state.mergedInto = target.ticket
            transition.events.append(actor.event(.merged, at: now, visible: true, ["into": target.ticket.rawValue]))
            // The note is for staff, as a forward's is.
            if let note { transition.events.append(actor.event(.comment, at: now, visible: false, ["text": note, "context": "merge"])) }
            transition.relatedEvents.append(
                (target.id, actor.event(.merged, at: now, visible: false, ["from": complaint.ticket.rawValue])))
        case .reopen(let reason):
            let reason = try Self.text(reason, field: "reason")
            self.reopen(&transition, complaint, by: actor, now: now, reason: reason)
        }
        if action.countsAsResponse && transition.state.respondedAt == nil {
            transition.state.respondedAt = now
            transition.state.responseWorkingSeconds = self.workingSeconds(complaint, transition.state, until: now)
        }
        return transition
    }

    // MARK: - Reporter

    /// The actions a reporter could take in a status.
    public func allowedCitizenActions(_ state: ComplaintState) -> [String] {
        [CitizenCommand.reply(text: ""), .confirm(rating: 0, comment: nil), .reopen(reason: ""), .addPhotos([])]
            .filter { Self.citizenMay($0, state) }.map(\.name)
    }

    /// A resolution awaiting validation is not yet the reporter's to confirm or reopen.
    static func citizenMay(_ command: CitizenCommand, _ state: ComplaintState) -> Bool {
        guard command.allowedFrom.contains(state.status) else { return false }
        switch command {
        case .confirm, .reopen: return !state.awaitsValidation
        case .reply, .addPhotos: return true
        }
    }

    /// Applies a reporter's command (the caller has checked the tracking token). `photosOnFile` counts the photos
    /// the complaint has.
    public func apply(
        _ command: CitizenCommand, to complaint: Complaint, photosOnFile: PhotosOnFile = PhotosOnFile(), now: Date
    ) throws(WorkflowError) -> Transition {
        let now = now.wholeMilliseconds
        guard Self.citizenMay(command, complaint.state) else {
            throw .invalidTransition(action: command.name, status: complaint.status, allowed: self.allowedCitizenActions(complaint.state))
        }
        var transition = Transition(state: complaint.state)
        self.markClocks(&transition, complaint, now: now)
        switch command {
        case .reply(let text):
            let text = try Self.text(text, field: "text")
            transition.state.updatedAt = now
            transition.events.append(Actor.citizen.event(.comment, at: now, visible: true, ["text": text]))
            if complaint.status == .waitingInfo {
                self.move(&transition, complaint, to: .inProgress, by: .citizen, now: now, details: ["reason": "reporter_replied"])
            }
        case .confirm(let rating, let comment):
            guard (1...5).contains(rating) else { throw .invalidInput([FieldError(field: "rating", code: .outOfRange)]) }
            let comment = try Self.optionalText(comment, field: "comment")
            var details = ["rating": String(rating)]
            if let comment { details["comment"] = comment }
            transition.events.append(Actor.citizen.event(.rating, at: now, visible: true, details))
            self.move(&transition, complaint, to: .closed, by: .citizen, now: now, details: [:])
        case .reopen(let reason):
            let reason = try Self.text(reason, field: "reason")
            if let start = complaint.state.confirmationStart, now.timeIntervalSince(start) >= Self.confirmationWindow {
                // The same edge as the SLA monitor's automatic close.
                throw .reopenWindowClosed(resolvedAt: start)
            }
            self.reopen(&transition, complaint, by: .citizen, now: now, reason: reason)
        case .addPhotos(let photos):
            try self.addReportPhotos(&transition, photos, onFile: photosOnFile, now: now)
        }
        return transition
    }

    // MARK: - SLA monitor

    /// What the SLA monitor does to a complaint at `now`: marks a clock at risk (80% of its target) and breached,
    /// escalates a breach to the office's parent and the supervisors, and closes a resolution left unanswered for
    /// the confirmation window. Events carry the instant the threshold was crossed, so a monitor catching up after
    /// downtime writes the same history as one that never stopped. Nil when there is nothing to do.
    public func sweep(_ complaint: Complaint, now: Date) -> Transition? {
        let now = now.wholeMilliseconds
        var transition = Transition(state: complaint.state)
        self.markClocks(&transition, complaint, now: now)
        if complaint.status == .resolved, !complaint.state.awaitsValidation, let start = complaint.state.confirmationStart,
            now.timeIntervalSince(start) >= Self.confirmationWindow
        {
            let closedAt = start.addingTimeInterval(Self.confirmationWindow)
            transition.state.status = .closed
            transition.events.append(
                Actor.system.event(
                    .statusChanged, at: closedAt, visible: true,
                    ["from": ComplaintStatus.resolved.rawValue, "to": ComplaintStatus.closed.rawValue, "reason": "no_reply"]))
        }
        guard !transition.events.isEmpty else { return nil }
        transition.state.updatedAt = now
        return transition
    }

    // MARK: - Steps shared by the commands

    /// Marks the running clocks at risk and breached up to `now`, escalating a breach. Every action runs this first,
    /// in its own transaction, so that a clock stopped late (an answer after the deadline, before the monitor's next
    /// pass) still records its breach.
    func markClocks(_ transition: inout Transition, _ complaint: Complaint, now: Date) {
        let state = transition.state
        for clock in SLAClock.allCases where state.isRunning(clock) {
            let (atRiskAt, dueAt, level) =
                clock == .response
                ? (state.responseAtRiskAt, state.responseDueAt, state.responseSLA)
                : (state.resolutionAtRiskAt, state.resolutionDueAt, state.resolutionSLA)
            var reached = level
            let calendar = self.catalog.calendar(for: complaint.region)
            let details = ["clock": clock.rawValue, "due_at": calendar.iso8601(dueAt), "opd": state.opd]
            if reached == .onTime && now >= atRiskAt {
                transition.events.append(Actor.system.event(.slaAtRisk, at: atRiskAt, visible: false, details))
                reached = .atRisk
            }
            if reached != .breached && now >= dueAt {
                transition.events.append(Actor.system.event(.slaBreached, at: dueAt, visible: false, details))
                let parent = self.catalog.opds[state.opd]?.parent
                var escalation = details
                escalation["to_opd"] = parent ?? ""
                escalation["to_role"] = StaffRole.supervisor.rawValue
                transition.events.append(Actor.system.event(.escalated, at: dueAt, visible: false, escalation))
                transition.state.escalatedTo = parent
                reached = .breached
            }
            switch clock {
            case .response: transition.state.responseSLA = reached
            case .resolution: transition.state.resolutionSLA = reached
            }
        }
    }

    /// A breached complaint is watched by the parent of the office that holds it: after a forward, the new office's
    /// parent, and no longer the old one's (which kept seeing the reporter and the internal notes).
    func followEscalation(_ transition: inout Transition, to office: String, by actor: Actor, now: Date) {
        guard let previous = transition.state.escalatedTo else { return }
        let parent = self.catalog.opds[office]?.parent
        guard parent != previous else { return }
        transition.state.escalatedTo = parent
        transition.events.append(
            actor.event(
                .escalated, at: now, visible: false,
                [
                    "opd": office, "from_opd": previous, "to_opd": parent ?? "", "to_role": StaffRole.supervisor.rawValue,
                    "reason": "forwarded",
                ]))
    }

    /// Moves the complaint to the status the action table (`StaffAction.leadsTo`) gives the action; a reporter's
    /// reopen follows the same row as a supervisor's.
    func move(
        _ transition: inout Transition, _ complaint: Complaint, for action: StaffAction, by actor: Actor, now: Date,
        details: [String: String]
    ) {
        guard let status = action.leadsTo else { return }
        self.move(&transition, complaint, to: status, by: actor, now: now, details: details)
    }

    /// Changes the status with its event; leaving `waiting_info` restarts the paused clocks.
    func move(
        _ transition: inout Transition, _ complaint: Complaint, to status: ComplaintStatus, by actor: Actor, now: Date,
        details: [String: String]
    ) {
        if transition.state.pausedAt != nil && status != .waitingInfo { self.resume(&transition, complaint, now: now) }
        var details = details
        details["from"] = transition.state.status.rawValue
        details["to"] = status.rawValue
        // Leaving the open statuses settles the complaint; closing a resolution keeps the time it was settled.
        if transition.state.status.isOpen && !status.isOpen { transition.state.settledAt = now }
        transition.state.status = status
        transition.state.updatedAt = now

        transition.events.append(actor.event(.statusChanged, at: now, visible: true, details))
    }

    /// Working time from filing to `now` with the pauses taken out: what the monthly report measures, in working days
    /// whatever the kind of the target.
    func workingSeconds(_ complaint: Complaint, _ state: ComplaintState, until now: Date) -> Double {
        let calendar = self.catalog.calendar(for: complaint.region)
        let counted = calendar.countedSeconds(from: complaint.createdAt, to: now, target: .workingDays(1))
        return max(0, counted - state.pausedWorkingSeconds)
    }

    /// Restarts paused clocks: each deadline and at-risk point keeps the counted time it had left at the pause; a
    /// working-day deadline then lands on the close of the working day it reached, so a short pause leaves it where it
    /// was and a pause of a working day moves it one working day.
    func resume(_ transition: inout Transition, _ complaint: Complaint, now: Date) {
        guard let pausedAt = transition.state.pausedAt else { return }
        let calendar = self.catalog.calendar(for: complaint.region)
        let sla = self.policy(complaint)
        func deadline(_ due: Date, _ target: SLATarget) -> Date {
            let moved = calendar.shifted(due, pausedAt: pausedAt, resumedAt: now, target: target)
            guard moved != due, case .workingDays = target else { return moved }
            return calendar.closeOfWorkingDay(reachedAt: moved)
        }
        var state = transition.state
        if state.respondedAt == nil {
            state.responseDueAt = deadline(state.responseDueAt, sla.response)
            state.responseAtRiskAt = calendar.shifted(state.responseAtRiskAt, pausedAt: pausedAt, resumedAt: now, target: sla.response)
        }
        if state.resolvedAt == nil {
            state.resolutionDueAt = deadline(state.resolutionDueAt, sla.resolution)
            state.resolutionAtRiskAt = calendar.shifted(
                state.resolutionAtRiskAt, pausedAt: pausedAt, resumedAt: now, target: sla.resolution)
        }
        state.pausedWorkingSeconds += calendar.countedSeconds(from: pausedAt, to: now, target: .workingDays(1))
        state.pausedAt = nil
        transition.state = state
    }

    /// A new resolution cycle: a fresh resolution target from now, its marks cleared.
    func reopen(_ transition: inout Transition, _ complaint: Complaint, by actor: Actor, now: Date, reason: String) {
        let calendar = self.catalog.calendar(for: complaint.region)
        let target = self.policy(complaint).resolution
        self.move(&transition, complaint, for: .reopen, by: actor, now: now, details: ["reason": reason])
        transition.state.resolvedAt = nil
        transition.state.resolutionWorkingSeconds = nil
        transition.state.settledAt = nil
        transition.state.reopenedAt = now
        transition.state.resolutionDueAt = calendar.deadline(from: now, target: target)
        transition.state.resolutionAtRiskAt = calendar.atRisk(start: now, due: transition.state.resolutionDueAt, target: target)
        transition.state.resolutionSLA = .onTime
        transition.state.reopenCount += 1
        transition.state.resolutionReview = nil
        transition.state.resolutionReviewedAt = nil
    }

    /// The category's SLA policy; a category since removed from the catalog counts in working days.
    func policy(_ complaint: Complaint) -> SLAPolicy {
        self.catalog.category(complaint.category)?.sla ?? SLAPolicy(response: .workingDays(1), resolution: .workingDays(1))
    }

    static func text(_ value: String, field: String) throws(WorkflowError) -> String {
        let trimmed = Intake.normalizeNewlines(value).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalidInput([FieldError(field: field, code: .required)]) }
        guard trimmed.unicodeScalars.count <= Self.textLength.upperBound else {
            throw .invalidInput([FieldError(field: field, code: .tooLong, limit: Self.textLength.upperBound)])
        }
        if let code = Intake.forbiddenCharacters(in: trimmed, allowNewlines: true) {
            throw .invalidInput([FieldError(field: field, code: code)])
        }
        return trimmed
    }

    static func optionalText(_ value: String?, field: String) throws(WorkflowError) -> String? {
        guard let value, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return try Self.text(value, field: field)
    }
}

/// Who an event is by.
enum Actor {
    case staff(StaffMember)
    case citizen
    case system

    func event(_ kind: ComplaintEvent.Kind, at: Date, visible: Bool, _ details: [String: String]) -> ComplaintEvent {
        switch self {
        case .staff(let member):
            return ComplaintEvent(
                kind: kind, actorKind: .staff, actorID: member.actorID, at: at, visibleToReporter: visible, details: details)
        case .citizen:
            return ComplaintEvent(kind: kind, actorKind: .citizen, actorID: nil, at: at, visibleToReporter: visible, details: details)
        case .system:
            return ComplaintEvent(kind: kind, actorKind: .system, actorID: nil, at: at, visibleToReporter: visible, details: details)
        }
    }
}
