import Foundation

/// An official Kemendagri region code such as `18`, `18.71`, `18.71.01` or `18.71.01.1001`.
public struct RegionCode: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { self.rawValue }
    /// 1 = provinsi, 2 = kabupaten/kota, 3 = kecamatan, 4 = desa/kelurahan.
    public var depth: Int { self.rawValue.split(separator: ".").count }
    /// Whether `other` is this region or lies inside it.
    public func contains(_ other: RegionCode) -> Bool {
        other.rawValue == self.rawValue || other.rawValue.hasPrefix(self.rawValue + ".")
    }
    public var parent: RegionCode? {
        guard let dot = self.rawValue.lastIndex(of: ".") else { return nil }
        return RegionCode(String(self.rawValue[..<dot]))
    }
    public static func < (lhs: RegionCode, rhs: RegionCode) -> Bool { lhs.rawValue < rhs.rawValue }
    public init(from decoder: any Decoder) throws { self.rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.rawValue)
    }
}

/// The administrative level of a region.
public enum RegionLevel: String, Sendable, Codable, CaseIterable {
    case provinsi, kabupaten, kota, kecamatan, desa, kelurahan
}

/// A region of the official tree.
public struct Region: Hashable, Sendable {
    public let code: RegionCode
    public let name: String
    public let level: RegionLevel
    public let parent: RegionCode?
}

/// A government office (Organisasi Perangkat Daerah) that answers complaints in the region it serves.
public struct OPD: Hashable, Sendable {
    public let code: String
    public let name: String
    public let region: RegionCode
    /// Where a breach escalates to; nil only for the root office.
    public let parent: String?
}

/// Whether a complaint may be shown to the public.
public enum Visibility: String, Sendable, Codable, CaseIterable {
    case `public`, `private`
}

/// A kind of complaint with its names, SLA targets and defaults.
public struct Category: Hashable, Sendable {
    public let code: String
    public let nameID: String
    public let nameEN: String
    public let defaultVisibility: Visibility
    public let photoRequired: Bool
    public let sla: SLAPolicy
    /// Reports of a public place (a road, a drain, a street light): the public sees their exact location.
    public var publicPlace = false
    /// The extra questions filing asks, in the order clients show them (Open311's service definition).
    public var attributes: [CategoryAttribute] = []
}

/// A routing rule: complaints of `category` (nil for the catch-all) filed inside `region` go to `opd`.
public struct RoutingRule: Hashable, Sendable, CustomStringConvertible {
    public let category: String?
    public let region: RegionCode
    public let opd: String
    public let priority: Int

    /// A stable name for the rule, stored with each complaint it routes.
    public var id: String { "\(self.category ?? "*")@\(self.region.rawValue)#\(self.priority)" }
    public var description: String { "\(self.id) -> \(self.opd)" }
}


/// Everything province-specific: the region tree, boundaries, offices, categories, routing rules and the days off.
public struct Catalog: Sendable {
    public let name: String
    public let province: RegionCode
    /// The province-wide working calendar (national holidays and cuti bersama in force).
    public let calendar: WorkingCalendar
    public let regions: [RegionCode: Region]
    public let opds: [String: OPD]
    /// In the order of the catalog file, which is the order clients show them in.
    public let categories: [Category]
    public let rules: [RoutingRule]
    /// The days off in force, national and regional, by date: the bundled list amended by the operators' changes.
    public let holidays: [Holiday]
    /// The days off as the catalog files list them, before any operator's change.
    public let bundledHolidays: [Holiday]
    /// The id of the last operator's change applied to the bundled days off (0: none).
    public let calendarVersion: Int64
    /// The last day of the last year whose national holidays are listed: past it, holidays count as working days.
    public let calendarReach: LocalDate?
    public let boundaries: BoundaryIndex
    /// Desks, RPJMD themes, population and kabupaten/kota boundaries: what the rakor pack reads.
    public internal(set) var rakor = RakorCatalog()
    let childrenByParent: [RegionCode: [Region]]
    let categoriesByCode: [String: Category]
    /// The categories about a public place (`Category.publicPlace`), shown to the public at their exact point.
    public let publicPlaces: Set<String>
    /// Calendars of the regions that have days off of their own, each with its ancestors' and the national ones.
    let regionalCalendars: [RegionCode: WorkingCalendar]

