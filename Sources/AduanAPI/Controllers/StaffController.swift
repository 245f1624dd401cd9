import AduanCore
import AduanStore
import AduanWire
import Foundation
import Hummingbird
import HummingbirdAuth

/// Staff endpoints under `/v1/staff`: the queue, a complaint with its audit log, and the workflow's actions. Every
/// request carries a staff token; triage and officer members see only complaints currently routed to their OPD
/// (any other is a 404, as if it did not exist).
struct StaffController<Context: AuthRequestContext<StaffMember>> {
    let store: Store
    let authenticator: StaffAuthenticator<Context>
    /// The catalog in force, with the operators' calendar changes.
    let catalog: LiveCatalog
    let maxBodyBytes: Int
    let photoIntake: PhotoIntake
    let evidenceChecks: EvidenceChecks
    /// How near and how recent a complaint's similar neighbours are.
    let similarRadius: Double
    let similarDays: Int
    let now: @Sendable () -> Date

    var workflow: Workflow {
        Workflow(catalog: self.catalog.current, evidenceChecks: self.evidenceChecks, photoLimits: self.photoIntake.limits)
    }
    var presenter: Presenter { Presenter(catalog: self.catalog.current) }
    static var maxPageSize: Int { 200 }

    func addRoutes(to group: RouterGroup<Context>) {
        let staff = group.group("staff").add(middleware: self.authenticator)
        staff.get("me", use: self.me)
        staff.get("complaints", use: self.queue)
        staff.get("complaints/{ticket}", use: self.show)
        staff.get("complaints/{ticket}/audit", use: self.audit)
        for action in StaffAction.allCases {
            staff.post("complaints/{ticket}/\(action.rawValue)") { request, context in
                try await self.act(action, request, context)
            }
        }
    }

    // MARK: - Reads

    @Sendable func me(_ request: Request, context: Context) async throws -> Response {
        let member = try context.staffMember()
        return try .json(
            StaffMemberDTO(id: member.id, name: member.name, role: member.role.rawValue, opd: member.opd.map(self.presenter.opd)))
    }

    /// The member's queue, nearest deadline first: `status` (comma-separated), `category`, `region`, `at_risk`,
    /// `breached`, `needs_validation` (resolutions whose evidence awaits a supervisor), `limit` (1-200) and `cursor`.
    @Sendable func queue(_ request: Request, context: Context) async throws -> Response {
        let member = try context.staffMember()
        let parameters = request.uri.queryParameters
        var query = QueueQuery(opd: member.role.isProvinceWide ? nil : member.opd)
        if let raw = parameters["status"].map(String.init), !raw.isEmpty {
            query.statuses = try raw.split(separator: ",").map { name in
                guard let status = ComplaintStatus(rawValue: String(name)) else {
                    throw Problem(.badRequest, context: "status: unknown value '\(name)'")
                }
                return status
            }
        }
        if let category = parameters["category"].map(String.init), !category.isEmpty {
            guard self.workflow.catalog.category(category) != nil else {
                throw Problem(.badRequest, context: "category: unknown value '\(category)'")
            }
            query.category = category
        }
        if let region = parameters["region"].map(String.init), !region.isEmpty {
            guard self.workflow.catalog.regions[RegionCode(region)] != nil else {
                throw Problem(.badRequest, context: "region: unknown value '\(region)'")
            }
            query.region = RegionCode(region)
        }
        query.atRisk = try Self.flag(parameters["at_risk"].map(String.init), name: "at_risk")
        query.breached = try Self.flag(parameters["breached"].map(String.init), name: "breached")
        query.needsValidation = try Self.flag(parameters["needs_validation"].map(String.init), name: "needs_validation")
        // Such resolutions are settled, so they are outside the default (open) statuses.
        if query.needsValidation && query.statuses == nil { query.statuses = [.resolved] }
        query.limit = try Paging.limit(request, max: Self.maxPageSize, default: query.limit)
        if let raw = parameters["sort"].map(String.init) {
            guard let order = QueueOrder(rawValue: raw) else {
                throw Problem(.badRequest, context: "sort: deadline or support, not '\(raw)'")
            }
            query.order = order
        }
        switch query.order {
        case .deadline: query.after = try Paging.after(request, Self.position)
        case .support: query.afterSupport = try Paging.after(request, Self.supportPosition)
        }
        // One extra row tells whether there is a next page.
        let requested = query.limit
        query.limit += 1
        let rows = try await self.store.queue(query)
        let page = Array(rows.prefix(requested))
        let language = Language(request)
        let presenter = self.presenter
        let items = page.map { complaint in
            var item = QueueItem(
                ticket: complaint.ticket.rawValue, status: complaint.status.rawValue,
                status_label: presenter.status(of: complaint, language),
                category: presenter.category(complaint.category, language), region: presenter.region(complaint.region),
                opd: presenter.opd(complaint.opd), created_at: presenter.time(complaint.createdAt, complaint),
                sla: self.sla(complaint))
            item.resolution_review = complaint.state.resolutionReview?.rawValue
            item.support_count = complaint.supportCount
            return item
        }
        let next =
            rows.count > requested
            ? page.last.map { last in
                switch query.order {
                case .deadline: return Self.cursor(QueuePosition(nextDueAt: last.state.nextDueAt, id: last.id))
                case .support: return Self.cursor(SupportPosition(supportCount: last.supportCount, id: last.id))
                }
            } : nil
        return try .json(QueuePage(items: items, next_cursor: next), headers: [.contentLanguage: language.rawValue])
    }

