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

    init(region: RegionCode, rings: [[(x: Double, y: Double)]]) {
        self.region = region
        self.rings = rings
        let all = rings.joined()
        self.minX = all.map(\.x).min() ?? 0
        self.maxX = all.map(\.x).max() ?? 0
        self.minY = all.map(\.y).min() ?? 0
        self.maxY = all.map(\.y).max() ?? 0
    }

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

    /// A region's own boundary (a kecamatan's, in the bundled catalog), or nil if the catalog has none for it.
    public func boundary(of region: RegionCode) -> RegionBoundary? { self.byRegion[region].map { self.boundaries[$0] } }

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
}
