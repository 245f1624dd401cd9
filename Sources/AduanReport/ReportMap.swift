import Foundation

/// Inline-SVG maps of the province for printed reports: a choropleth with a legend, region outlines, short labels and
/// hotspot dots. Pure and deterministic (the same input gives the same bytes); the output has no scripts, external
/// references or `style=` attributes, and is simplified in pixel space so that a kecamatan map stays small.
public enum ReportMap {
    public struct Point: Sendable, Hashable {
        public var lng: Double
        public var lat: Double
        public init(lng: Double, lat: Double) { (self.lng, self.lat) = (lng, lat) }
    }

    /// One filled shape: a polygon with holes/multipolygon as rings (each ring a closed or open list of points; even-odd fill).
    public struct Shape: Sendable {
        public var rings: [[Point]]
        public var fillClass: Int?
        public var title: String
        public init(rings: [[Point]], fillClass: Int?, title: String) {
            self.rings = rings
            self.fillClass = fillClass
            self.title = title
        }
    }

    public struct Dot: Sendable {
        public var at: Point
        public var weight: Double
        public var title: String
        public init(at: Point, weight: Double, title: String) { (self.at, self.weight, self.title) = (at, weight, title) }
    }

    public struct Label: Sendable {
        public var at: Point
        public var text: String
        public init(at: Point, text: String) { (self.at, self.text) = (at, text) }
    }

    public struct Legend: Sendable {
        public var title: String
        /// Label per class, e.g. "0–2,5"; class i is drawn with palette[i].
        public var classes: [String]
        /// Label for shapes with fillClass nil, e.g. "tidak ada data".
        public var noData: String?
        /// Label for the dot symbol, e.g. "titik rawan (ukuran = jumlah aduan)".
        public var dots: String?
        /// Picks the palette direction (compliance: green high; complaint density: darker = more).
        public var higherIsBetter: Bool
        public init(title: String, classes: [String], noData: String? = nil, dots: String? = nil, higherIsBetter: Bool) {
            self.title = title
            self.classes = classes
            self.noData = noData
            self.dots = dots
            self.higherIsBetter = higherIsBetter
        }
    }

    // MARK: - Rendering

    static let margin = 10.0
    static let smallestRing = 1.5
    static let noDataFill = "#e5e7eb"
    static let dotRadius = (smallest: 2.5, largest: 9.0)
    /// Douglas–Peucker tolerances and coordinate grids (steps per pixel), tried in turn until the map fits the byte
    /// budget. The bundled kecamatan polygons were already simplified to about 1.4 px at 640 px, so a smaller tolerance
    /// hardly shortens them; a 0.25 px grid (invisible in print) is tried before a tolerance that leaves slivers.
    static let simplifications: [(tolerance: Double, stepsPerPixel: Int)] = [(0.5, 10), (0.5, 4), (1, 4), (1.5, 4), (2, 4), (3, 2)]
    static let byteBudget = 60_000