    @Sendable func show(_ request: Request, context: Context) async throws -> Response {
        let member = try context.staffMember()
        let file = try await self.lookUpVisible(request, context, member) { try self.file($0, $1, for: member) }
        return try await self.view(file, member: member, language: Language(request))
    }

    @Sendable func audit(_ request: Request, context: Context) async throws -> Response {
        let member = try context.staffMember()
        // A malformed cursor is refused once the complaint is known to be visible (404 before 400).
        let before = Result {
            try request.uri.queryParameters["before"].map { raw in
                guard let id = Int64(raw), id > 0 else { throw Problem(.badRequest, context: "before: an entry id from an earlier page") }
                return id
            }
        }
        let cursor = (try? before.get()) ?? nil
        let (complaint, page) = try await self.lookUpVisible(request, context, member) {
            ($1, try $0.audit(complaintID: $1.id, before: cursor))
        }
        _ = try before.get()
        let (entries, older) = self.auditEntries(complaint, page)
        return try .json(AuditLog(ticket: complaint.ticket.rawValue, entries: entries, before: older))
    }

    func visibleComplaint(_ request: Request, _ context: Context, _ member: StaffMember) async throws -> Complaint {
        try await self.lookUpVisible(request, context, member) { $1 }
    }

    /// The complaint the request names, if the member may see it (404 otherwise, as if it did not exist), with what
    /// `reads` finds beside it in the same lookup.
    func lookUpVisible<T: Sendable>(
        _ request: Request, _ context: Context, _ member: StaffMember, _ reads: @escaping @Sendable (StoreLookup, Complaint) throws -> T
    ) async throws -> T {
        let raw = try context.parameters.require("ticket")
        guard Ticket.isWellFormed(raw) else { throw Problem(.notFound) }
        let ticket = Ticket(raw)
        let found = try await self.store.lookUp { lookup in
            try lookup(ticket).flatMap { member.canSee($0) ? try reads(lookup, $0) : nil }
        }
        guard let found else { throw Problem(.notFound) }
        return found
    }

    // MARK: - Actions

    func act(_ action: StaffAction, _ request: Request, _ context: Context) async throws -> Response {
        let member = try context.staffMember()
        let command = try await self.command(action, request, context, member)
        let raw = try context.parameters.require("ticket")
        guard Ticket.isWellFormed(raw) else { throw Problem(.notFound) }
        let workflow = self.workflow
        let now = self.now()
        var otherEvidence: [PhotoFingerprint] = []
        if case .resolve(_, let photos) = command, !photos.isEmpty {
            otherEvidence = try await self.store.evidence(since: now.addingTimeInterval(-EvidenceChecks.reuseLookback))
        }
        let others = otherEvidence
        let updated = try await self.store.update(ticket: Ticket(raw)) { complaint, lookup in
            guard member.canSee(complaint) else { throw Problem(.notFound) }
            var target: Complaint?
            if case .merge(let into, _) = command {
                // A merge target the member cannot see is as unknown as one that does not exist.
                target = try lookup(into).flatMap { member.canSee($0) ? $0 : nil }
            }
            // A resolution's photos are compared with what is on file; a validation looks at who gave the evidence.
            var onFile = PhotosOnFile()
            switch command {
            case .resolve(_, let photos) where !photos.isEmpty: onFile = try lookup.photosOnFile(for: complaint, otherEvidence: others)
            case .validate: onFile = try lookup.photosOnFile(for: complaint)
            default: break
            }
            return try workflow.apply(command, by: member, to: complaint, mergeTarget: target, photosOnFile: onFile, now: now)
        }
        guard let updated else { throw Problem(.notFound) }
        context.logger.info(
            "staff action", metadata: ["staff": "\(member.id)", "action": "\(action.rawValue)", "ticket": "\(raw)"])
        let file = try await self.store.lookUp { try self.file($0, updated, for: member) }
        return try await self.view(file, member: member, language: Language(request))
    }

