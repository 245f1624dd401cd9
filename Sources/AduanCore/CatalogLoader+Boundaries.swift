import Foundation

extension CatalogLoader {
    /// A GeoJSON FeatureCollection of (Multi)Polygons with a `code` property per feature (and, for maps, an optional
    /// `label_lat`/`label_lng`): kecamatan.geojson for placing points, kabkota.geojson for the reports' maps.
    static func parseBoundaries(_ bytes: [UInt8], file: String, regions: [RegionCode: Region], _ problems: inout Problems)
        -> BoundaryIndex
    {
        guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
            let features = root["features"] as? [[String: Any]]
        else {
            problems.add(file, "-", "not a GeoJSON FeatureCollection")
            return BoundaryIndex(boundaries: [])
        }
        var boundaries: [RegionBoundary] = []
        for (index, feature) in features.enumerated() {
            guard let properties = feature["properties"] as? [String: Any], let code = properties["code"] as? String else {
                problems.add(file, "feature \(index)", "no 'code' property")
                continue
            }
            guard regions[RegionCode(code)] != nil else {
                problems.add(file, "feature \(index) (\(code))", "region \(code) is not in regions.csv")
                continue
            }
            guard let geometry = feature["geometry"] as? [String: Any], let type = geometry["type"] as? String,
                let coordinates = geometry["coordinates"] as? [Any]
            else {
                problems.add(file, "feature \(index) (\(code))", "no geometry")
                continue
            }
            let polygons: [Any]
            switch type {
            case "Polygon": polygons = [coordinates]
            case "MultiPolygon": polygons = coordinates
            default:
                problems.add(file, "feature \(index) (\(code))", "geometry type \(type) is not a (Multi)Polygon")
                continue
            }
            var rings: [[(x: Double, y: Double)]] = []
            for polygon in polygons {
                for ring in (polygon as? [Any]) ?? [] {
                    let points = ((ring as? [Any]) ?? []).compactMap { point -> (x: Double, y: Double)? in
                        guard let pair = point as? [Any], pair.count >= 2,
                            let x = (pair[0] as? NSNumber)?.doubleValue, let y = (pair[1] as? NSNumber)?.doubleValue
                        else { return nil }
                        return (x, y)
                    }
                    if points.count >= 3 { rings.append(points) }
                }
            }
            guard !rings.isEmpty else {
                problems.add(file, "feature \(index) (\(code))", "no ring with at least 3 points")
                continue
            }
            let label = (properties["label_lat"] as? NSNumber).flatMap { lat in
                (properties["label_lng"] as? NSNumber).map { GeoPoint(lat: lat.doubleValue, lng: $0.doubleValue) }
            }
            boundaries.append(RegionBoundary(region: RegionCode(code), rings: rings, label: label))
        }
        return BoundaryIndex(boundaries: boundaries)
    }
}