    /// `fills` are drawn first (thin light strokes between them), `outlines` on top as thicker borders (no fill),
    /// then `labels` (small text with a white halo via paint-order stroke), then dots (circles, area proportional to
    /// weight, radius between 2.5 and 9 px, semi-transparent dark red with white stroke, each with a <title>).
    /// Polygons are simplified with a 0.5 px tolerance on a 0.1 px grid, or coarser (up to 3 px on a 0.5 px grid) when
    /// needed to keep the map under 60,000 bytes. Dots outside the map frame (fitted to fills and outlines) are left out.
    public static func svg(
        fills: [Shape], outlines: [[[Point]]], labels: [Label], dots: [Dot], legend: Legend,
        width: Int = 640, ariaLabel: String
    ) -> String {
        let width = Double(min(max(width, 160), 10_000))
        let rings = fills.flatMap(\.rings) + outlines.joined()
        let projection = self.projection(rings: rings, or: labels.map(\.at) + dots.map(\.at), width: width)
        let classCount = max(legend.classes.count, (fills.compactMap(\.fillClass).max() ?? -1) + 1)
        let palette = self.palette(count: classCount, higherIsBetter: legend.higherIsBetter)

        var overlay = "<g font-size=\"10\" text-anchor=\"middle\" fill=\"#111827\" stroke=\"#ffffff\" stroke-width=\"2.5\" "
            + "stroke-linejoin=\"round\" paint-order=\"stroke\">\n"
        for label in labels where self.isFinite(label.at) && !label.text.isEmpty {
            let (x, y) = projection.pixel(label.at)
            // Nudged down by about a third of the font size, so that the text is centred on the point.
            overlay += "<text x=\"\(self.number(x))\" y=\"\(self.number(y + 3.5))\">\(ReportHTML.escape(label.text))</text>\n"
        }
        overlay += "</g>\n<g fill=\"#991b1b\" fill-opacity=\"0.7\" stroke=\"#ffffff\" stroke-width=\"1\">\n"
            + self.dotElements(dots, projection) + "</g>\n"
        let (legendMarkup, legendHeight) = self.legend(legend, palette: palette, top: projection.height, width: width)
        let height = (projection.height + legendHeight).rounded(.up)
        let (w, h) = (self.number(width), self.number(height))
        let head = "<svg viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" role=\"img\" "
            + "aria-label=\"\(ReportHTML.escape(ariaLabel))\" font-family=\"sans-serif\">\n"
            + "<rect width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>\n"
        let fixedBytes = head.utf8.count + overlay.utf8.count + legendMarkup.utf8.count + "</svg>\n".utf8.count

        // Grouped by class (nil first), input order within a class: shapes do not overlap, and each fill is written once.
        let grouped = Dictionary(grouping: fills) { shape in shape.fillClass.map { min(max($0, 0), classCount - 1) } ?? -1 }
        var shapes = ""
        for (tolerance, steps) in self.simplifications {
            // Path data is in whole grid steps inside a scaled group (strokes scale along): "123" in a scale(.1) group
            // is the same 0.1 px grid as "12.3", but a fifth shorter.
            let (scale, grid) = (self.number(1 / Double(steps), digits: 2), Double(steps))
            shapes = "<g transform=\"scale(\(scale))\" fill-rule=\"evenodd\" stroke=\"#ffffff\" "
                + "stroke-width=\"\(self.number(0.4 * grid))\" stroke-linejoin=\"round\">\n"
            for fillClass in grouped.keys.sorted() {
                var paths = ""
                for shape in grouped[fillClass] ?? [] {
                    let data = self.pathData(shape.rings, projection, tolerance: tolerance, grid: grid)
                    guard !data.isEmpty else { continue }
                    paths += "<path d=\"\(data)\"><title>\(ReportHTML.escape(shape.title))</title></path>\n"
                }
                guard !paths.isEmpty else { continue }
                shapes += "<g fill=\"\(fillClass < 0 ? self.noDataFill : palette[fillClass])\">\n\(paths)</g>\n"
            }
            shapes += "</g>\n<g transform=\"scale(\(scale))\" fill=\"none\" stroke=\"#374151\" "
                + "stroke-width=\"\(self.number(1.1 * grid))\" stroke-linejoin=\"round\">\n"
            for outline in outlines {
                let data = self.pathData(outline, projection, tolerance: tolerance, grid: grid)
                if !data.isEmpty { shapes += "<path d=\"\(data)\"/>\n" }
            }
            shapes += "</g>\n"
            if fixedBytes + shapes.utf8.count <= self.byteBudget { break }
        }
        return head + shapes + overlay + legendMarkup + "</svg>\n"
    }

