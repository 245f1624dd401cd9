import AduanCore
import Foundation
import GRDB

/// A place in the map feed's order: the distance (whole centimetres from the centre), then the id.
public struct NearbyPosition: Sendable, Hashable, Comparable {
    public let centimetres: Int64
    public let id: Int64
    public init(centimetres: Int64, id: Int64) {
        self.centimetres = centimetres
        self.id = id
    }
    init(distance: Double, id: Int64) { self.init(centimetres: Int64((distance * 100).rounded()), id: id) }

    public static func < (lhs: NearbyPosition, rhs: NearbyPosition) -> Bool { (lhs.centimetres, lhs.id) < (rhs.centimetres, rhs.id) }
}

/// The public map feed's question: public complaints around a point.
public struct NearbyQuery: Sendable {
    public var center: GeoPoint
    public var radius: Double
    public var category: String?
    /// Open complaints only (the default), or every public one.
    public var openOnly = true
    public var limit = 20
    public var after: NearbyPosition?

    public init(center: GeoPoint, radius: Double) {
        self.center = center
        self.radius = radius
    }
}

/// A complaint near a point: where it is shown (the public's point, or the true one for staff) and how far that is.
/// `Item` is a whole `Complaint` for staff, and the few fields a public list shows (`MapComplaint`) for the public.
public struct Neighbour<Item: Sendable>: Sendable {
    public let item: Item
    public let shown: GeoPoint
    public let distance: Double
    /// Its place in the order, as the search measured it (from the indexed point): what a cursor must carry, so that
    /// the next page starts exactly after it.
    public let position: NearbyPosition

    init(_ item: Item, id: Int64, shown: GeoPoint, distance: Double, position: NearbyPosition? = nil) {
        self.item = item
        self.shown = shown
        self.distance = distance
        self.position = position ?? NearbyPosition(distance: distance, id: id)
    }
}

/// What the public map and similar complaints show of a complaint: read as these few columns, not as a whole
/// `Complaint` (a page reads twenty).
public struct MapComplaint: Sendable, Hashable {
    public let id: Int64
    public let ticket: Ticket
    public let status: ComplaintStatus
    /// A resolution held for a supervisor's validation ("Menunggu Validasi").
    public let awaitsValidation: Bool
    public let category: String
    public let region: RegionCode
    public let location: GeoPoint?
    public let createdAt: Date
    public let supportCount: Int
    public let description: String
}

/// What the app shows before filing: public open complaints of the category nearby, and how many private ones.
public struct SimilarComplaints: Sendable {
    public let publicOnes: [Neighbour<MapComplaint>]
    public let privateCount: Int
}

extension Store {
    /// One candidate from a spatial index, before any distance is measured.
    struct Place {
        let id: Int64
        let point: GeoPoint
        let category: String
        let isPublic: Bool
    }

    /// The public map: public complaints whose shown point lies within the radius, nearest first, one page after
    /// `query.after`. `publicPlaces` are the categories shown at their true point (`PublicLocation`). The spatial
    /// index holds open complaints apart from settled ones, so the default (open) map reads only what is open.
    public func publicMap(_ query: NearbyQuery, publicPlaces: Set<String>) async throws -> [Neighbour<MapComplaint>] {
        let center = query.center
        return try await self.read { session in
            // Searched a little wider than the radius: a shown point can be up to `maxShift` from the true one.
            let places = try Self.places(
                session, tree: query.openOnly ? .open : .public, box: center.box(radius: query.radius + PublicLocation.maxShift),
                category: query.category, since: nil, publicOnly: true)
            var near = places.compactMap { Self.shown($0, from: center, within: query.radius, publicPlaces: publicPlaces) }
            if let after = query.after { near = near.filter { $0.position > after } }
            let page = near.sorted { $0.position < $1.position }.prefix(query.limit)
            let complaints = try Self.mapComplaints(ids: page.map(\.place.id), session)
            return page.compactMap { entry in
                complaints[entry.place.id].map {
                    Self.shown($0, near: center, publicPlaces: publicPlaces, else: entry.shown, position: entry.position)
                }
            }
        }
    }

