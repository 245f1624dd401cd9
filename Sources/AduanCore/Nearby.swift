import Foundation

extension GeoPoint {
    /// Great-circle distance in metres (haversine, mean Earth radius).
    public func distance(to other: GeoPoint) -> Double {
        let radians = Double.pi / 180
        let dLat = (other.lat - self.lat) * radians
        let dLng = (other.lng - self.lng) * radians
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(self.lat * radians) * cos(other.lat * radians) * sin(dLng / 2) * sin(dLng / 2)
        return 6_371_008.8 * 2 * atan2(a.squareRoot(), (1 - a).squareRoot())
    }

    /// A box that holds every point within `metres` of this one, a little larger than needed: 111,000 m per degree is
    /// less than the 111,195 of the sphere `distance(to:)` measures on.
    public func box(radius metres: Double) -> GeoBox {
        let dLat = metres / 111_000
        let dLng = metres / (111_000 * max(0.01, cos(self.lat * Double.pi / 180)))
        return GeoBox(minLat: self.lat - dLat, maxLat: self.lat + dLat, minLng: self.lng - dLng, maxLng: self.lng + dLng)
    }
}

/// A latitude/longitude box, as the spatial index is searched.
public struct GeoBox: Sendable, Hashable {
    public let minLat: Double, maxLat: Double, minLng: Double, maxLng: Double
}

/// Where the public is shown a complaint. A report about a public place (a road, a drain, a street light) shows
/// where it is, since that is what must be fixed; any other is moved to the centre of a grid cell about 50 m wide,
/// so that the map does not point at a reporter's house. The public only ever learns the shown point: distances and
/// the radius are measured from it, so that no series of searches can narrow a complaint down to its true place.
public enum PublicLocation {
    /// The grid's step in degrees: 0.00045° is 50 m of latitude and, in Lampung, about 50 m of longitude.
    public static let gridDegrees = 0.00045
    /// How far a shown point can be from the true one: half the cell's diagonal, rounded up.
    public static let maxShift = 36.0

    /// The spatial indexes keep coordinates in whole 1e-7 degrees (1 cm).
    public static let unitsPerDegree = 10_000_000.0

    public static func shown(_ point: GeoPoint, publicPlace: Bool) -> GeoPoint {
        guard !publicPlace else { return point }
        func snap(_ value: Double) -> Double {
            // The point as the spatial index keeps it (1 cm), so that the map and the complaint's own view agree on its
            // cell; the centre is rounded to 6 decimals so that it prints the same on every platform.
            let indexed = (value * unitsPerDegree).rounded() / unitsPerDegree
            return (((indexed / gridDegrees).rounded(.down) + 0.5) * gridDegrees * 1_000_000).rounded() / 1_000_000
        }
        return GeoPoint(lat: snap(point.lat), lng: snap(point.lng))
    }
}

extension Catalog {
    /// Whether complaints of this category are about a public place, whose exact location the public may see.
    public func isPublicPlace(_ category: String) -> Bool { self.publicPlaces.contains(category) }

    /// Whether the offices, and the systems they receive events in, see a complaint's place only as the public does:
    /// an anonymous complaint's exact place could name who filed it (their house, their school), unless its category
    /// is about a public place the office must find (a road, a drain).
    public func hidesPlace(of complaint: Complaint) -> Bool { complaint.anonymous && !self.isPublicPlace(complaint.category) }

    /// Where the offices see a complaint: its point, or the public's when `hidesPlace`.
    public func officeLocation(of complaint: Complaint) -> GeoPoint? {
        self.hidesPlace(of: complaint) ? self.shownLocation(of: complaint) : complaint.location
    }

    /// Where the public is shown a complaint (see `PublicLocation`).
    public func shownLocation(of complaint: Complaint) -> GeoPoint? {
        complaint.location.map { PublicLocation.shown($0, publicPlace: self.isPublicPlace(complaint.category)) }
    }
}