    /// Class breaks for a choropleth: `count` classes over `values` (nil-free), as ascending upper bounds, rounded to
    /// "nice" numbers (1, 2, 2.5, 5 × 10^k) so legends read well; quantile-based but with duplicate bounds removed.
    /// The last bound is never below the largest value, so every value falls in a class.
    public static func breaks(_ values: [Double], count: Int) -> [Double] {
        let sorted = values.filter(\.isFinite).sorted()
        guard let lowest = sorted.first, let highest = sorted.last else { return [] }
        let count = max(count, 1)
        // A bound is a multiple of a nice step finer than half a class and than a quarter of the bound itself, so that
        // rounding moves it less than the classes are wide and skewed data keeps its small bounds; equal values get a
        // step a hundredth of their size.
        let spread = highest > lowest ? (highest - lowest) / Double(count * 2) : max(abs(highest), 1) / 100
        func rounded(_ value: Double, _ rule: FloatingPointRoundingRule) -> Double {
            let step = self.niceStep(atMost: value == 0 ? spread : min(spread, abs(value) / 4))
            return step.multiple((value / step.value).rounded(rule))
        }
        var bounds: [Double] = []
        for index in 1...count {
            // Discrete quantiles: values that occur, so two distinct values give two classes, not five.
            let rank = Int((Double(index) / Double(count) * Double(sorted.count)).rounded(.up)) - 1
            let quantile = sorted[min(max(rank, 0), sorted.count - 1)]
            let bound = index == count ? rounded(highest, .up) : rounded(quantile, .toNearestOrAwayFromZero)
            // A bound below the lowest value would leave its class empty; a repeated bound adds nothing.
            if bound >= lowest || index == count, bound > (bounds.last ?? -.infinity) { bounds.append(bound) }
        }
        return bounds
    }

    /// The class index of `value` given `breaks` from `breaks(_:count:)`: the first class whose upper bound is at
    /// least `value`, the last class above all bounds, and 0 for empty breaks or a value that is not a number.
    public static func classIndex(_ value: Double, breaks: [Double]) -> Int {
        guard !value.isNaN, !breaks.isEmpty else { return 0 }
        return breaks.firstIndex { value <= $0 } ?? breaks.count - 1
    }

    // MARK: - Projection and simplification

    /// Equirectangular, x shrunk by cos(mean latitude) so that shapes are not stretched, north up, fitted to the width.
    struct Projection: Sendable {
        var west = 0.0, north = 0.0, xScale = 1.0, pixelsPerDegree = 1.0, left = ReportMap.margin
        var height = 2 * ReportMap.margin, width: Double, smallestRing = ReportMap.smallestRing

        init(fitting points: [Point], width: Double) {
            self.width = width
            let finite = points.filter(ReportMap.isFinite)
            guard let first = finite.first else { return }
            var (west, east, south, north) = (first.lng, first.lng, first.lat, first.lat)
            for point in finite {
                (west, east) = (min(west, point.lng), max(east, point.lng))
                (south, north) = (min(south, point.lat), max(north, point.lat))
            }
            let inner = width - 2 * ReportMap.margin
            self.xScale = max(cos((south + north) / 2 * .pi / 180), 0.01)
            let (spanX, spanY) = ((east - west) * self.xScale, north - south)
            // A tall region is capped at twice the width; a single point gets any scale and sits in the middle.
            var scale = spanX > 0 ? inner / spanX : .infinity
            if spanY > 0 { scale = min(scale, 2 * inner / spanY) }
            if !scale.isFinite { scale = 1 }
            (self.west, self.north, self.pixelsPerDegree) = (west, north, scale)
            self.left = ReportMap.margin + (inner - spanX * scale) / 2
            self.height = spanY * scale + 2 * ReportMap.margin
        }

        func pixel(_ point: Point) -> (x: Double, y: Double) {
            (self.left + (point.lng - self.west) * self.xScale * self.pixelsPerDegree,
             ReportMap.margin + (self.north - point.lat) * self.pixelsPerDegree)
        }
    }

