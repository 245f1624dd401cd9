import Foundation

/// Groups points that lie together: the rakor pack's hotspots. Leader clustering in id order: a point joins the
/// nearest group whose centre is within the radius (the centre then moves to the members' mean), or starts a new one.
/// Deterministic for the same points in the same order, and linear in their number through a grid of cells.
struct PlaceClusterer {
    let radius: Double
    private let cellLat: Double
    private let cellLng: Double
    private(set) var groups: [Group] = []
    private var cells: [Cell: [Int]] = [:]

    struct Group {
        var latSum = 0.0
        var lngSum = 0.0
        var members: [Int] = []
        var center: (lat: Double, lng: Double) {
            (self.latSum / Double(self.members.count), self.lngSum / Double(self.members.count))
        }
    }

    struct Cell: Hashable {
        let x: Int
        let y: Int
    }

    /// `latitude`: any latitude of the region, to size the cells (Lampung spans three degrees; the error is small).
    init(radius: Double, latitude: Double) {
        self.radius = radius
        self.cellLat = radius / Self.metresPerDegree
        self.cellLng = radius / (Self.metresPerDegree * max(0.1, cos(latitude * .pi / 180)))
    }

    static let metresPerDegree = 111_320.0

    /// Metres between two points (equirectangular: exact enough at a few hundred metres).
    static func distance(_ a: (lat: Double, lng: Double), _ b: (lat: Double, lng: Double)) -> Double {
        let x = (b.lng - a.lng) * cos((a.lat + b.lat) / 2 * .pi / 180)
        let y = b.lat - a.lat
        return (x * x + y * y).squareRoot() * Self.metresPerDegree
    }

    func cell(_ lat: Double, _ lng: Double) -> Cell {
        Cell(x: Int((lng / self.cellLng).rounded(.down)), y: Int((lat / self.cellLat).rounded(.down)))
    }

    /// Adds the point with this member number.
    mutating func add(_ member: Int, lat: Double, lng: Double) {
        let home = self.cell(lat, lng)
        var best: (group: Int, distance: Double)?
        // A group is filed under the cell of its first point; its centre stays within a radius or so of it, so two
        // cells around cover every centre within reach.
        for dx in -2...2 {
            for dy in -2...2 {
                for index in self.cells[Cell(x: home.x + dx, y: home.y + dy)] ?? [] {
                    let distance = Self.distance(self.groups[index].center, (lat, lng))
                    if distance <= self.radius, distance < (best?.distance ?? .infinity) { best = (index, distance) }
                }
            }
        }
        if let best {
            self.groups[best.group].latSum += lat
            self.groups[best.group].lngSum += lng
            self.groups[best.group].members.append(member)
        } else {
            self.cells[home, default: []].append(self.groups.count)
            self.groups.append(Group(latSum: lat, lngSum: lng, members: [member]))
        }
    }
}

/// Points to count near a place: the previous period's complaints of one category, say.
struct PointCounter {
    private var cells: [PlaceClusterer.Cell: [(lat: Double, lng: Double)]] = [:]
    private let grid: PlaceClusterer

    init(radius: Double, latitude: Double) { self.grid = PlaceClusterer(radius: radius, latitude: latitude) }

    mutating func add(lat: Double, lng: Double) { self.cells[self.grid.cell(lat, lng), default: []].append((lat, lng)) }

    /// How many points lie within the radius of `center`.
    func count(near center: (lat: Double, lng: Double)) -> Int {
        let home = self.grid.cell(center.lat, center.lng)
        var count = 0
        for dx in -1...1 {
            for dy in -1...1 {
                for point in self.cells[.init(x: home.x + dx, y: home.y + dy)] ?? []
                where PlaceClusterer.distance(center, point) <= self.grid.radius {
                    count += 1
                }
            }
        }
        return count
    }
}
