import AduanCore
import AduanStore
import AduanWire
import Foundation
import HTTPTypes
import Hummingbird

/// Citizens' endpoints: file a complaint and follow it by ticket.
struct ComplaintsController<Context: RequestContext> {
    let store: Store
    /// The catalog in force, with the operators' calendar changes. What depends on the calendar (intake, the
    /// workflow) takes one snapshot per request; names and the time zone never change while the server runs.
    let catalog: LiveCatalog
    let maxBodyBytes: Int
    let now: @Sendable () -> Date

    var presenter: Presenter { Presenter(catalog: self.catalog.current) }

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("complaints", use: self.submit)
        group.get("complaints/{ticket}", use: self.show)
        group.post("complaints/{ticket}/comments", use: self.comment)
        group.post("complaints/{ticket}/feedback", use: self.feedback)
    }

    // MARK: - Writes

    @Sendable func submit(_ request: Request, context: Context) async throws -> Response {
        let idempotencyKey = try request.headers[.idempotencyKey].map { raw in
            guard let key = IdempotencyKey(raw) else { throw Problem(.invalidIdempotencyKey) }
            return key
        }
        let body = try await request.collectBody(limit: self.maxBodyBytes)
        let input = try request.decodeJSON(SubmitComplaintRequest.self, from: body).input
        let filing: Filing
        let catalog = self.catalog.current
        switch Intake(catalog: catalog).file(input, idempotencyKey: idempotencyKey, now: self.now()) {
        case .success(let admitted): filing = admitted
        case .failure(let failure): throw Problem(.validationFailed, fieldErrors: failure.errors)
        }
        let outcome: SubmissionOutcome
        do {
            outcome = try await self.store.file(filing)
        } catch StoreError.idempotencyKeyReused {
            throw Problem(.idempotencyKeyReused)
        }
        let language = Language(request)
        switch outcome {
        case .created(let stored):
            return try self.created(stored, token: filing.trackingToken, language: language, replayed: false, Presenter(catalog: catalog))
        case .replayed(let stored, let masked):
            // The key unmasks the token of the first response, so a retry gets the very same answer.
            return try self.created(
                stored, token: idempotencyKey!.token(unmasking: masked), language: language, replayed: true, Presenter(catalog: catalog))
        }
    }

    func created(_ complaint: Complaint, token: String, language: Language, replayed: Bool, _ presenter: Presenter) throws -> Response {
        let view = SubmittedComplaint(
            ticket: complaint.ticket.rawValue, status: complaint.status.rawValue,
            status_label: presenter.status(complaint.status, language),
            category: presenter.category(complaint.category, language), region: presenter.region(complaint.region),
            opd: presenter.opd(complaint.opd), sla: presenter.deadlines(complaint),
            created_at: presenter.time(complaint.createdAt, complaint), visibility: complaint.visibility.rawValue,
            anonymous: complaint.anonymous, tracking_token: token)
        var headers: HTTPFields = [.location: "/v1/complaints/\(complaint.ticket.rawValue)", .contentLanguage: language.rawValue]
        if replayed { headers[.idempotentReplayed] = "true" }
        return try .json(view, status: .created, headers: headers)
    }

    /// The reporter adds a message; when the office waits for information, it answers and restarts the clocks.
    @Sendable func comment(_ request: Request, context: Context) async throws -> Response {
        let body = try request.decodeJSON(ReporterMessage.self, from: try await request.collectBody(limit: self.maxBodyBytes))
        return try await self.reporterAction(.reply(text: body.text ?? ""), request, context, status: .created)
    }

    /// The reporter confirms a resolution with a rating, or rejects it and reopens the complaint.
    @Sendable func feedback(_ request: Request, context: Context) async throws -> Response {
        let body = try request.decodeJSON(FeedbackRequest.self, from: try await request.collectBody(limit: self.maxBodyBytes))
        let command: CitizenCommand
        if body.reopen == true {
            command = .reopen(reason: body.reason ?? "")
        } else if let rating = body.rating {
            command = .confirm(rating: rating, comment: body.comment)
        } else {
            throw Problem(.validationFailed, fieldErrors: [FieldError(field: "rating", code: .required)])
        }
        return try await self.reporterAction(command, request, context, status: .ok)
    }

    func reporterAction(
        _ command: CitizenCommand, _ request: Request, _ context: Context, status: HTTPResponse.Status
    ) async throws -> Response {
        let (ticket, tokenHash) = try self.reporterCredentials(request, context)
        let workflow = Workflow(catalog: self.catalog.current)
        let now = self.now()
        // The token is checked in the same transaction that applies the command.
        let updated = try await self.store.update(ticket: ticket, trackingTokenHash: tokenHash) { current, _ in
            try workflow.apply(command, to: current, now: now)
        }
        guard let updated else { throw Problem(.invalidTrackingToken) }
        let language = Language(request)
        let events = try await self.store.events(complaintID: updated.id)
        return try .json(
            self.view(updated, language: language, reporterView: true, events: events), status: status,
            headers: [.contentLanguage: language.rawValue])
    }

    /// The ticket and the hash of the tracking token a reporter's request carries; a missing or malformed one is the
    /// same 401 as a wrong one.
    func reporterCredentials(_ request: Request, _ context: Context) throws -> (Ticket, tokenHash: String) {
        let raw = try context.parameters.require("ticket")
        guard let bearer = request.bearerToken, Ticket.isWellFormed(raw) else { throw Problem(.invalidTrackingToken) }
        return (Ticket(raw), Secrets.sha256Hex(bearer))
    }

    // MARK: - Reads

    @Sendable func show(_ request: Request, context: Context) async throws -> Response {
        let raw = try context.parameters.require("ticket")
        let language = Language(request)
        if request.headers[.authorization] != nil {
            // A reporter's request: a wrong token is refused the same way whether or not the ticket exists.
            let (ticket, tokenHash) = try self.reporterCredentials(request, context)
            guard let complaint = try await self.store.complaint(ticket: ticket, trackingTokenHash: tokenHash)
            else { throw Problem(.invalidTrackingToken) }
            let events = try await self.store.events(complaintID: complaint.id)
            return try .json(self.view(complaint, language: language, reporterView: true, events: events), headers: [.contentLanguage: language.rawValue])
        }
        // The public may see public complaints only; a private one does not exist for them.
        guard Ticket.isWellFormed(raw), let complaint = try await self.store.complaint(ticket: Ticket(raw)),
            complaint.visibility == .public
        else { throw Problem(.notFound) }
        return try .json(self.view(complaint, language: language, reporterView: false, events: []), headers: [.contentLanguage: language.rawValue])
    }

    func view(_ complaint: Complaint, language: Language, reporterView: Bool, events: [ComplaintEvent]) -> ComplaintView {
        let time = { (instant: Date) in self.presenter.time(instant, complaint) }
        return ComplaintView(
            ticket: complaint.ticket.rawValue, status: complaint.status.rawValue,
            status_label: self.presenter.status(complaint.status, language),
            category: self.presenter.category(complaint.category, language), description: complaint.description,
            region: self.presenter.region(complaint.region), location: complaint.location.map { LocationDTO(lat: $0.lat, lng: $0.lng) },
            opd: self.presenter.opd(complaint.opd), sla: self.presenter.deadlines(complaint),
            created_at: time(complaint.createdAt), updated_at: time(complaint.updatedAt),
            visibility: complaint.visibility.rawValue,
            address: reporterView ? complaint.address : nil,
            anonymous: reporterView ? complaint.anonymous : nil,
            reporter: reporterView ? ReporterDTO(name: complaint.reporter.name, phone: complaint.reporter.phone) : nil,
            history: reporterView
                ? events.filter(\.visibleToReporter).map {
                    HistoryEntry(kind: $0.kind.rawValue, at: time($0.at), actor: $0.actorKind.rawValue, details: $0.details)
                } : nil)
    }
}

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
    static let idempotentReplayed = Self("Idempotent-Replayed")!
}