    /// Open complaints of `category` filed since `since` near `point`, for the citizen about to file: public ones
    /// (measured from their shown point) nearest first, and a count of private ones.
    public func similar(
        category: String, near point: GeoPoint, radius: Double, since: Date, limit: Int, publicPlaces: Set<String>
    ) async throws -> SimilarComplaints {
        try await self.read { session in
            let places = try Self.places(
                session, tree: .open, box: point.box(radius: radius + PublicLocation.maxShift), category: category, since: since,
                publicOnly: false)
            // A private one is counted at its rounded point too: a count taken from a series of points must not find
            // its true place.
            let privateCount = places.filter {
                !$0.isPublic && point.distance(to: PublicLocation.shown($0.point, publicPlace: false)) <= radius
            }.count
            let page = places.filter(\.isPublic).compactMap { Self.shown($0, from: point, within: radius, publicPlaces: publicPlaces) }
                .sorted { $0.position < $1.position }.prefix(limit)
            let complaints = try Self.mapComplaints(ids: page.map(\.place.id), session)
            return SimilarComplaints(
                publicOnes: page.compactMap { entry in
                    complaints[entry.place.id].map { Self.shown($0, near: point, publicPlaces: publicPlaces, else: entry.shown) }
                },
                privateCount: privateCount)
        }
    }

    /// A candidate at its shown point, with its place in the order, if that point lies within `radius` of `center`.
    static func shown(
        _ place: Place, from center: GeoPoint, within radius: Double, publicPlaces: Set<String>
    ) -> (place: Place, shown: GeoPoint, position: NearbyPosition)? {
        let shown = PublicLocation.shown(place.point, publicPlace: publicPlaces.contains(place.category))
        let distance = center.distance(to: shown)
        return distance <= radius ? (place, shown, NearbyPosition(distance: distance, id: place.id)) : nil
    }

    /// A found complaint as the public sees it, measured from `center`: at its exact point if it is a public place
    /// (the index keeps points to the centimetre), else at its cell's centre, the same from the row as from the index.
    static func shown(
        _ complaint: MapComplaint, near center: GeoPoint, publicPlaces: Set<String>, else indexed: GeoPoint, position: NearbyPosition? = nil
    ) -> Neighbour<MapComplaint> {
        let shown = complaint.location.map { PublicLocation.shown($0, publicPlace: publicPlaces.contains(complaint.category)) } ?? indexed
        return Neighbour(complaint, id: complaint.id, shown: shown, distance: center.distance(to: shown), position: position)
    }

    enum PlaceTree: String {
        /// Open complaints of any visibility (`place_open`).
        case open = "place_open"
        /// Public complaints of any status (`place_public`).
        case `public` = "place_public"
    }

    /// The complaints whose point lies in the box, read off a two-dimensional R*Tree (aduan_0007_citizens.sql; on
    /// PostgreSQL a GiST index of boxes, aduan_0011_baseline.sql). The category and the flag (public, or open) come
    /// with each entry's key, so that no row is read per candidate; only `since` reads the filing minute kept beside
    /// each entry (similar and neighbours: small boxes).
    static func places(
        _ session: some SQLSession, tree: PlaceTree, box: GeoBox, category: String?, since: Date?, publicOnly: Bool
    ) throws -> [Place] {
        let categories = try CategoryNumbers(session)
        var wanted: Int64?
        if let category {
            // A category never filed has no number, and no complaint.
            guard let number = categories.number(of: category) else { return [] }
            wanted = number
        }
        let scale = PublicLocation.unitsPerDegree
        let (minLat, maxLat) = (Int64((box.minLat * scale).rounded(.down)), Int64((box.maxLat * scale).rounded(.up)))
        let (minLng, maxLng) = (Int64((box.minLng * scale).rounded(.down)), Int64((box.maxLng * scale).rounded(.up)))
        var sql = "SELECT key, min_lat, min_lng\(since != nil && tree == .open ? ", minute" : "") FROM \(tree.rawValue)"
        let values: [DatabaseValue]
        switch session.dialect {
        case .sqlite:
            sql += " WHERE max_lat >= ? AND min_lat <= ? AND max_lng >= ? AND min_lng <= ?"
            values = [minLat, maxLat, minLng, maxLng].map(\.databaseValue)
        case .postgres:
            // The same inclusive overlap, through the GiST index.
            sql += " WHERE bounds && box(point(?, ?), point(?, ?))"
            values = [Double(minLng), Double(minLat), Double(maxLng), Double(maxLat)].map(\.databaseValue)
        }
        let sinceMinute = since.map { Int64(($0.timeIntervalSince1970 / 60).rounded(.down)) }
        var places: [Place] = []
        try session.forEachRow(sql, values: values) { row in
            let key: Int64 = row["key"]
            let (id, flag, number) = (key >> 11, key >> 10 & 1 == 1, key & 1023)
            if let wanted, number != wanted { return }
            // The flag is "public" in the open tree; every entry of the public tree is public.
            if publicOnly && tree == .open && !flag { return }
            if let sinceMinute, tree == .open, (row["minute"] as Int64) < sinceMinute { return }
            let lat: Int64 = row["min_lat"]
            let lng: Int64 = row["min_lng"]
            places.append(
                Place(
                    id: id, point: GeoPoint(lat: Double(lat) / scale, lng: Double(lng) / scale),
                    category: categories.code(of: number) ?? "",
                    isPublic: tree == .public || flag))
        }
        return places
    }

