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
    let photoIntake: PhotoIntake
    let evidenceChecks: EvidenceChecks
    let sessions: CitizenSessions
    let idempotencyKeys: IdempotencyKeyHasher
    let identitySeal: IdentitySeal
    /// Comments a reporter may write on one complaint in 24 hours (0: no cap).
    let reporterCommentsPerDay: Int
    let now: @Sendable () -> Date

    var presenter: Presenter { Presenter(catalog: self.catalog.current) }
    var workflow: Workflow {
        Workflow(catalog: self.catalog.current, evidenceChecks: self.evidenceChecks, photoLimits: self.photoIntake.limits)
    }

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("complaints", use: self.submit)
        group.get("complaints/{ticket}", use: self.show)
        group.post("complaints/{ticket}/comments", use: self.comment)
        group.post("complaints/{ticket}/feedback", use: self.feedback)
        group.post("complaints/{ticket}/photos", use: self.addPhotos)
        group.put("complaints/{ticket}/notifications", use: self.notifications)
    }

    // MARK: - Writes

    @Sendable func submit(_ request: Request, context: Context) async throws -> Response {
        let idempotencyKey = try request.headers[.idempotencyKey].map { raw in
            guard let key = self.idempotencyKeys.key(raw) else { throw Problem(.invalidIdempotencyKey) }
            return key
        }
        // A signed-in citizen's complaint is their account's, and messages go to the account's phone unless another
        // is given.
        let citizen = try await self.sessions.citizen(request)
        var (input, photos) = try await self.submission(request)
        if let citizen {
            input.account = citizen.id
            if input.reporterPhone == nil { input.reporterPhone = citizen.phone.international }
        }
        let filing: Filing
        let catalog = self.catalog.current
        switch Intake(catalog: catalog, identitySeal: self.identitySeal).file(
            input, photos: photos, idempotencyKey: idempotencyKey, now: self.now())
        {
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
            return try await self.created(
                stored, token: filing.trackingToken, language: language, replayed: false, withPhotos: !photos.isEmpty,
                Presenter(catalog: catalog))
        case .replayed(let stored, let masked):
            // The key unmasks the token of the first response, so a retry gets the very same answer.
            return try await self.created(
                stored, token: idempotencyKey!.token(unmasking: masked), language: language, replayed: true, withPhotos: true,
                Presenter(catalog: catalog))
        }
    }

    /// The submission: JSON, or a form with the JSON in a `complaint` part and up to the limit of `photo` parts (whose
    /// files are stored before this returns).
    func submission(_ request: Request) async throws -> (SubmissionInput, [ProcessedPhoto]) {
        guard MultipartForm.isMultipart(request) else {
            let body = try await request.collectBody(limit: self.maxBodyBytes)
            return (try request.decodeJSON(SubmitComplaintRequest.self, from: body).input, [])
        }
        let catalog = self.catalog.current
        let now = self.now()
        return try await self.photoIntake.withForm(request, known: ["complaint", "photo"]) { parts in
            let json = try MultipartForm.onePart(named: "complaint", in: parts)
            // The complaint is checked before any photo is processed, as far as its photos cannot change the verdict.
            let input = try request.decodeJSON(SubmitComplaintRequest.self, from: json.body).input
            let photoParts = parts.filter { $0.name == "photo" }
            let early = Intake(catalog: catalog).problemsPhotosCannotFix(input, photoCount: photoParts.count, now: now)
            guard early.isEmpty else { throw Problem(.validationFailed, fieldErrors: early) }
            return (input, try await self.photoIntake.accept(photoParts))
        }
    }

    func created(
        _ complaint: Complaint, token: String, language: Language, replayed: Bool, withPhotos: Bool, _ presenter: Presenter
    ) async throws -> Response {
        var view = SubmittedComplaint(
            ticket: complaint.ticket.rawValue, status: complaint.status.rawValue,
            status_label: presenter.status(of: complaint, language),
            category: presenter.category(complaint.category, language), region: presenter.region(complaint.region),
            opd: presenter.opd(complaint.opd), sla: presenter.deadlines(complaint),
            created_at: presenter.time(complaint.createdAt, complaint), visibility: complaint.visibility.rawValue,
            anonymous: complaint.anonymous, tracking_token: token)
        // A new complaint filed without photos has none: no read on the hot path of plain JSON filing.
        let photos = replayed || withPhotos ? try await self.store.photos(complaintID: complaint.id) : []
        view.photos = presenter.photos(photos, of: complaint, withFacts: true)
        view.location_source = complaint.locationSource?.rawValue
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
        let (ticket, proof) = try await self.reporterCredentials(request, context)
        let workflow = self.workflow
        let now = self.now()
        // The proof is checked in the same transaction that applies the command.
        let commentsPerDay = self.reporterCommentsPerDay
        let updated = try await self.store.update(ticket: ticket, proof: proof) { current, lookup in
            if case .reply = command, commentsPerDay > 0 {
                // Counted in the transaction that adds the comment, so that parallel requests cannot slip past the cap.
                let (count, oldest) = try lookup.reporterComments(complaintID: current.id, since: now - 86_400)
                if count >= commentsPerDay, let oldest {
                    throw Problem(.tooManyRequests, retryAfter: max(1, Int((oldest + 86_400).timeIntervalSince(now).rounded(.up))))
                }
            }
            guard case .addPhotos = command else { return try workflow.apply(command, to: current, now: now) }
            return try workflow.apply(command, to: current, photosOnFile: try lookup.photosOnFile(for: current), now: now)
        }
        guard let updated else { throw Self.notTheirs(proof) }
        let language = Language(request)
        let file = try await self.store.lookUp { try ComplaintFile.read($0, updated, reporterView: true) }
        return try .json(
            self.view(file, language: language, reporterView: true), status: status, headers: [.contentLanguage: language.rawValue])
    }

    /// The reporter adds photos of the problem, up to the limit per complaint. The token is checked before any photo
    /// is processed, and again when they are attached.
    @Sendable func addPhotos(_ request: Request, context: Context) async throws -> Response {
        let (ticket, proof) = try await self.reporterCredentials(request, context)
        guard try await self.store.complaint(ticket: ticket, proof: proof) != nil else { throw Self.notTheirs(proof) }
        guard MultipartForm.isMultipart(request) else { throw Problem(.unsupportedMediaType) }
        let photos = try await self.photoIntake.withForm(request, known: ["photo"]) { try await self.photoIntake.accept($0) }
        return try await self.reporterAction(.addPhotos(photos), request, context, status: .created)
    }

    /// The reporter turns messages about the complaint off (or on again). Messages not yet sent are not sent.
    @Sendable func notifications(_ request: Request, context: Context) async throws -> Response {
        let (ticket, proof) = try await self.reporterCredentials(request, context)
        let body = try request.decodeJSON(ReporterNotifications.self, from: try await request.collectBody(limit: self.maxBodyBytes))
        guard let enabled = body.enabled else {
            throw Problem(.validationFailed, fieldErrors: [FieldError(field: "enabled", code: .required)])
        }
        guard let complaint = try await self.store.setNotifyReporter(ticket: ticket, proof: proof, enabled) else {
            throw Self.notTheirs(proof)
        }
        return try .json(ReporterNotifications(enabled: complaint.reporter.notify, phone_on_file: complaint.reporter.hasPhone))
    }

    /// The ticket and how the request proves it is the reporter's: the complaint's tracking token, or a citizen token
    /// of the account it belongs to (checked against the complaint by the store). A missing or malformed token is the
    /// same 401 as a wrong one.
    func reporterCredentials(_ request: Request, _ context: Context) async throws -> (Ticket, ReporterProof) {
        let raw = try context.parameters.require("ticket")
        if let citizen = try await self.sessions.citizen(request) {
            guard Ticket.isWellFormed(raw) else { throw Problem(.notFound) }
            return (Ticket(raw), .account(citizen.id))
        }
        guard let bearer = request.bearerToken, Ticket.isWellFormed(raw) else { throw Problem(.invalidTrackingToken) }
        return (Ticket(raw), .trackingToken(hash: Secrets.sha256Hex(bearer)))
    }

    /// The refusal when the proof does not fit: a wrong tracking token is 401; to a citizen, a complaint of another
    /// account does not exist (404).
    static func notTheirs(_ proof: ReporterProof) -> Problem {
        if case .account = proof { return Problem(.notFound) }
        return Problem(.invalidTrackingToken)
    }

    // MARK: - Reads

    @Sendable func show(_ request: Request, context: Context) async throws -> Response {
        let raw = try context.parameters.require("ticket")
        let language = Language(request)
        if request.headers[.authorization] != nil {
            // A reporter's request: a wrong token is refused the same way whether or not the ticket exists. A citizen
            // sees their own complaints as their reporter, and any other as the public does.
            let (ticket, proof) = try await self.reporterCredentials(request, context)
            // A malformed cursor is refused once the complaint is known to be theirs (401 before 400).
            let before = Result {
                try request.uri.queryParameters["history_before"].map { raw in
                    guard let id = Int64(raw), id > 0 else {
                        throw Problem(.badRequest, context: "history_before: the history_before of an earlier answer")
                    }
                    return id
                }
            }
            let cursor = (try? before.get()) ?? nil
            let file = try await self.store.lookUp { lookup in
                try lookup.complaint(ticket: ticket, proof: proof).map {
                    try ComplaintFile.read(lookup, $0, reporterView: true, historyBefore: cursor)
                }
            }
            if let file {
                _ = try before.get()
                return try .json(
                    self.view(file, language: language, reporterView: true),
                    headers: [.contentLanguage: language.rawValue, .cacheControl: "no-store"])
            }
            guard case .account = proof else { throw Problem(.invalidTrackingToken) }
        }
        // The public may see public complaints only; a private one does not exist for them.
        guard Ticket.isWellFormed(raw) else { throw Problem(.notFound) }
        let ticket = Ticket(raw)
        let file = try await self.store.lookUp { lookup in
            try lookup(ticket).flatMap { $0.visibility == .public ? try ComplaintFile.read(lookup, $0, reporterView: false) : nil }
        }
        guard let file else { throw Problem(.notFound) }
        return try .json(self.view(file, language: language, reporterView: false), headers: [.contentLanguage: language.rawValue])
    }

    /// The public view, or the reporter's with their details, history and the photos' time and place.
    func view(_ file: ComplaintFile, language: Language, reporterView: Bool) -> ComplaintView {
        let (complaint, history, photos) = (file.complaint, file.history, file.photos)
        let presenter = self.presenter
        let time = { (instant: Date) in presenter.time(instant, complaint) }
        var view = ComplaintView(
            ticket: complaint.ticket.rawValue, status: complaint.status.rawValue,
            status_label: presenter.status(of: complaint, language),
            category: presenter.category(complaint.category, language), description: complaint.description,
            region: presenter.region(complaint.region),
            location: (reporterView ? complaint.location : self.catalog.current.shownLocation(of: complaint)).map {
                LocationDTO(lat: $0.lat, lng: $0.lng)
            },
            opd: presenter.opd(complaint.opd), sla: presenter.deadlines(complaint),
            created_at: time(complaint.createdAt), updated_at: time(complaint.updatedAt),
            visibility: complaint.visibility.rawValue,
            address: reporterView ? complaint.address : nil,
            anonymous: reporterView ? complaint.anonymous : nil,
            // An anonymous reporter's name and phone are sealed (nil here): not even their own view opens them.
            reporter: reporterView ? ReporterDTO(name: complaint.reporter.name, phone: complaint.reporter.phone) : nil,
            history: history?.events.map {
                HistoryEntry(kind: $0.kind.rawValue, at: time($0.at), actor: $0.actorKind.rawValue, details: $0.details)
            })
        view.history_before = history?.olderBefore
        view.photos = presenter.photos(photos, of: complaint, withFacts: reporterView)
        view.location_source = complaint.locationSource?.rawValue
        view.resolution_review = complaint.state.awaitsValidation ? ResolutionReview.pending.rawValue : nil
        view.support_count = complaint.supportCount
        if !reporterView && complaint.location != nil { view.location_rounded = !self.catalog.current.isPublicPlace(complaint.category) }
        return view
    }
}

/// A complaint with what its view shows besides: its photos and, in its reporter's view, a page of its history.
struct ComplaintFile: Sendable {
    let complaint: Complaint
    let photos: [StoredPhoto]
    let history: HistoryPage?

    /// Read in the lookup that found the complaint: one trip to the database for a view.
    static func read(_ lookup: StoreLookup, _ complaint: Complaint, reporterView: Bool, historyBefore: Int64? = nil) throws -> ComplaintFile
    {
        ComplaintFile(
            complaint: complaint, photos: try lookup.photos(complaintID: complaint.id),
            history: reporterView ? try lookup.history(complaintID: complaint.id, reporterOnly: true, before: historyBefore) : nil)
    }
}

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
    static let idempotentReplayed = Self("Idempotent-Replayed")!
}
