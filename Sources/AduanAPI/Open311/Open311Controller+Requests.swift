import AduanCore
import AduanStore
import Foundation
import Hummingbird

extension Open311Controller {
    /// The longest window a list covers, and the default one.
    static var window: TimeInterval { 90 * 86_400 }
    static var maxPageSize: Int { 1000 }
    /// The most tickets one `service_request_id` list may name.
    static var maxRequestIDs: Int { 100 }

    // MARK: - Reading

    @Sendable func requests(_ request: Request, context: Context) async throws -> Response {
        let (format, _) = try self.begin(request, context)
        let parameters = try Open311Parameters(query: request)
        let viewer = try await self.apiKey(parameters)?.id
        let complaints: [Complaint]
        // A list of ids overrides every other filter.
        if let ids = parameters.list("service_request_id") {
            guard ids.count <= Self.maxRequestIDs else { throw Open311Error.badRequest("service_request_id: at most \(Self.maxRequestIDs) ids") }
            complaints = try await self.store.open311Requests(tickets: ids.filter(Ticket.isWellFormed).map(Ticket.init), viewer: viewer)
        } else {
            let (from, to) = try self.window(parameters)
            let (offset, limit) = try Self.page(parameters)
            var open: Bool?
            if let statuses = parameters.list("status")?.map({ $0.lowercased() }) {
                guard statuses.allSatisfy({ $0 == "open" || $0 == "closed" }) else {
                    throw Open311Error.badRequest("status: open, closed or both (open,closed)")
                }
                open = Set(statuses).count == 1 ? statuses[0] == "open" : nil
            }
            let codes = parameters.list("service_code")
            if let unknown = codes?.first(where: { self.catalog.current.category($0) == nil }) {
                throw Open311Error.badRequest("service_code \(unknown) is not a service")
            }
            complaints = try await self.store.open311Requests(
                Open311Query(from: from, to: to, open: open, categories: codes, viewer: viewer, offset: offset, limit: limit))
        }
        return try await self.requestList(complaints, viewer: viewer, request, format)
    }

    @Sendable func request(_ request: Request, context: Context) async throws -> Response {
        let (format, id) = try self.begin(request, context, file: "file")
        let viewer = try await self.apiKey(try Open311Parameters(query: request))?.id
        let found = Ticket.isWellFormed(id) ? try await self.store.open311Requests(tickets: [Ticket(id)], viewer: viewer) : []
        guard !found.isEmpty else { throw Open311Error(.notFound, "service_request_id \(id) not found") }
        return try await self.requestList(found, viewer: viewer, request, format)
    }

    func requestList(_ complaints: [Complaint], viewer: Int64?, _ request: Request, _ format: Open311Format) async throws -> Response {
        let photos = try await self.store.firstReportPhotos(complaintIDs: complaints.filter { $0.visibility == .public }.map(\.id))
        let owned = try await self.owned(complaints, by: viewer)
        let presenter = self.presenter(request)
        return Open311Node.list(
            item: "request", complaints.map { presenter.request($0, ownedByViewer: owned.contains($0.id), photoID: photos[$0.id]) }
        ).response(root: "service_requests", format)
    }

    /// Which of these complaints the viewer's key filed.
    func owned(_ complaints: [Complaint], by viewer: Int64?) async throws -> Set<Int64> {
        guard let viewer else { return [] }
        return try await self.store.filed(byAPIKey: viewer, among: complaints.map(\.id))
    }

    /// `start_date` and `end_date`: W3C date-times, by default the last 90 days, and never more than 90 days apart.
    func window(_ parameters: Open311Parameters) throws -> (Date, Date) {
        func date(_ name: String) throws -> Date? {
            // An offset's "+" sent unencoded in a query arrives as a space.
            guard let raw = parameters[name]?.replacingOccurrences(of: " ", with: "+") else { return nil }
            guard let date = W3CDateTime.parse(raw) else {
                throw Open311Error.badRequest("\(name): not a W3C date-time (such as 2026-12-01T00:00:00+07:00)")
            }
            return date
        }
        let start = try date("start_date"), end = try date("end_date")
        let to = end ?? (start.map { min(self.now(), $0.addingTimeInterval(Self.window)) } ?? self.now())
        let from = start ?? to.addingTimeInterval(-Self.window)
        guard from <= to else { throw Open311Error.badRequest("start_date is after end_date") }
        guard to.timeIntervalSince(from) <= Self.window else { throw Open311Error.badRequest("the window is at most 90 days") }
        return (from, to)
    }

    /// `page` (from 1) and `page_size` (at most 1000, the default), FixMyStreet's paging extension.
    static func page(_ parameters: Open311Parameters) throws -> (offset: Int, limit: Int) {
        let page = try parameters["page"].map { raw in
            guard let value = Int(raw), value >= 1, value <= 1_000_000 else { throw Open311Error.badRequest("page: a whole number from 1") }
            return value
        } ?? 1
        let size = try parameters["page_size"].map { raw in
            guard let value = Int(raw), (1...Self.maxPageSize).contains(value) else {
                throw Open311Error.badRequest("page_size: a whole number from 1 to \(Self.maxPageSize)")
            }
            return value
        } ?? Self.maxPageSize
        return ((page - 1) * size, size)
    }
}
