public import AduanCore

/// The Lampung catalog shipped inside the binaries, from the files under config/catalog/lampung.
public enum BundledCatalog {
    public static let files: [String: [UInt8]] = [
        "catalog.json": PackageResources.catalog_json,
        "regions.csv": PackageResources.regions_csv,
        "kecamatan.geojson": PackageResources.kecamatan_geojson,
        "holidays.csv": PackageResources.holidays_csv,
    ]

    /// Loads and validates the bundled catalog.
    public static func load() throws -> Catalog {
        try CatalogLoader.load(files: self.files, origin: "bundled:config/catalog/lampung")
    }

    /// The catalog in `directory`, or the bundled one when nil.
    public static func load(directory: String?) throws -> Catalog {
        guard let directory else { return try self.load() }
        return try CatalogLoader.load(directory: URL(fileURLWithPath: directory))
    }
}

import Foundation
