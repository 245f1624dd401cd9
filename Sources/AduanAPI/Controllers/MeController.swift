import AduanCore
import AduanStore
import AduanWire
import Foundation
import Hummingbird

/// The signed-in citizen's own side under `/v1/me`: who they are, their complaints, and claiming one filed before
/// sign-in. Every route needs a citizen token; no route shows another citizen's complaint.
struct MeController<Context: RequestContext> {
    let store: Store
    let catalog: LiveCatalog
    let sessions: CitizenSessions
    let maxBodyBytes: Int

    var presenter: Presenter { Presenter(catalog: self.catalog.current) }
    static var maxPageSize: Int { 100 }

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("me", use: self.me)
        group.get("me/complaints", use: self.complaints)
        group.post("me/complaints/claim", use: self.claim)
    }

    @Sendable func me(_ request: Request, context: Context) async throws -> Response {
        let citizen = try await self.sessions.required(request)
        let calendar = self.catalog.current.calendar
        return try .json(
            CitizenDTO(
                phone: citizen.phone.international, since: calendar.iso8601(citizen.createdAt),
                session_expires_at: calendar.iso8601(citizen.sessionExpiresAt)), headers: [.cacheControl: "no-store"])
    }

    /// The account's complaints, newest first: `limit` (1-100, default 20) and `cursor`.
    @Sendable func complaints(_ request: Request, context: Context) async throws -> Response {
        let citizen = try await self.sessions.required(request)
        let limit = try Paging.limit(request, max: Self.maxPageSize, default: 20)
        // The cursor is the id of the last complaint shown.
        let before = try Paging.after(request) { $0.count == 1 ? Int64($0[0]) : nil }
        let rows = try await self.store.complaints(ofAccount: citizen.id, before: before, limit: limit + 1)
        let page = rows.prefix(limit)
        let language = Language(request)
        let presenter = self.presenter
        let items = page.map { Self.item($0, language, presenter) }
        let next = rows.count > limit ? page.last.map { Paging.cursor(String($0.id)) } : nil
        return try .json(
            MyComplaintsPage(items: items, next_cursor: next), headers: [.contentLanguage: language.rawValue, .cacheControl: "no-store"])
    }

    /// Adds a complaint filed before sign-in to the account, proven by its ticket and tracking token. Claiming one
    /// already the account's again changes nothing; one another account holds is refused (409).
    @Sendable func claim(_ request: Request, context: Context) async throws -> Response {
        let citizen = try await self.sessions.required(request)
        let body = try request.decodeJSON(ClaimRequest.self, from: try await request.collectBody(limit: self.maxBodyBytes))
        var missing: [FieldError] = []
        if body.ticket == nil { missing.append(FieldError(field: "ticket", code: .required)) }
        if body.tracking_token == nil { missing.append(FieldError(field: "tracking_token", code: .required)) }
        guard missing.isEmpty, let ticket = body.ticket, let token = body.tracking_token else {
            throw Problem(.validationFailed, fieldErrors: missing)
        }
        guard Ticket.isWellFormed(ticket) else { throw Problem(.claimNotProven) }
        let outcome = try await self.store.claim(ticket: Ticket(ticket), trackingTokenHash: Secrets.sha256Hex(token), citizenID: citizen.id)
        switch outcome {
        case .claimed(let complaint): return try self.claimed(complaint, request, status: .created)
        case .alreadyYours(let complaint): return try self.claimed(complaint, request, status: .ok)
        case .otherAccount: throw Problem(.claimedByAnother)
        case .noMatch: throw Problem(.claimNotProven)
        }
    }

    func claimed(_ complaint: Complaint, _ request: Request, status: HTTPResponse.Status) throws -> Response {
        let language = Language(request)
        return try .json(Self.item(complaint, language, self.presenter), status: status, headers: [.contentLanguage: language.rawValue])
    }

    static func item(_ complaint: Complaint, _ language: Language, _ presenter: Presenter) -> MyComplaintItem {
        MyComplaintItem(
            ticket: complaint.ticket.rawValue, status: complaint.status.rawValue, status_label: presenter.status(of: complaint, language),
            category: presenter.category(complaint.category, language), region: presenter.region(complaint.region),
            opd: presenter.opd(complaint.opd), visibility: complaint.visibility.rawValue,
            created_at: presenter.time(complaint.createdAt, complaint), updated_at: presenter.time(complaint.updatedAt, complaint),
            support_count: complaint.supportCount)
    }
}