    /// The command a request asks for. A resolution may come as a form: its JSON in a `resolution` part and the
    /// after-photos in `photo` parts, processed and stored only once the member is known to see the complaint.
    func command(_ action: StaffAction, _ request: Request, _ context: Context, _ member: StaffMember) async throws -> StaffCommand {
        guard action == .resolve, MultipartForm.isMultipart(request) else {
            let buffer = try await request.collectBody(limit: self.maxBodyBytes)
            let body = buffer.readableBytes == 0 ? StaffActionRequest.empty : try request.decodeJSON(StaffActionRequest.self, from: buffer)
            return try body.command(for: action)
        }
        // Who may resolve this complaint now is settled before any photo is read: the workflow's own refusal (role,
        // status, office) for anyone else.
        let complaint = try await self.visibleComplaint(request, context, member)
        let workflow = self.workflow
        if !workflow.allowedActions(for: member, on: complaint).contains(.resolve) {
            _ = try workflow.apply(.resolve(note: "-"), by: member, to: complaint, mergeTarget: nil, now: self.now())
        }
        return try await self.photoIntake.withForm(request, known: ["resolution", "photo"]) { parts in
            let json = try MultipartForm.onePart(named: "resolution", in: parts)
            let body = try request.decodeJSON(StaffActionRequest.self, from: json.body)
            // The note is checked before any photo is processed.
            _ = try body.command(for: action)
            let photos = try await self.photoIntake.accept(parts.filter { $0.name == "photo" })
            return try body.command(for: action, photos: photos)
        }
    }

    // MARK: - Views

    /// What the staff view shows besides the complaint, read in the lookup that found it.
    func file(_ lookup: StoreLookup, _ complaint: Complaint, for member: StaffMember) throws -> StaffFile {
        // Neighbours filed up to `similarDays` before this one (or before now, if it is older), that the member may see.
        let since = min(complaint.createdAt, self.now()).addingTimeInterval(-Double(self.similarDays) * 86_400)
        return StaffFile(
            complaint: complaint, audit: try lookup.audit(complaintID: complaint.id), photos: try lookup.photos(complaintID: complaint.id),
            attributes: try lookup.attributes(complaintID: complaint.id), filingClient: try lookup.filingClient(complaintID: complaint.id),
            neighbours: try lookup.neighbours(of: complaint, radius: self.similarRadius, since: since, limit: 20) { member.canSee($0) })
    }

    func view(_ file: StaffFile, member: StaffMember, language: Language) async throws -> Response {
        let (complaint, photos) = (file.complaint, file.photos)
        let (history, olderHistory) = self.auditEntries(complaint, file.audit)
        let neighbours = file.neighbours
        let state = complaint.state
        let hidePlace = self.catalog.current.hidesPlace(of: complaint)
        let location = self.catalog.current.officeLocation(of: complaint)
        let reporter =
            complaint.anonymous || (complaint.reporter.name == nil && complaint.reporter.phone == nil)
            ? nil : ReporterDTO(name: complaint.reporter.name, phone: complaint.reporter.phone)
        var view = StaffComplaintView(
            ticket: complaint.ticket.rawValue, status: complaint.status.rawValue,
            status_label: self.presenter.status(of: complaint, language),
            category: self.presenter.category(complaint.category, language), description: complaint.description,
            region: self.presenter.region(complaint.region),
            location: location.map { LocationDTO(lat: $0.lat, lng: $0.lng) }, address: hidePlace ? nil : complaint.address,
            visibility: complaint.visibility.rawValue, anonymous: complaint.anonymous, reporter: reporter,
            opd: self.presenter.opd(complaint.opd), routing_rule: complaint.routingRule, sla: self.sla(complaint),
            merged_into: state.mergedInto?.rawValue, escalated_to: state.escalatedTo.map(self.presenter.opd),
            reopen_count: state.reopenCount, created_at: self.presenter.time(complaint.createdAt, complaint),
            updated_at: self.presenter.time(complaint.updatedAt, complaint),
            allowed_actions: self.workflow.allowedActions(for: member, on: complaint).map(\.rawValue),
            history: history)
        view.photos = self.presenter.photos(photos, of: complaint, withFacts: !hidePlace)
        view.location_rounded = hidePlace ? true : nil
        view.history_before = olderHistory
        // The checks of the latest resolution's after-photos; earlier ones stay in `photos` and the audit log.
        let evidence = photos.filter { $0.purpose == .evidence }
        let latest = evidence.map(\.attachment.at).max()
        view.evidence = evidence.filter { $0.attachment.at == latest }.map { EvidenceDTO(id: $0.id, flags: $0.flags.map(\.rawValue)) }
        view.location_source = complaint.locationSource?.rawValue
        view.resolution_review = state.resolutionReview?.rawValue
        view.rejected_resolutions = state.rejectedResolutions
        view.support_count = complaint.supportCount
        view.similar = neighbours.map {
            StaffNeighbour(
                ticket: $0.item.ticket.rawValue, status: $0.item.status.rawValue, distance_m: Int($0.distance.rounded()),
                support_count: $0.item.supportCount, visibility: $0.item.visibility.rawValue,
                opd: self.presenter.opd($0.item.opd), created_at: self.presenter.time($0.item.createdAt, $0.item))
        }
        view.attributes = self.presenter.answers(file.attributes, category: complaint.category, language)
        view.filed_via = file.filingClient.map { client in
            FiledViaDTO(
                channel: "open311", api_key: .init(id: client.apiKeyID, name: client.apiKeyName),
                email: complaint.anonymous ? nil : client.email, device_id: client.deviceID, account_id: client.accountID,
                media_urls: client.mediaURL.map { $0.split(separator: "\n").map(String.init) } ?? [])
        }
        // Every sight of who filed is on record (aduan-admin staff identity-reads TICKET).
        if reporter != nil { try await self.store.recordIdentityRead(complaintID: complaint.id, staffID: member.id, at: self.now()) }
        return try .json(view, headers: [.contentLanguage: language.rawValue])
    }

