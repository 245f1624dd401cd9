import AduanCore
import ArgumentParser
import Foundation

/// `aduan-admin route explain`: which OPD a complaint would go to, and why.
struct RouteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route", abstract: "Explain routing decisions.", subcommands: [Explain.self])

    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the region resolved, the candidate rules and the winning OPD.",
            discussion: """
                Examples:
                  aduan-admin route explain --category sampah --region 18.71.01
                  aduan-admin route explain --category pungli --lat=-5.43 --lng=105.26 --json
                """)
        @Option(help: "Category code (see GET /v1/categories).") var category: String
        @Option(help: "Region code: kecamatan or kelurahan/desa.") var region: String?
        @Option(help: "Latitude, with --lng, instead of --region.") var lat: Double?
        @Option(help: "Longitude, with --lat.") var lng: Double?
        @Option(help: "Catalog directory (default: the bundled Lampung catalog).") var catalog: String?
        @Flag(help: "Print JSON for scripts.") var json = false

        func validate() throws {
            guard (self.region != nil) != (self.lat != nil || self.lng != nil) else {
                throw ValidationError("give either --region or both --lat and --lng")
            }
            if self.region == nil, self.lat == nil || self.lng == nil { throw ValidationError("--lat and --lng go together") }
        }

        func run() async throws {
            let loaded = try CatalogLoader.load(directoryOrBundled: self.catalog)
            guard loaded.category(self.category) != nil else {
                throw Failure("unknown category '\(self.category)' (known: \(loaded.categories.map(\.code).joined(separator: ", ")))")
            }
            let regionCode: RegionCode
            let resolvedBy: String
            if let region {
                guard loaded.regions[RegionCode(region)] != nil else { throw Failure("unknown region '\(region)'") }
                regionCode = RegionCode(region)
                resolvedBy = "given"
            } else {
                let point = GeoPoint(lat: self.lat!, lng: self.lng!)
                guard point.isValid else { throw Failure("coordinates out of range: \(self.lat!), \(self.lng!)") }
                guard let found = loaded.boundaries.region(at: point) else {
                    throw Failure("\(self.lat!), \(self.lng!) is outside \(loaded.name)")
                }
                regionCode = found
                resolvedBy = "point in kecamatan boundary"
            }
            guard let decision = ComplaintRouter(catalog: loaded).route(category: self.category, region: regionCode) else {
                throw Failure("no rule matches \(self.category) in \(regionCode)")
            }
            let regionName = loaded.regions[regionCode]?.name ?? ""
            if self.json {
                let output: [String: Any] = [
                    "category": self.category,
                    "region": ["code": regionCode.rawValue, "name": regionName, "resolved_by": resolvedBy],
                    "candidates": decision.candidates.map {
                        ["rule": $0.id, "opd": $0.opd, "region": $0.region.rawValue, "priority": $0.priority] as [String: Any]
                    },
                    "winner": ["rule": decision.winner.id, "opd": decision.winner.opd, "opd_name": loaded.opds[decision.winner.opd]?.name ?? ""],
                ]
                let data = try JSONSerialization.data(withJSONObject: output, options: [.sortedKeys, .prettyPrinted])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            print("category:  \(self.category)")
            print("region:    \(regionCode) \(regionName) (\(resolvedBy))")
            print("candidates (best first):")
            for (index, rule) in decision.candidates.enumerated() {
                let why = rule.category == nil ? "catch-all" : "category rule"
                print("  \(index == 0 ? "*" : " ") \(rule.id.padding(toLength: 30, withPad: " ", startingAt: 0)) -> \(rule.opd) (\(why), region depth \(rule.region.depth), priority \(rule.priority))")
            }
            let winner = decision.winner
            print("winner:    \(winner.opd) \(loaded.opds[winner.opd]?.name ?? "") by rule \(winner.id)")
        }
    }
}
