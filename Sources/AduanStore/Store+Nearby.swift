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
public struct Neighbour: Sendable {
    public let complaint: Complaint
    public let shown: GeoPoint
    public let distance: Double
    public var position: NearbyPosition { NearbyPosition(distance: self.distance, id: self.complaint.id) }
}

/// What the app shows before filing: public open complaints of the category nearby, and how many private ones.
public struct SimilarComplaints: Sendable {
    public let publicOnes: [Neighbour]
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
    public func publicMap(_ query: NearbyQuery, publicPlaces: Set<String>) async throws -> [Neighbour] {
        let center = query.center
        return try await self.writer.read { db in
            // Searched a little wider than the radius: a shown point can be up to `maxShift` from the true one.
            let places = try Self.places(
                db, tree: query.openOnly ? .open : .public, box: center.box(radius: query.radius + PublicLocation.maxShift),
                category: query.category, since: nil, publicOnly: true)
            var near: [(place: Place, shown: GeoPoint, position: NearbyPosition)] = places.compactMap { place in
                let shown = PublicLocation.shown(place.point, publicPlace: publicPlaces.contains(place.category))
                let distance = center.distance(to: shown)
                return distance <= query.radius ? (place, shown, NearbyPosition(distance: distance, id: place.id)) : nil
            }
            if let after = query.after { near = near.filter { $0.position > after } }
            let page = near.sorted { $0.position < $1.position }.prefix(query.limit)
            let complaints = try Self.complaints(ids: page.map(\.place.id), db)
            return page.compactMap { entry in
                complaints[entry.place.id].map { Neighbour(complaint: $0, shown: entry.shown, distance: center.distance(to: entry.shown)) }
            }
        }
    }

    /// Open complaints of `category` filed since `since` near `point`, for the citizen about to file: public ones
    /// (measured from their shown point) nearest first, and a count of private ones.
    public func similar(
        category: String, near point: GeoPoint, radius: Double, since: Date, limit: Int, publicPlaces: Set<String>
    ) async throws -> SimilarComplaints {
        try await self.writer.read { db in
            let places = try Self.places(
                db, tree: .open, box: point.box(radius: radius + PublicLocation.maxShift), category: category, since: since,
                publicOnly: false)
            var privateCount = 0
            var shown: [(place: Place, shown: GeoPoint, distance: Double)] = []
            for place in places {
                if place.isPublic {
                    let at = PublicLocation.shown(place.point, publicPlace: publicPlaces.contains(place.category))
                    let distance = point.distance(to: at)
                    if distance <= radius { shown.append((place, at, distance)) }
                } else if point.distance(to: PublicLocation.shown(place.point, publicPlace: false)) <= radius {
                    // Counted at its rounded point too: a count taken from a series of points must not find a private
                    // complaint's true place.
                    privateCount += 1
                }
            }
            let page = shown.sorted { ($0.distance, $0.place.id) < ($1.distance, $1.place.id) }.prefix(limit)
            let complaints = try Self.complaints(ids: page.map(\.place.id), db)
            return SimilarComplaints(
                publicOnes: page.compactMap { entry in
                    complaints[entry.place.id].map { Neighbour(complaint: $0, shown: entry.shown, distance: entry.distance) }
                },
                privateCount: privateCount)
        }
    }

    /// For staff: the open complaints of the same category near a complaint, filed from `since` on, at their true
    /// points, nearest first (the complaint itself excluded), among those `visible` lets through.
    public func neighbours(
        of complaint: Complaint, radius: Double, since: Date, limit: Int, visible: @Sendable @escaping (Complaint) -> Bool
    ) async throws -> [Neighbour] {
        guard let point = complaint.location else { return [] }
        return try await self.writer.read { db in
            let places = try Self.places(
                db, tree: .open, box: point.box(radius: radius), category: complaint.category, since: since, publicOnly: false)
            let near = places.compactMap { place -> (Place, Double)? in
                guard place.id != complaint.id else { return nil }
                let distance = point.distance(to: place.point)
                return distance <= radius ? (place, distance) : nil
            }
            let sorted = near.sorted { ($0.1, $0.0.id) < ($1.1, $1.0.id) }
            var found: [Neighbour] = []
            // Read in small pages until enough visible ones are found: a member may see only some of them.
            for start in stride(from: 0, to: sorted.count, by: limit) where found.count < limit {
                let page = sorted[start..<min(start + limit, sorted.count)]
                let complaints = try Self.complaints(ids: page.map(\.0.id), db)
                for (place, distance) in page {
                    guard let neighbour = complaints[place.id], visible(neighbour), found.count < limit else { continue }
                    found.append(Neighbour(complaint: neighbour, shown: place.point, distance: distance))
                }
            }
            return found
        }
    }

    enum PlaceTree: String {
        /// Open complaints of any visibility (`place_open`).
        case open = "place_open"
        /// Public complaints of any status (`place_public`).
        case `public` = "place_public"
    }

    /// The complaints whose point lies in the box, read off an R*Tree (aduan_0007_citizens.sql) with the filters its
    /// auxiliary columns allow: no complaint row is read for a candidate.
    static func places(
        _ db: Database, tree: PlaceTree, box: GeoBox, category: String?, since: Date?, publicOnly: Bool
    ) throws -> [Place] {
        var conditions = ["max_lat >= ?", "min_lat <= ?", "max_lng >= ?", "min_lng <= ?"]
        var arguments: [(any DatabaseValueConvertible)?] = [box.minLat, box.maxLat, box.minLng, box.maxLng]
        if let category {
            conditions.append("category = ?")
            arguments.append(category)
        }
        if let since, tree == .open {
            conditions.append("created_at >= ?")
            arguments.append(DatabaseTimestamp.string(since))
        }
        if publicOnly && tree == .open { conditions.append("public = 1") }
        let visibility = tree == .open ? "public" : "1"
        let sql = "SELECT id, lat, lng, category, \(visibility) FROM \(tree.rawValue) WHERE \(conditions.joined(separator: " AND "))"
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: StatementArguments(arguments))
        var places: [Place] = []
        while let row = try rows.next() {
            places.append(Place(id: row[0], point: GeoPoint(lat: row[1], lng: row[2]), category: row[3], isPublic: row[4]))
        }
        return places
    }

    /// Complaints by id, for the few on one page.
    static func complaints(ids: [Int64], _ db: Database) throws -> [Int64: Complaint] {
        guard !ids.isEmpty else { return [:] }
        let records = try ComplaintRecord.filter(ids.contains(ComplaintRecord.Columns.id)).fetchAll(db)
        return Dictionary(uniqueKeysWithValues: records.map { ($0.complaint.id, $0.complaint) })
    }
}