    /// The projection fitted to the rings big enough to see: specks of islands too small to draw would otherwise widen
    /// the frame. Fitted twice (to all rings, then to those that span `smallestRing` pixels at that scale), and the
    /// threshold carried over in degrees, so that exactly the rings that set the frame are drawn.
    static func projection(rings: [[Point]], or fallback: [Point], width: Double) -> Projection {
        let rough = Projection(fitting: Array(rings.joined()), width: width)
        let visible = rings.filter { ring in
            let pixels = ring.filter(self.isFinite).map(rough.pixel)
            guard let first = pixels.first else { return false }
            var (left, right, top, bottom) = (first.x, first.x, first.y, first.y)
            for pixel in pixels {
                (left, right, top, bottom) = (min(left, pixel.x), max(right, pixel.x), min(top, pixel.y), max(bottom, pixel.y))
            }
            return max(right - left, bottom - top) >= self.smallestRing
        }
        // Without any shape to see, the frame falls back to the labels and dots, so that they still have somewhere to go.
        var projection = Projection(fitting: visible.isEmpty ? fallback : Array(visible.joined()), width: width)
        projection.smallestRing = self.smallestRing * projection.pixelsPerDegree / rough.pixelsPerDegree
        return projection
    }

    /// A point on the coordinate grid, in whole steps, so that relative path steps add up exactly.
    struct GridPoint: Equatable { var x: Int, y: Int }

    /// Compact path data for rings in grid steps (`grid` per pixel). Each ring is an m (absolute for the first ring,
    /// from the previous ring's start after that) followed by implicit relative line steps, closed with z.
    static func pathData(_ rings: [[Point]], _ projection: Projection, tolerance: Double, grid: Double) -> String {
        var (data, start) = ("", GridPoint(x: 0, y: 0))
        for ring in rings {
            let pixels = ring.filter(self.isFinite).map(projection.pixel)
            guard let points = self.simplified(pixels, tolerance: tolerance, grid: grid, smallest: projection.smallestRing) else {
                continue
            }
            data += "m" + String(points[0].x - start.x) + self.separated(points[0].y - start.y)
            for (previous, point) in zip(points, points.dropFirst()) {
                data += self.separated(point.x - previous.x) + self.separated(point.y - previous.y)
            }
            data += "z"
            start = points[0]
        }
        return data
    }

    /// A ring simplified with Douglas–Peucker in pixel space and snapped to the grid; nil when too small to see.
    static func simplified(_ ring: [(x: Double, y: Double)], tolerance: Double, grid: Double, smallest: Double) -> [GridPoint]? {
        var points = ring
        if points.count > 1, let first = points.first, let last = points.last, first == last { points.removeLast() }
        guard points.count >= 3 else { return nil }
        let (xs, ys) = (points.map(\.x), points.map(\.y))
        guard max(xs.max()! - xs.min()!, ys.max()! - ys.min()!) >= smallest else { return nil }
        // A closed ring is split at its first point and the point farthest from it, and each half simplified.
        var farthest = 0, farthestDistance = -1.0
        for (index, point) in points.enumerated() {
            let distance = hypot(point.x - points[0].x, point.y - points[0].y)
            if distance > farthestDistance { (farthest, farthestDistance) = (index, distance) }
        }
        points.append(points[0])
        var keep = [Bool](repeating: false, count: points.count)
        (keep[0], keep[farthest], keep[points.count - 1]) = (true, true, true)
        var pending = [(farthest, points.count - 1), (0, farthest)]
        while let (start, end) = pending.popLast() {
            guard end > start + 1 else { continue }
            var split = -1, splitDistance = tolerance
            for index in (start + 1)..<end {
                let distance = self.distance(points[index], toSegment: points[start], points[end])
                if distance > splitDistance { (split, splitDistance) = (index, distance) }
            }
            guard split >= 0 else { continue }
            keep[split] = true
            pending += [(split, end), (start, split)]
        }
        var snapped: [GridPoint] = []
        for index in 0..<(points.count - 1) where keep[index] {
            let point = GridPoint(x: self.steps(points[index].x, grid), y: self.steps(points[index].y, grid))
            if snapped.last != point { snapped.append(point) }
        }
        while snapped.count > 1, snapped.last == snapped.first { snapped.removeLast() }
        return snapped.count >= 3 ? snapped : nil
    }

