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

/// A national holiday or a cuti bersama (joint leave) day.
public struct Holiday: Hashable, Sendable {
    public enum Kind: String, Sendable { case `public`, cutiBersama = "cuti_bersama" }
    public let date: LocalDate
    public let kind: Kind
    public let nameID: String
    public let nameEN: String
}

/// Everything province-specific: the region tree, boundaries, offices, categories, routing rules and holidays.
public struct Catalog: Sendable {
    public let name: String
    public let province: RegionCode
    public let calendar: WorkingCalendar
    public let regions: [RegionCode: Region]
    public let opds: [String: OPD]
    /// In the order of the catalog file, which is the order clients show them in.
    public let categories: [Category]
    public let rules: [RoutingRule]
    public let holidays: [Holiday]
    public let boundaries: BoundaryIndex
    let childrenByParent: [RegionCode: [Region]]
    let categoriesByCode: [String: Category]

    init(
        name: String, province: RegionCode, calendar: WorkingCalendar, regions: [RegionCode: Region],
        opds: [String: OPD], categories: [Category], rules: [RoutingRule], holidays: [Holiday],
        boundaries: BoundaryIndex
    ) {
        self.name = name
        self.province = province
        self.calendar = calendar
        self.regions = regions
        self.opds = opds
        self.categories = categories
        self.rules = rules
        self.holidays = holidays
        self.boundaries = boundaries
        self.childrenByParent = Dictionary(grouping: regions.values.filter { $0.parent != nil }, by: { $0.parent! })
            .mapValues { $0.sorted { $0.code < $1.code } }
        self.categoriesByCode = Dictionary(uniqueKeysWithValues: categories.map { ($0.code, $0) })
    }

    public func category(_ code: String) -> Category? { self.categoriesByCode[code] }

    /// A warning when the holiday list ends within `horizon` days of `now`: deadlines past its last year would
    /// silently ignore that year's holidays until the new SKB list is added to holidays.csv.
    public func calendarCoverageWarning(now: Date, horizonDays: Int = 90) -> String? {
        let lastYear = self.holidays.last?.date.year ?? 0
        let horizon = self.calendar.local(now).date.adding(days: horizonDays)
        guard horizon.year > lastYear else { return nil }
        return "holidays.csv lists holidays and cuti bersama only up to \(lastYear); add \(lastYear + 1) from the SKB "
            + "before deadlines run into it (they would count its holidays as working days)"
    }

    public func children(of code: RegionCode) -> [Region] { self.childrenByParent[code] ?? [] }

    /// The working calendar of a region. Lampung is one zone (WIB); a province spanning zones would give its
    /// regions their own zones here.
    public func calendar(for region: RegionCode) -> WorkingCalendar { self.calendar }
}
