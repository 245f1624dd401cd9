import Foundation

/// A desk (bidang) of the technical rakor before the governor's meeting with the bupati and walikota: the categories
/// whose complaints it reads (roads, drains and street lights at the PU desk, say).
public struct RakorDesk: Hashable, Sendable {
    public let code: String
    public let name: String
    public let categories: [String]
}

/// A priority theme of the province's RPJMD, the categories whose complaints bear on it, and where it was read.
public struct RPJMDTheme: Hashable, Sendable {
    public let code: String
    public let name: String
    public let source: String
    public let categories: [String]
}

/// Categories whose authority is split between the province and the kabupaten/kota (UU 23/2014), so that a
/// complaint about them needs both levels to agree: roads (provincial roads and the kabupaten's own), schools
/// (SD/SMP at the kabupaten/kota against SMA/SMK/SLB at the province).
public struct SharedAuthority: Hashable, Sendable {
    public let categories: [String]
    public let note: String
}

/// What the rakor pack needs from the catalog beyond routing: desks, RPJMD themes, the population of each
/// kabupaten/kota (for complaints per 10,000 inhabitants) and the kabupaten/kota boundaries its maps draw.
public struct RakorCatalog: Sendable {
    public var desks: [RakorDesk] = []
    public var themes: [RPJMDTheme] = []
    public var sharedAuthorities: [SharedAuthority] = []
    /// Inhabitants per kabupaten/kota (population.csv).
    public var population: [RegionCode: Int] = [:]
    /// Where the population figures come from, as population.csv names it.
    public var populationSource = ""
    /// The kabupaten/kota boundaries (kabkota.geojson), with the label point of each.
    public var areas = BoundaryIndex(boundaries: [])

    public init() {}

    /// The desk a category's complaints go to (every category has exactly one: `catalog check` holds it).
    public func desk(of category: String) -> RakorDesk? { self.desks.first { $0.categories.contains(category) } }

    /// The RPJMD themes a category bears on.
    public func themes(of category: String) -> [RPJMDTheme] { self.themes.filter { $0.categories.contains(category) } }
}

extension Catalog {
    /// The kabupaten and kota of the province, in code order.
    public var kabupatenKota: [Region] {
        self.children(of: self.province).filter { $0.level == .kabupaten || $0.level == .kota }
    }

    /// The kabupaten/kota a region lies in (itself for one), or nil for the province or a region outside it.
    public func kabupatenKota(of region: RegionCode) -> RegionCode? {
        var code: RegionCode? = region
        while let current = code {
            if let level = self.regions[current]?.level, level == .kabupaten || level == .kota { return current }
            code = current.parent
        }
        return nil
    }

    /// The office at the province's level that the routing sends a category to (its own rule at the province, not
    /// the catch-all), if any.
    public func provincialOffice(for category: String) -> OPD? {
        ComplaintRouter(catalog: self).route(category: category, region: self.province)?.candidates
            .first { $0.category == category }.flatMap { self.opds[$0.opd] }
    }

    /// The office of a kabupaten/kota that the routing sends a category to there, if the winning rule is the
    /// kabupaten/kota's own.
    public func kabupatenKotaOffice(for category: String, in area: RegionCode) -> OPD? {
        guard let winner = ComplaintRouter(catalog: self).route(category: category, region: area)?.winner,
            winner.category == category, winner.region == area
        else { return nil }
        return self.opds[winner.opd]
    }

    /// The split of authority a category falls under, if any (`RakorCatalog.sharedAuthorities`).
    public func sharedAuthority(of category: String) -> SharedAuthority? {
        self.rakor.sharedAuthorities.first { $0.categories.contains(category) }
    }

    /// The levels a category's rules send it to: true for the province's, false for a kabupaten/kota's.
    public func levels(of category: String) -> Set<Bool> {
        Set(self.rules.filter { $0.category == category }.map { $0.region == self.province })
    }
}