    static func distance(_ point: (x: Double, y: Double), toSegment a: (x: Double, y: Double), _ b: (x: Double, y: Double)) -> Double {
        let (dx, dy) = (b.x - a.x, b.y - a.y)
        let lengthSquared = dx * dx + dy * dy
        let t = lengthSquared > 0 ? min(max(((point.x - a.x) * dx + (point.y - a.y) * dy) / lengthSquared, 0), 1) : 0
        return hypot(point.x - (a.x + t * dx), point.y - (a.y + t * dy))
    }

    // MARK: - Dots, legend and palette

    /// Larger dots first, so that a small dot on top of a large one can still be seen and hovered.
    static func dotElements(_ dots: [Dot], _ projection: Projection) -> String {
        let heaviest = dots.map(\.weight).filter { $0.isFinite && $0 > 0 }.max() ?? 0
        let (smallest, largest) = self.dotRadius
        let placed = dots.enumerated().compactMap { index, dot -> (radius: Double, index: Int, x: Double, y: Double, title: String)? in
            guard self.isFinite(dot.at) else { return nil }
            let (x, y) = projection.pixel(dot.at)
            guard (0...projection.width).contains(x), (0...projection.height).contains(y) else { return nil }
            let share = dot.weight.isFinite && heaviest > 0 ? max(dot.weight, 0) / heaviest : 0
            return (min(max(largest * share.squareRoot(), smallest), largest), index, x, y, dot.title)
        }
        return placed.sorted { ($1.radius, $0.index) < ($0.radius, $1.index) }.map { dot in
            "<circle cx=\"\(self.number(dot.x))\" cy=\"\(self.number(dot.y))\" r=\"\(self.number(dot.radius))\">"
                + "<title>\(ReportHTML.escape(dot.title))</title></circle>\n"
        }.joined()
    }

    /// The legend below the map: a title, then swatches with labels flowing left to right and wrapping at the width.
    static func legend(_ legend: Legend, palette: [String], top: Double, width: Double) -> (markup: String, height: Double) {
        enum Symbol { case swatch(String), dot }
        var items = zip(legend.classes, palette).map { (Symbol.swatch($1), $0) }
        if let noData = legend.noData { items.append((.swatch(self.noDataFill), noData)) }
        if let dots = legend.dots { items.append((.dot, dots)) }
        guard !items.isEmpty || !legend.title.isEmpty else { return ("", 0) }
        var markup = "<g font-size=\"11\" fill=\"#111827\">\n"
        var baseline = top + 2
        if !legend.title.isEmpty {
            baseline += 12
            markup += "<text x=\"\(self.number(self.margin))\" y=\"\(self.number(baseline))\" font-weight=\"bold\">"
                + "\(ReportHTML.escape(legend.title))</text>\n"
        }
        var x = self.margin
        for (index, (symbol, label)) in items.enumerated() {
            // About 0.58 em per character of sans-serif text: enough to keep labels apart without measuring them.
            let itemWidth = 18 + Double(label.count) * 6.4
            if index == 0 || (x > self.margin && x + itemWidth > width - self.margin) { (x, baseline) = (self.margin, baseline + 17) }
            switch symbol {
            case .swatch(let fill):
                markup += "<rect x=\"\(self.number(x))\" y=\"\(self.number(baseline - 9))\" width=\"14\" height=\"10\" "
                    + "fill=\"\(fill)\" stroke=\"#9ca3af\" stroke-width=\"0.5\"/>\n"
            case .dot:
                markup += "<circle cx=\"\(self.number(x + 7))\" cy=\"\(self.number(baseline - 4))\" r=\"5\" fill=\"#991b1b\" "
                    + "fill-opacity=\"0.7\" stroke=\"#ffffff\" stroke-width=\"1\"/>\n"
            }
            markup += "<text x=\"\(self.number(x + 18))\" y=\"\(self.number(baseline))\">\(ReportHTML.escape(label))</text>\n"
            x += itemWidth + 14
        }
        return (markup + "</g>\n", baseline + 8 - top)
    }

