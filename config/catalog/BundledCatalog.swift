/// The Lampung catalog shipped inside the binaries: the raw files under config/catalog/lampung. This module has no
/// dependencies so that its large generated source is compiled once, not after every change to the domain.
public enum BundledCatalog {
    public static let files: [String: [UInt8]] = [
        "catalog.json": PackageResources.catalog_json,
        "regions.csv": PackageResources.regions_csv,
        "kecamatan.geojson": PackageResources.kecamatan_geojson,
        "holidays.csv": PackageResources.holidays_csv,
        "population.csv": PackageResources.population_csv,
        "kabkota.geojson": PackageResources.kabkota_geojson,
    ]
}
