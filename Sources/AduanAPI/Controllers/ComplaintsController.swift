import AduanCore
import AduanStore
import Foundation
import HTTPTypes
import Hummingbird

/// Citizens' endpoints: file a complaint and follow it by ticket.
struct ComplaintsController<Context: RequestContext> {
    let store: Store
    let intake: Intake
    let maxBodyBytes: Int
    let now: @Sendable () -> Date

    var catalog: Catalog { self.intake.catalog }

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("complaints", use: self.submit)
        group.get("complaints/{ticket}", use: self.show)
    }

    // MARK: - Writes

    @Sendable func submit(_ request: Request, context: Context) async throws -> Response {
        let idempotencyKey = try request.headers[.idempotencyKey].map { raw in
            guard let key = IdempotencyKey(raw) else { throw Problem(.invalidIdempotencyKey) }
            return key
        }
        let body = try await request.collectBody(limit: self.maxBodyBytes)
        let decoded = try request.decodeJSON(SubmitComplaintRequest.self, from: body)
        let input = decoded.input
        let complaint: NewComplaint
        switch self.intake.admit(input, now: self.now()) {
        case .success(let admitted): complaint = admitted
        case .failure(let failure): throw Problem(.validationFailed, fieldErrors: failure.errors)
        }
        let tokenBytes = Secrets.randomBytes(32)
        let token = Secrets.base64URL(tokenBytes)
        let submission = Submission(
            complaint: complaint, trackingTokenHash: Secrets.sha256Hex(token),
            idempotency: idempotencyKey.map {
                Submission.Idempotency(
                    keyHash: $0.lookupHash, requestHash: Self.fingerprint(decoded),
                    maskedToken: $0.mask(tokenBytes))
            })
        let outcome: SubmissionOutcome
        do {
            outcome = try await self.store.file(submission)
        } catch StoreError.idempotencyKeyReused {
            throw Problem(.idempotencyKeyReused)
        }
        let language = Language(request)
        switch outcome {
        case .created(let stored):
            return try self.created(stored, token: token, language: language, replayed: false)
        case .replayed(let stored, let masked):
            // The key unmasks the token of the first response, so a retry gets the very same answer.
            let original = Secrets.base64URL(idempotencyKey!.mask(masked))
            return try self.created(stored, token: original, language: language, replayed: true)
        }
    }

    /// What makes two submissions "the same request": the decoded content, so that a retry whose JSON was
    /// serialised again with another key order or spacing still matches.
    static func fingerprint(_ request: SubmitComplaintRequest) -> String {
        let location = request.location.map { "\($0.lat.map { "\($0)" } ?? "-"),\($0.lng.map { "\($0)" } ?? "-")" }
        let fields: [String?] = [
            request.category, request.description, request.region, location, request.address, request.reporter?.name,
            request.reporter?.phone, request.visibility, request.anonymous.map { "\($0)" },
        ]
        // Unit separators keep field boundaries unambiguous; "\u{0}" marks an absent field.
        return Secrets.sha256Hex(fields.map { $0 ?? "\u{0}" }.joined(separator: "\u{1f}"))
    }

    func created(_ complaint: Complaint, token: String, language: Language, replayed: Bool) throws -> Response {
        let calendar = self.catalog.calendar(for: complaint.region)
        let view = SubmittedComplaint(
            ticket: complaint.ticket.rawValue, status: complaint.status.rawValue,
            status_label: language == .en ? complaint.status.labelEN : complaint.status.labelID,
            category: self.categoryName(complaint.category, language), region: self.regionName(complaint.region),
            opd: self.opdName(complaint.opd), sla: self.deadlines(complaint, calendar),
            created_at: calendar.iso8601(complaint.createdAt), visibility: complaint.visibility.rawValue,
            anonymous: complaint.anonymous, tracking_token: token)
        var headers: HTTPFields = [.location: "/v1/complaints/\(complaint.ticket.rawValue)", .contentLanguage: language.rawValue]
        if replayed { headers[.idempotentReplayed] = "true" }
        return try .json(view, status: .created, headers: headers)
    }

    // MARK: - Reads

    @Sendable func show(_ request: Request, context: Context) async throws -> Response {
        let raw = try context.parameters.require("ticket")
        let language = Language(request)
        let bearer = request.headers[.authorization].flatMap(Self.bearerToken)
        if request.headers[.authorization] != nil {
            // A reporter's request: a wrong token is refused the same way whether or not the ticket exists.
            guard let bearer, Ticket.isWellFormed(raw),
                let complaint = try await self.store.complaint(ticket: Ticket(raw), trackingTokenHash: Secrets.sha256Hex(bearer))
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

    static func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    func view(_ complaint: Complaint, language: Language, reporterView: Bool, events: [ComplaintEvent]) -> ComplaintView {
        let calendar = self.catalog.calendar(for: complaint.region)
        return ComplaintView(
            ticket: complaint.ticket.rawValue, status: complaint.status.rawValue,
            status_label: language == .en ? complaint.status.labelEN : complaint.status.labelID,
            category: self.categoryName(complaint.category, language), description: complaint.description,
            region: self.regionName(complaint.region), location: complaint.location.map { LocationDTO(lat: $0.lat, lng: $0.lng) },
            opd: self.opdName(complaint.opd), sla: self.deadlines(complaint, calendar),
            created_at: calendar.iso8601(complaint.createdAt), updated_at: calendar.iso8601(complaint.updatedAt),
            visibility: complaint.visibility.rawValue,
            address: reporterView ? complaint.address : nil,
            anonymous: reporterView ? complaint.anonymous : nil,
            reporter: reporterView ? ReporterDTO(name: complaint.reporter.name, phone: complaint.reporter.phone) : nil,
            history: reporterView
                ? events.filter(\.visibleToReporter).map {
                    HistoryEntry(kind: $0.kind.rawValue, at: calendar.iso8601($0.at), actor: $0.actorKind.rawValue, details: $0.details)
                } : nil)
    }

    func deadlines(_ complaint: Complaint, _ calendar: WorkingCalendar) -> SLADeadlines {
        SLADeadlines(
            response_due_at: calendar.iso8601(complaint.responseDueAt),
            resolution_due_at: calendar.iso8601(complaint.resolutionDueAt))
    }

    func categoryName(_ code: String, _ language: Language) -> CodeName {
        let category = self.catalog.category(code)
        return CodeName(code: code, name: (language == .en ? category?.nameEN : category?.nameID) ?? code)
    }

    func regionName(_ code: RegionCode) -> CodeName {
        CodeName(code: code.rawValue, name: self.catalog.regions[code]?.name ?? code.rawValue)
    }

    func opdName(_ code: String) -> CodeName {
        CodeName(code: code, name: self.catalog.opds[code]?.name ?? code)
    }
}

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
    static let idempotentReplayed = Self("Idempotent-Replayed")!
}