    func sla(_ complaint: Complaint) -> StaffSLA {
        let state = complaint.state
        let time = { (instant: Date) in self.presenter.time(instant, complaint) }
        return StaffSLA(
            response_due_at: time(state.responseDueAt), resolution_due_at: time(state.resolutionDueAt),
            response_at_risk_at: time(state.responseAtRiskAt), resolution_at_risk_at: time(state.resolutionAtRiskAt),
            responded_at: state.respondedAt.map(time), resolved_at: state.resolvedAt.map(time), paused_at: state.pausedAt.map(time),
            response: state.responseSLA.rawValue, resolution: state.resolutionSLA.rawValue, next_due_at: time(state.nextDueAt))
    }

    /// A page of the audit log, newest entries (before `before`) in order, and the cursor to the older ones.
    func auditEntries(_ complaint: Complaint, _ page: AuditPage) -> ([AuditEntry], Int64?) {
        let members = page.actors
        return (
            page.history.events.map { event in
                let member = event.actorKind == .staff ? event.actorID.flatMap { Int64($0) }.flatMap { members[$0] } : nil
                return AuditEntry(
                    kind: event.kind.rawValue, at: self.presenter.time(event.at, complaint),
                    actor: .init(
                        kind: event.actorKind.rawValue, id: event.actorKind == .staff ? event.actorID : nil, name: member?.name,
                        role: member?.role.rawValue),
                    visible_to_reporter: event.visibleToReporter, details: event.details)
            }, page.history.olderBefore
        )
    }

    // MARK: - Query helpers

    static func flag(_ value: String?, name: String) throws -> Bool {
        switch value {
        case nil, "false", "0": return false
        case "true", "1", "": return true
        default: throw Problem(.badRequest, context: "\(name): true or false")
        }
    }

    /// A queue position as cursor fields: the deadline in milliseconds, then the id.
    static func cursor(_ position: QueuePosition) -> String {
        Paging.cursor(String(Int64((position.nextDueAt.timeIntervalSince1970 * 1000).rounded())), String(position.id))
    }

    static func position(_ fields: [Substring]) -> QueuePosition? {
        // Instants between 1970 and 3000 only: anything else is not a cursor this server made.
        guard fields.count == 2, let milliseconds = Int64(fields[0]), (0...32_503_680_000_000).contains(milliseconds),
            let id = Int64(fields[1])
        else { return nil }
        return QueuePosition(nextDueAt: Date(timeIntervalSince1970: Double(milliseconds) / 1000), id: id)
    }

    /// A most-supported position: `s`, the count, then the id (the `s` keeps a deadline cursor from passing for it).
    static func cursor(_ position: SupportPosition) -> String { Paging.cursor("s", String(position.supportCount), String(position.id)) }

    static func supportPosition(_ fields: [Substring]) -> SupportPosition? {
        guard fields.count == 3, fields[0] == "s", let count = Int(fields[1]), count >= 0, let id = Int64(fields[2]) else { return nil }
        return SupportPosition(supportCount: count, id: id)
    }
}

extension StaffActionRequest {
    static let empty = StaffActionRequest(
        note: nil, to: nil, reason: nil, question: nil, text: nil, visible_to_reporter: nil, into: nil)
}

/// A complaint with what the staff view shows besides: its audit log's newest page, photos, the answers to its
/// category's questions, the Open311 client that filed it, and similar complaints near it.
struct StaffFile: Sendable {
    let complaint: Complaint
    let audit: AuditPage
    let photos: [StoredPhoto]
    let attributes: [CategoryAnswer]
    let filingClient: FilingClient?
    let neighbours: [Neighbour<Complaint>]
}