    init(
        name: String, province: RegionCode, calendar: WorkingCalendar, regions: [RegionCode: Region],
        opds: [String: OPD], categories: [Category], rules: [RoutingRule], holidays: [Holiday],
        bundledHolidays: [Holiday], calendarVersion: Int64, boundaries: BoundaryIndex,
        childrenByParent: [RegionCode: [Region]]? = nil
    ) {
        self.name = name
        self.province = province
        self.regions = regions
        self.opds = opds
        self.categories = categories
        self.rules = rules
        self.holidays = holidays.sorted { ($0.date, $0.region?.rawValue ?? "") < ($1.date, $1.region?.rawValue ?? "") }
        self.bundledHolidays = bundledHolidays
        self.calendarVersion = calendarVersion
        self.calendarReach = Self.reach(of: holidays)
        self.boundaries = boundaries
        self.childrenByParent = childrenByParent
            ?? Dictionary(grouping: regions.values.filter { $0.parent != nil }, by: { $0.parent! })
                .mapValues { $0.sorted { $0.code < $1.code } }
        self.categoriesByCode = Dictionary(uniqueKeysWithValues: categories.map { ($0.code, $0) })
        self.publicPlaces = Set(categories.filter(\.publicPlace).map(\.code))
        let national = calendar.with(daysOff: Set(holidays.filter { $0.region == nil }.map(\.date)))
        self.calendar = national
        let regional = holidays.filter { $0.region != nil }
        var calendars: [RegionCode: WorkingCalendar] = [:]
        for region in Set(regional.compactMap(\.region)) {
            let own = regional.filter { $0.region!.contains(region) }.map(\.date)
            calendars[region] = national.with(daysOff: national.daysOff.union(own))
        }
        self.regionalCalendars = calendars
    }

    public func category(_ code: String) -> Category? { self.categoriesByCode[code] }

    public func children(of code: RegionCode) -> [Region] { self.childrenByParent[code] ?? [] }

    /// The working calendar of a region: the national days off, and those of the region and the regions it lies in.
    /// Lampung is one zone (WIB); a province spanning zones would give its regions their own zones here.
    public func calendar(for region: RegionCode) -> WorkingCalendar {
        guard !self.regionalCalendars.isEmpty else { return self.calendar }
        var code: RegionCode? = region
        while let current = code {
            if let calendar = self.regionalCalendars[current] { return calendar }
            code = current.parent
        }
        return self.calendar
    }
}

extension Catalog {
    /// The same catalog with no category requiring a photo: for histories made without photo files (the demo seeder),
    /// which otherwise could not file or resolve a `jalan_rusak`.
    public func waivingPhotoRequirements() -> Catalog {
        Catalog(
            name: self.name, province: self.province, calendar: self.calendar, regions: self.regions, opds: self.opds,
            categories: self.categories.map {
                Category(
                    code: $0.code, nameID: $0.nameID, nameEN: $0.nameEN, defaultVisibility: $0.defaultVisibility, photoRequired: false,
                    sla: $0.sla, publicPlace: $0.publicPlace)
            }, rules: self.rules, holidays: self.holidays, bundledHolidays: self.bundledHolidays, calendarVersion: self.calendarVersion,
            boundaries: self.boundaries, childrenByParent: self.childrenByParent
        ).with(rakor: self.rakor)
    }

    /// The same catalog with these rakor data (the constructors that copy a catalog carry them through here).
    func with(rakor: RakorCatalog) -> Catalog {
        var copy = self
        copy.rakor = rakor
        return copy
    }
}
