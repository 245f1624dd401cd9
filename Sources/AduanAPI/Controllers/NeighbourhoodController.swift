import AduanCore
import AduanStore
import AduanWire
import Foundation
import HTTPTypes
import Hummingbird

/// What citizens see around them: the public map feed, similar complaints before filing, and support (+1). Only
/// public complaints are shown, never who filed them, and each at its shown point (`PublicLocation`).
struct NeighbourhoodController<Context: RequestContext> {
    let store: Store
    let catalog: LiveCatalog
    let sessions: CitizenSessions
    let similarRadius: Double
    let similarDays: Int
    let now: @Sendable () -> Date

    static var maxRadius: Double { 5000 }
    static var maxPageSize: Int { 100 }
    static var summaryLength: Int { 160 }

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("complaints", use: self.feed)
        group.get("complaints/similar", use: self.similar)
        group.post("complaints/{ticket}/support", use: self.support)
        group.delete("complaints/{ticket}/support", use: self.withdraw)
    }

    /// `GET /v1/complaints?near=LAT,LNG&radius_m=&category=&status=open|all&limit=&cursor=`, nearest first.
    @Sendable func feed(_ request: Request, context: Context) async throws -> Response {
        let parameters = request.uri.queryParameters
        guard let raw = parameters["near"].map(String.init) else { throw Problem(.badRequest, context: "near: required (LAT,LNG)") }
        let parts = raw.split(separator: ",")
        guard parts.count == 2, let lat = Double(parts[0]), let lng = Double(parts[1]), GeoPoint(lat: lat, lng: lng).isValid else {
            throw Problem(.badRequest, context: "near: LAT,LNG in degrees")
        }
        var query = NearbyQuery(center: GeoPoint(lat: lat, lng: lng), radius: 1000)
        if let raw = parameters["radius_m"].map(String.init) {
            guard let radius = Double(raw), radius.isFinite, (1...Self.maxRadius).contains(radius) else {
                throw Problem(.badRequest, context: "radius_m: 1-\(Int(Self.maxRadius))")
            }
            query.radius = radius
        }
        query.category = try self.category(parameters["category"].map(String.init), required: false)
        switch parameters["status"].map(String.init) {
        case nil, "open": query.openOnly = true
        case "all": query.openOnly = false
        case let other?: throw Problem(.badRequest, context: "status: open or all, not '\(other)'")
        }
        query.limit = try Paging.limit(request, max: Self.maxPageSize, default: query.limit)
        query.after = try Paging.after(request, Self.position)
        let requested = query.limit
        query.limit += 1
        // One snapshot of the catalog for the whole answer.
        let catalog = self.catalog.current
        let found = try await self.store.publicMap(query, publicPlaces: catalog.publicPlaces)
        let page = found.prefix(requested)
        let language = Language(request)
        let next = found.count > requested ? page.last.map { Self.cursor($0.position) } : nil
        return try .json(
            NearbyPage(items: page.map { self.item($0, language, catalog) }, next_cursor: next), headers: [.contentLanguage: language.rawValue])
    }

    /// `GET /v1/complaints/similar?category=C&lat=&lng=`: before filing, the open complaints like it nearby.
    @Sendable func similar(_ request: Request, context: Context) async throws -> Response {
        let parameters = request.uri.queryParameters
        let category = try self.category(parameters["category"].map(String.init), required: true)!
        guard let lat = parameters["lat"].flatMap({ Double(String($0)) }), let lng = parameters["lng"].flatMap({ Double(String($0)) }),
            GeoPoint(lat: lat, lng: lng).isValid
        else { throw Problem(.badRequest, context: "lat and lng: required, in degrees") }
        let catalog = self.catalog.current
        let found = try await self.store.similar(
            category: category, near: GeoPoint(lat: lat, lng: lng), radius: self.similarRadius,
            since: self.now().addingTimeInterval(-Double(self.similarDays) * 86_400), limit: 20, publicPlaces: catalog.publicPlaces)
        let language = Language(request)
        return try .json(
            SimilarComplaintsDTO(
                radius_m: Int(self.similarRadius), days: self.similarDays, items: found.publicOnes.map { self.item($0, language, catalog) },
                private_count: found.privateCount), headers: [.contentLanguage: language.rawValue])
    }

    /// A +1 from the signed-in citizen, or from the device named by `X-Device-Id`; counted once.
    @Sendable func support(_ request: Request, context: Context) async throws -> Response {
        let (ticket, supporter) = try await self.supporter(request, context)
        return try Self.answer(try await self.store.support(ticket: ticket, by: supporter, now: self.now()), ticket)
    }

    @Sendable func withdraw(_ request: Request, context: Context) async throws -> Response {
        let (ticket, supporter) = try await self.supporter(request, context)
        return try Self.answer(try await self.store.withdrawSupport(ticket: ticket, by: supporter), ticket)
    }

    func supporter(_ request: Request, _ context: Context) async throws -> (Ticket, Supporter) {
        let raw = try context.parameters.require("ticket")
        guard Ticket.isWellFormed(raw) else { throw Problem(.notFound) }
        if let citizen = try await self.sessions.citizen(request) { return (Ticket(raw), .citizen(citizen.id)) }
        guard let device = request.headers[.deviceID], (8...200).contains(device.utf8.count),
            device.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f })
        else { throw Problem(.supporterRequired) }
        // Only a hash of the device's id is kept.
        return (Ticket(raw), .device(idHash: Secrets.sha256Hex(device)))
    }

    static func answer(_ outcome: SupportOutcome, _ ticket: Ticket) throws -> Response {
        switch outcome {
        case .counted(let count, let supporting):
            return try .json(SupportState(ticket: ticket.rawValue, support_count: count, supporting: supporting))
        case .notFound: throw Problem(.notFound)
        case .notOpen(let status): throw Problem(.complaintNotOpen, currentStatus: status.rawValue)
        case .ownComplaint: throw Problem(.ownComplaint)
        }
    }

    // MARK: - Helpers

    func category(_ raw: String?, required: Bool) throws -> String? {
        guard let raw, !raw.isEmpty else {
            if required { throw Problem(.badRequest, context: "category: required") }
            return nil
        }
        guard self.catalog.current.category(raw) != nil else { throw Problem(.badRequest, context: "category: unknown value '\(raw)'") }
        return raw
    }

    func item(_ neighbour: Neighbour<MapComplaint>, _ language: Language, _ catalog: Catalog) -> NearbyComplaint {
        let complaint = neighbour.item
        let presenter = Presenter(catalog: catalog)
        let description = complaint.description
        let summary = description.count > Self.summaryLength ? String(description.prefix(Self.summaryLength - 1)) + "…" : description
        return NearbyComplaint(
            ticket: complaint.ticket.rawValue, status: complaint.status.rawValue,
            status_label: presenter.status(complaint.status, awaitingValidation: complaint.awaitsValidation, language),
            category: presenter.category(complaint.category, language), region: presenter.region(complaint.region),
            location: LocationDTO(lat: neighbour.shown.lat, lng: neighbour.shown.lng),
            location_rounded: !catalog.isPublicPlace(complaint.category), distance_m: Int(neighbour.distance.rounded()),
            support_count: complaint.supportCount, created_at: presenter.time(complaint.createdAt, in: complaint.region), summary: summary)
    }

    /// A feed position as cursor fields: the distance in centimetres, then the id.
    static func cursor(_ position: NearbyPosition) -> String { Paging.cursor(String(position.centimetres), String(position.id)) }

    static func position(_ fields: [Substring]) -> NearbyPosition? {
        guard fields.count == 2, let centimetres = Int64(fields[0]), centimetres >= 0, let id = Int64(fields[1]) else { return nil }
        return NearbyPosition(centimetres: centimetres, id: id)
    }
}

extension HTTPField.Name {
    static let deviceID = Self("X-Device-Id")!
}