    /// The numbers the spatial indexes know categories by (`category_number`, a handful of rows).
    struct CategoryNumbers {
        let codes: [Int64: String]
        init(_ session: some SQLSession) throws {
            var codes: [Int64: String] = [:]
            for row in try session.fetchAll("SELECT number, code FROM category_number") { codes[row["number"]] = row["code"] }
            self.codes = codes
        }
        func code(of number: Int64) -> String? { self.codes[number] }
        func number(of code: String) -> Int64? { self.codes.first { $0.value == code }?.key }
    }

    /// What the public lists show of the complaints with these ids, one cached statement run for each.
    static func mapComplaints(ids: [Int64], _ session: some SQLSession) throws -> [Int64: MapComplaint] {
        var found: [Int64: MapComplaint] = [:]
        for id in ids {
            guard
                let row = try session.fetchOne(
                    """
                    SELECT id, ticket, status, resolution_review, category, region, lat, lng, created_at, support_count, description
                    FROM complaint WHERE id = ?
                    """, [id])
            else { continue }
            let status: ComplaintStatus = try row.decode(forColumn: "status")
            let review: ResolutionReview? = try row.decode(forColumn: "resolution_review")
            let lat: Double? = row["lat"]
            let lng: Double? = row["lng"]
            found[id] = MapComplaint(
                id: id, ticket: Ticket(row["ticket"]), status: status,
                awaitsValidation: ComplaintState.awaitsValidation(status, review), category: row["category"],
                region: RegionCode(row["region"]), location: lat.flatMap { lat in lng.map { GeoPoint(lat: lat, lng: $0) } },
                createdAt: try ComplaintRecord.instant(row, ComplaintRecord.Columns.createdAt), supportCount: row["support_count"],
                description: row["description"])
        }
        return found
    }
}

extension StoreLookup {
    /// For staff: the open complaints of the same category near a complaint, filed from `since` on, at their true
    /// points, nearest first (the complaint itself excluded), among those `visible` lets through.
    public func neighbours(of complaint: Complaint, radius: Double, since: Date, limit: Int, visible: (Complaint) -> Bool) throws
        -> [Neighbour<Complaint>]
    {
        guard let point = complaint.location else { return [] }
        let places = try Store.places(
            self.session, tree: .open, box: point.box(radius: radius), category: complaint.category, since: since, publicOnly: false)
        let near = places.compactMap { place -> (Store.Place, Double)? in
            guard place.id != complaint.id else { return nil }
            let distance = point.distance(to: place.point)
            return distance <= radius ? (place, distance) : nil
        }
        let sorted = near.sorted { ($0.1, $0.0.id) < ($1.1, $1.0.id) }
        var found: [Neighbour<Complaint>] = []
        // Read in small pages until enough visible ones are found: a member may see only some of them.
        for start in stride(from: 0, to: sorted.count, by: limit) where found.count < limit {
            let page = sorted[start..<min(start + limit, sorted.count)]
            let complaints = try Store.complaints(ids: Set(page.map(\.0.id)), self.session)
            for (place, distance) in page {
                guard let neighbour = complaints[place.id], visible(neighbour), found.count < limit else { continue }
                found.append(Neighbour(neighbour, id: place.id, shown: place.point, distance: distance))
            }
        }
        return found
    }
}
