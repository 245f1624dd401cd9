import AduanCore
import Foundation

/// A kecamatan where demo complaints are placed: a handful of recurring problem spots, each of one kind (a bad
/// stretch of road, a rubbish dump at a market, a blocked drain, a dark street), draw most complaints of their kind
/// within about 300 m, the busiest spot the most, as real complaints recur at places; the rest fall anywhere inside
/// the boundary.
struct DemoArea {
    let boundary: RegionBoundary
    let hotspots: [GeoPoint]
    /// The kind of problem at each spot.
    let problems: [String]

    /// The kinds of problem a spot can have, and how often.
    static let problemMix: [(String, Double)] = [("jalan_rusak", 3), ("sampah", 2), ("drainase", 2), ("lampu_jalan", 1), ("banjir", 1)]

    static let hotspotRadius = 300.0
    static let metresPerDegree = 111_320.0

    /// Nil if rejection sampling found no point inside the boundary for any spot (a degenerate boundary).
    init?(_ boundary: RegionBoundary, random: SeededRandom) {
        var random = random
        self.boundary = boundary
        let count = 4 + Int(random.next() % 5)
        self.hotspots = (0..<count).compactMap { _ in Self.uniform(in: boundary, &random) }
        guard !self.hotspots.isEmpty else { return nil }
        var sum = 0.0
        let cumulative = Self.problemMix.map { sum += $0.1; return sum }
        self.problems = self.hotspots.map { _ in Self.problemMix[random.weighted(cumulative)].0 }
    }

    /// A place for a complaint of `category`, or nil (rarely) when rejection sampling found none inside the boundary:
    /// at one of the spots of its kind seven times in ten, if the kecamatan has one, else anywhere.
    func place(for category: String, _ random: inout SeededRandom) -> GeoPoint? {
        let own = self.hotspots.indices.filter { self.problems[$0] == category }
        guard !own.isEmpty, random.chance(0.7) else { return Self.uniform(in: self.boundary, &random) }
        // The k-th spot of the kecamatan draws 1/k as often as the first.
        var total = 0.0
        let spot = self.hotspots[own[random.weighted(own.map { total += 1 / Double($0 + 1); return total })]]
        // Denser towards the spot itself; a point that falls outside the kecamatan is drawn again, then the spot.
        for _ in 0..<4 {
            let distance = Self.hotspotRadius * random.uniform(0...1)
            let angle = random.uniform(0...(2 * Double.pi))
            let point = GeoPoint(
                lat: spot.lat + distance * sin(angle) / Self.metresPerDegree,
                lng: spot.lng + distance * cos(angle) / (Self.metresPerDegree * cos(spot.lat * Double.pi / 180)))
            if self.boundary.contains(point) { return point }
        }
        return spot
    }

    /// A point drawn uniformly inside the boundary by rejection from its box, at most 64 tries.
    static func uniform(in boundary: RegionBoundary, _ random: inout SeededRandom) -> GeoPoint? {
        let box = boundary.bounds
        for _ in 0..<64 {
            let point = GeoPoint(lat: random.uniform(box.minLat...box.maxLat), lng: random.uniform(box.minLng...box.maxLng))
            if boundary.contains(point) { return point }
        }
        return nil
    }
}

/// The +1s a public demo complaint received: most none, a long tail up to 50, more for a public place (the road
/// everyone drives on) than for one person's case; given over its first ten days (most in the first two), up to `now`.
struct DemoSupport {
    let seed: UInt64
    let now: Date
    let publicPlaces: Set<String>

    static let most = 50

    /// The instants of the +1s, drawn from the complaint's own stream (its id): the same seed gives the same support.
    func instants(for complaint: Complaint) -> [Date] {
        var random = SeededRandom(seed: (self.seed ^ 0x5_0990_2700) &+ UInt64(bitPattern: complaint.id) &* 0x9E37_79B9_7F4A_7C15)
        guard random.chance(self.publicPlaces.contains(complaint.category) ? 0.45 : 0.25) else { return [] }
        // Pareto (alpha 1.2) from 1, cut at `most`: about half have 1, one in ten 6 or more, one in a hundred 40 or more.
        let count = min(Self.most, Int(pow(random.uniform(pow(Double(Self.most + 1), -1.2)...1), -1 / 1.2)))
        let window = min(self.now.timeIntervalSince(complaint.createdAt), 10 * 86_400)
        guard window > 0 else { return [] }
        return (0..<count).map { _ in
            let u = random.uniform(0...1)
            return complaint.createdAt.addingTimeInterval(window * u * u)
        }
    }
}
