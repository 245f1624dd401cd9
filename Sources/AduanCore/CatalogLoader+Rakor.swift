import Foundation

extension CatalogLoader {
    /// catalog.json's `rakor` section.
    struct RakorEntry: Decodable {
        struct DeskEntry: Decodable {
            let code: String
            let name: String
            let categories: [String]
        }
        struct SharedEntry: Decodable {
            let categories: [String]
            let note: String
        }
        struct ThemeEntry: Decodable {
            let code: String
            let name: String
            let source: String
            let categories: [String]
        }
        let desks: [DeskEntry]
        let shared_authorities: [SharedEntry]?
        let rpjmd_themes: [ThemeEntry]
    }

    /// The rakor data, checked: every category at exactly one desk, themes and splits naming known categories, a
    /// population for every kabupaten/kota, and a boundary for each.
    static func rakor(
        _ entry: RakorEntry?, catalog: Catalog, population: [UInt8], areas: [UInt8], _ problems: inout Problems
    ) -> RakorCatalog {
        let file = "catalog.json"
        var rakor = RakorCatalog()
        let known = Set(catalog.categories.map(\.code))
        guard let entry else {
            problems.add(file, "rakor", "missing: the rakor desks and RPJMD themes")
            return rakor
        }
        var deskOf: [String: String] = [:]
        for desk in entry.desks {
            let label = "rakor.desks \(desk.code)"
            if rakor.desks.contains(where: { $0.code == desk.code }) { problems.add(file, label, "duplicate desk code") }
            if desk.categories.isEmpty { problems.add(file, label, "has no categories") }
            for category in desk.categories {
                if !known.contains(category) { problems.add(file, label, "unknown category \(category)") }
                if let other = deskOf[category] { problems.add(file, label, "category \(category) is already at desk \(other)") }
                deskOf[category] = desk.code
            }
            rakor.desks.append(RakorDesk(code: desk.code, name: desk.name, categories: desk.categories))
        }
        for category in catalog.categories where deskOf[category.code] == nil {
            problems.add(file, "rakor.desks", "category \(category.code) is at no desk")
        }
        for (index, shared) in (entry.shared_authorities ?? []).enumerated() {
            let label = "rakor.shared_authorities[\(index)]"
            for category in shared.categories where !known.contains(category) {
                problems.add(file, label, "unknown category \(category)")
            }
            // A split the routing does not reflect would be a claim the data cannot back.
            if Set(shared.categories.flatMap { catalog.levels(of: $0) }).count < 2 {
                problems.add(file, label, "its categories are not routed to offices at both the province's and a kabupaten/kota's level")
            }
            rakor.sharedAuthorities.append(SharedAuthority(categories: shared.categories, note: shared.note))
        }
        for theme in entry.rpjmd_themes {
            let label = "rakor.rpjmd_themes \(theme.code)"
            if rakor.themes.contains(where: { $0.code == theme.code }) { problems.add(file, label, "duplicate theme code") }
            if theme.source.isEmpty { problems.add(file, label, "has no source") }
            for category in theme.categories where !known.contains(category) {
                problems.add(file, label, "unknown category \(category)")
            }
            rakor.themes.append(RPJMDTheme(code: theme.code, name: theme.name, source: theme.source, categories: theme.categories))
        }
        (rakor.population, rakor.populationSource) = self.parsePopulation(population, catalog: catalog, &problems)
        rakor.areas = self.parseBoundaries(areas, file: "kabkota.geojson", regions: catalog.regions, &problems)
        for area in catalog.kabupatenKota where rakor.areas.boundary(of: area.code) == nil {
            problems.add("kabkota.geojson", area.code.rawValue, "no boundary for \(area.name)")
        }
        return rakor
    }

    /// population.csv: `code,name,population,year,source`, one row per kabupaten/kota.
    static func parsePopulation(_ bytes: [UInt8], catalog: Catalog, _ problems: inout Problems) -> ([RegionCode: Int], String) {
        let file = "population.csv"
        var population: [RegionCode: Int] = [:]
        var sources: [String] = []
        for (line, fields) in self.csvRows(bytes) {
            guard fields.count == 5, let count = Int(fields[2]), count > 0 else {
                problems.add(file, "line \(line)", "expected code,name,population,year,source with a positive population")
                continue
            }
            let code = RegionCode(fields[0])
            guard let level = catalog.regions[code]?.level, level == .kabupaten || level == .kota else {
                problems.add(file, "line \(line)", "\(fields[0]) is not a kabupaten or kota of regions.csv")
                continue
            }
            if population[code] != nil { problems.add(file, "line \(line)", "second population for \(code)") }
            population[code] = count
            let source = "\(fields[4]), \(fields[3])"
            if !sources.contains(source) { sources.append(source) }
        }
        for area in catalog.kabupatenKota where population[area.code] == nil {
            problems.add(file, area.code.rawValue, "no population for \(area.name)")
        }
        return (population, sources.joined(separator: "; "))
    }
}
