import AduanCore
import Foundation

/// Maps of the province for the reports: the kecamatan filled by their kabupaten/kota's figure, the kabupaten/kota
/// outlined and named, and dots on top, drawn by `ReportMap` from the catalog's boundaries.
enum ProvinceMap {
    /// `values` by kabupaten/kota code (nil or absent: no data). `higherIsBetter` picks the colours.
    static func svg(
        catalog: Catalog, values: [String: Double], classes: Int = 5, format: (Double) -> String, legendTitle: String,
        higherIsBetter: Bool, dots: [ReportMap.Dot] = [], dotsLegend: String? = nil, ariaLabel: String
    ) -> String {
        let breaks = ReportMap.breaks(Array(values.values), count: classes)
        var lower = 0.0
        let classLabels = breaks.map { upper -> String in
            defer { lower = upper }
            return "\(format(lower)) – \(format(upper))"
        }
        let names = Dictionary(uniqueKeysWithValues: catalog.kabupatenKota.map { ($0.code, $0.name) })
        let fills = catalog.boundaries.all.map { boundary -> ReportMap.Shape in
            let area = catalog.kabupatenKota(of: boundary.region)
            let value = area.flatMap { values[$0.rawValue] }
            let kecamatan = catalog.regions[boundary.region]?.name ?? boundary.region.rawValue
            let title = "Kec. \(kecamatan), \(area.flatMap { names[$0] } ?? "")" + (value.map { ": \(format($0))" } ?? "")
            return ReportMap.Shape(
                rings: self.points(boundary.polygonRings), fillClass: value.map { ReportMap.classIndex($0, breaks: breaks) }, title: title)
        }
        let areas = catalog.rakor.areas.all
        let areaLabels = areas.compactMap { area -> ReportMap.Label? in
            guard let at = area.label else { return nil }
            let name = (names[area.region] ?? area.region.rawValue).replacingOccurrences(of: "Kabupaten ", with: "")
            return ReportMap.Label(at: ReportMap.Point(lng: at.lng, lat: at.lat), text: name)
        }
        return ReportMap.svg(
            fills: fills, outlines: areas.map { self.points($0.polygonRings) }, labels: areaLabels, dots: dots,
            legend: ReportMap.Legend(
                title: legendTitle, classes: classLabels, noData: "tidak ada data", dots: dotsLegend, higherIsBetter: higherIsBetter),
            ariaLabel: ariaLabel)
    }

    static func points(_ rings: [[GeoPoint]]) -> [[ReportMap.Point]] { rings.map { $0.map { ReportMap.Point(lng: $0.lng, lat: $0.lat) } } }
}
