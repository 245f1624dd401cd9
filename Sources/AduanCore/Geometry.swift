import Foundation

/// A WGS84 coordinate.
public struct GeoPoint: Hashable, Sendable {
    public let lat: Double
    public let lng: Double
    public init(lat: Double, lng: Double) {
        self.lat = lat
        self.lng = lng
    }
    /// Whether both coordinates are finite and on the globe.
    public var isValid: Bool { self.lat.isFinite && self.lng.isFinite && abs(self.lat) <= 90 && abs(self.lng) <= 180 }
}

/// One region's boundary: polygons of rings (outer ring first, then holes), as (lng, lat) pairs.
public struct RegionBoundary: Sendable {
    public let region: RegionCode
    let rings: [[(x: Double, y: Double)]]
    let minX: Double, minY: Double, maxX: Double, maxY: Double
    /// Where a map puts the region's name (the source's label point), if the file gives one.
    public let label: GeoPoint?

    init(region: RegionCode, rings: [[(x: Double, y: Double)]], label: GeoPoint? = nil) {
        self.region = region
        self.rings = rings
        self.label = label
        let all = rings.joined()
        self.minX = all.map(\.x).min() ?? 0
        self.maxX = all.map(\.x).max() ?? 0
        self.minY = all.map(\.y).min() ?? 0
        self.maxY = all.map(\.y).max() ?? 0
    }

    /// The rings (outer rings and holes alike), for drawing: the even-odd rule tells which is which.
    public var polygonRings: [[GeoPoint]] { self.rings.map { $0.map { GeoPoint(lat: $0.y, lng: $0.x) } } }

    /// The smallest box that holds every ring.
    public var bounds: GeoBox { GeoBox(minLat: self.minY, maxLat: self.maxY, minLng: self.minX, maxLng: self.maxX) }

    /// Whether the point lies inside the boundary (the even-odd rule of `contains(x:y:)`).
    public func contains(_ point: GeoPoint) -> Bool { self.contains(x: point.lng, y: point.lat) }

    /// Even-odd ray casting over all rings at once: holes and self-intersecting rings (several in the official
    /// data) are handled by the same parity rule.
    func contains(x: Double, y: Double) -> Bool {
        guard x >= self.minX, x <= self.maxX, y >= self.minY, y <= self.maxY else { return false }
        var inside = false
        for ring in self.rings {
            var j = ring.count - 1
            for i in 0..<ring.count {
                let (xi, yi) = ring[i]
                let (xj, yj) = ring[j]
                if (yi > y) != (yj > y), x < (xj - xi) * (y - yi) / (yj - yi) + xi { inside.toggle() }
                j = i
            }
        }
        return inside
    }
}

/// Finds the region whose boundary contains a point, through a uniform grid of bounding boxes so that a lookup
/// tests only the few polygons near the point.
public struct BoundaryIndex: Sendable {
    let boundaries: [RegionBoundary]
    let cellSize: Double
    let cells: [Int64: [Int]]
    /// Where each region's boundary is in `boundaries` (the first, should a region have two).
    let byRegion: [RegionCode: Int]

    init(boundaries: [RegionBoundary], cellSize: Double = 0.1) {
        self.boundaries = boundaries
        self.cellSize = cellSize
        var byRegion: [RegionCode: Int] = [:]
        for (index, boundary) in boundaries.enumerated() where byRegion[boundary.region] == nil { byRegion[boundary.region] = index }
        self.byRegion = byRegion
        var cells: [Int64: [Int]] = [:]
        for (index, boundary) in boundaries.enumerated() {
            for cx in Self.cell(boundary.minX, cellSize)...Self.cell(boundary.maxX, cellSize) {
                for cy in Self.cell(boundary.minY, cellSize)...Self.cell(boundary.maxY, cellSize) {
                    cells[Self.key(cx, cy), default: []].append(index)
                }
            }
        }
        self.cells = cells
    }