    /// ColorBrewer 5-class YlOrRd (more = darker) and RdYlGn (low = red, high = green), stretched to `count` classes.
    static func palette(count: Int, higherIsBetter: Bool) -> [String] {
        let stops: [(Double, Double, Double)] = higherIsBetter
            ? [(215, 25, 28), (253, 174, 97), (255, 255, 191), (166, 217, 106), (26, 150, 65)]
            : [(255, 255, 178), (254, 204, 92), (253, 141, 60), (240, 59, 32), (189, 0, 38)]
        return (0..<max(count, 0)).map { index in
            let position = (count == 1 ? 0.5 : Double(index) / Double(count - 1)) * Double(stops.count - 1)
            let low = min(Int(position), stops.count - 2)
            let (a, b, t) = (stops[low], stops[low + 1], position - Double(low))
            return "#" + [a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t, a.2 + (b.2 - a.2) * t].map { channel in
                let byte = Int(channel.rounded())
                return String(byte >> 4, radix: 16) + String(byte & 15, radix: 16)
            }.joined()
        }
    }

    // MARK: - Numbers and text

    /// 1, 2, 2.5 or 5 × 10^k, the largest not above `limit`, kept as an integer mantissa and a power of ten so that
    /// multiples print without binary noise (0.3, not 0.30000000000000004).
    struct NiceStep {
        var mantissaTenths: Double, exponent: Int
        var value: Double { self.multiple(1) }
        func multiple(_ count: Double) -> Double {
            let tenths = count * self.mantissaTenths
            return self.exponent - 1 >= 0 ? tenths * pow(10, Double(self.exponent - 1)) : tenths / pow(10, Double(1 - self.exponent))
        }
    }

    static func niceStep(atMost limit: Double) -> NiceStep {
        // Clamped so that the power of ten stays exact; extreme data gets coarse bounds instead of a crash.
        let limit = limit.isFinite && limit > 0 ? limit : 1
        let exponent = min(max(Int(floor(log10(limit))), -20), 20)
        let fraction = limit / pow(10, Double(exponent))
        let mantissa = [50.0, 25, 20, 10].first { $0 <= fraction * 10 + 1e-9 } ?? 10
        return NiceStep(mantissaTenths: mantissa, exponent: exponent)
    }

    static func isFinite(_ point: Point) -> Bool { point.lng.isFinite && point.lat.isFinite }

    /// `value` in whole steps of 1/`grid`; 0 for a value that is not a number, so that NaN is never printed.
    static func steps(_ value: Double, _ grid: Double) -> Int { value.isFinite ? Int((min(max(value, -1e8), 1e8) * grid).rounded()) : 0 }

    /// An attribute number to `digits` decimals without trailing zeros: "12.5", "12", "-0.5".
    static func number(_ value: Double, digits: Int = 1) -> String {
        let unit = [1, 10, 100, 1000][min(max(digits, 0), 3)]
        let steps = self.steps(value, Double(unit))
        let (whole, fraction) = (steps.magnitude / UInt(unit), steps.magnitude % UInt(unit))
        var decimals = fraction == 0 ? "" : String(fraction + UInt(unit)).dropFirst()
        while decimals.hasSuffix("0") { decimals.removeLast() }
        return (steps < 0 ? "-" : "") + String(whole) + (decimals.isEmpty ? "" : "." + decimals)
    }

    /// A minus sign already separates two numbers in path data; anything else needs a space.
    static func separated(_ number: Int) -> String { number < 0 ? String(number) : " \(number)" }
}