    static func cell(_ value: Double, _ size: Double) -> Int { Int((value / size).rounded(.down)) }
    static func key(_ cx: Int, _ cy: Int) -> Int64 { Int64(cx) << 32 ^ Int64(UInt32(bitPattern: Int32(truncatingIfNeeded: cy))) }

    public var count: Int { self.boundaries.count }

    /// Every boundary, in the file's order.
    public var all: [RegionBoundary] { self.boundaries }

    /// A region's own boundary (a kecamatan's, in the bundled catalog), or nil if the catalog has none for it.
    public func boundary(of region: RegionCode) -> RegionBoundary? { self.byRegion[region].map { self.boundaries[$0] } }

    /// How far outside every boundary a point may be and still be placed in the nearest: the official kecamatan
    /// polygons leave slivers up to a few hundred metres wide between neighbours (inside Bandar Lampung too), and a
    /// complaint from such a street is not from outside the province.
    public static let gapTolerance = 500.0

    /// The region of a point: the one containing it, else the nearest within `gapTolerance` metres; nil farther out
    /// (the sea, another province).
    public func region(at point: GeoPoint) -> RegionCode? {
        self.region(containing: point) ?? self.nearestRegion(to: point, within: Self.gapTolerance)
    }

    /// The region containing the point, or nil outside every boundary. Where overlapping polygons both claim a
    /// point, the lowest code wins so that the answer is stable.
    public func region(containing point: GeoPoint) -> RegionCode? {
        guard point.isValid else { return nil }
        let key = Self.key(Self.cell(point.lng, self.cellSize), Self.cell(point.lat, self.cellSize))
        return (self.cells[key] ?? [])
            .lazy
            .map { self.boundaries[$0] }
            .filter { $0.contains(x: point.lng, y: point.lat) }
            .map(\.region)
            .min()
    }

    /// The region whose boundary passes nearest the point, if within `metres`; on a tie, the lowest code.
    func nearestRegion(to point: GeoPoint, within metres: Double) -> RegionCode? {
        guard point.isValid else { return nil }
        // Local metres per degree: the distances involved are a few hundred metres.
        let perLng = 111_320 * cos(point.lat * .pi / 180), perLat = 110_574.0
        let margin = metres / perLat * 2
        var best: (distance: Double, region: RegionCode)?
        let cx = Self.cell(point.lng, self.cellSize), cy = Self.cell(point.lat, self.cellSize)
        var seen: Set<Int> = []
        for dx in -1...1 {
            for dy in -1...1 {
                for index in self.cells[Self.key(cx + dx, cy + dy)] ?? [] where seen.insert(index).inserted {
                    let boundary = self.boundaries[index]
                    guard point.lng >= boundary.minX - margin, point.lng <= boundary.maxX + margin, point.lat >= boundary.minY - margin,
                        point.lat <= boundary.maxY + margin
                    else { continue }
                    let distance = boundary.distance(toX: point.lng, y: point.lat, perX: perLng, perY: perLat)
                    if distance <= metres, best == nil || (distance, boundary.region) < (best!.distance, best!.region) {
                        best = (distance, boundary.region)
                    }
                }
            }
        }
        return best?.region
    }
}

extension RegionBoundary {
    /// Metres from a point to the nearest edge of any ring, with `perX` and `perY` metres per degree.
    func distance(toX x: Double, y: Double, perX: Double, perY: Double) -> Double {
        var best = Double.infinity
        for ring in self.rings where ring.count > 1 {
            var j = ring.count - 1
            for i in 0..<ring.count {
                let ax = (ring[j].x - x) * perX, ay = (ring[j].y - y) * perY
                let bx = (ring[i].x - x) * perX, by = (ring[i].y - y) * perY
                let (ex, ey) = (bx - ax, by - ay)
                let length = ex * ex + ey * ey
                let t = length == 0 ? 0 : max(0, min(1, -(ax * ex + ay * ey) / length))
                let (px, py) = (ax + t * ex, ay + t * ey)
                best = min(best, (px * px + py * py).squareRoot())
                j = i
            }
        }
        return best
    }
}
