import AduanCore
import AduanStore
import Foundation

/// The rakor pack's figures from the store's rows, inside the read transaction: hotspots, persistent backlogs and
/// cross-level issues, each with the inputs of its score. Names and ranking are `RakorPackBuilder`'s.
struct RakorAnalysis {
    let catalog: Catalog
    let rules: RakorRules
    /// Milliseconds: the period before starts, the period starts, its figures are taken (its end, or now).
    let previousStart: Int64
    let start: Int64
    let asOf: Int64
    let opd: String?
    let desk: RakorDesk?
    let kabupatenKota: String?

    var issues: [StrategicIssue] = []
    /// The ids of each issue's example complaints (in `issues`' order), whose tickets are read once at the end.
    var examples: [[Int64]] = []
    var areas: [String: RakorArea] = [:]
    var received: [String: (current: Int, previous: Int)] = [:]

    /// A category (or split authority) in a kabupaten/kota: what issues are grouped by.
    struct Key: Hashable, Comparable {
        let category: String
        let area: String
        static func < (a: Key, b: Key) -> Bool { (a.category, a.area) < (b.category, b.area) }
    }

    /// The same with interned ids, to group half a million items without hashing strings.
    struct IDKey: Hashable {
        let category: Int32
        let area: Int32
        init(_ item: Item) { (self.category, self.area) = (item.categoryID, item.areaID) }
    }

    /// The codes behind the rows' interned ids, shared by every item: filled in once the scan is over (the ids are
    /// handed out while it runs), before any item is asked for a code, and never changed after.
    final class Codes: @unchecked Sendable {
        private(set) var opds: [String] = [], categories: [String] = [], regions: [String] = [], areas: [String] = []
        func fill(_ codes: (opds: [String], categories: [String], regions: [String], areas: [String])) {
            (self.opds, self.categories, self.regions, self.areas) = codes
        }
    }

    /// One complaint, compact (a quarter of a province is half a million of them, copied into groups): ids for its
    /// codes, instants in milliseconds, NaN for no point.
    struct Item {
        let codes: Codes
        let id: Int64
        let createdAt: Int64
        let resolutionDueAt: Int64
        /// When last settled; `Int64.max` while open.
        let settledAt: Int64
        let lat: Double
        let lng: Double
        let opdID: Int32, categoryID: Int32, regionID: Int32, areaID: Int32
        let reopened: Bool
        let crossedLevels: Bool
        let support: Int32

        var opd: String { self.codes.opds[Int(self.opdID)] }
        var category: String { self.codes.categories[Int(self.categoryID)] }
        var region: String { self.codes.regions[Int(self.regionID)] }
        var area: String { self.codes.areas[Int(self.areaID)] }
        var located: Bool { !self.lat.isNaN }
        /// Filed before `instant` and not settled by then.
        func isOpen(at instant: Int64) -> Bool { self.createdAt < instant && self.settledAt >= instant }
    }

    mutating func run(_ source: ReportSource, end: Int64) throws {
        var forwards: [Int64: [RakorForwardRow]] = [:]
        for forward in try source.rakorForwards(from: self.previousStart, to: end) {
            forwards[forward.complaintID, default: []].append(forward)
        }
        let codes = Codes()
        var items: [Item] = []
        try source.rakorComplaints(previousStart: self.previousStart, start: self.start, end: end) { row in
            guard row.status != .duplicate, row.status != .rejected else { return }
            let moves = forwards[row.id] ?? []
            if let opd = self.opd, source.opdCode(row.opd) != opd, !moves.contains(where: { $0.from == opd }) { return }
            if let desk = self.desk, !desk.categories.contains(source.categoryCode(row.category)) { return }
            if let area = self.kabupatenKota, source.areaCode(row.area) != area { return }
            items.append(
                Item(
                    codes: codes, id: row.id, createdAt: row.createdAt, resolutionDueAt: row.resolutionDueAt,
                    settledAt: row.settledAt ?? .max, lat: row.lat ?? .nan, lng: row.lng ?? .nan, opdID: Int32(row.opd),
                    categoryID: Int32(row.category), regionID: Int32(row.region), areaID: Int32(row.area), reopened: row.reopenCount > 0,
                    crossedLevels: moves.contains { self.isProvincial($0.from) != self.isProvincial($0.to) },
                    support: Int32(clamping: row.supportCount)))
        }
        codes.fill(source.rakorCodes)
        let current = items.filter { $0.createdAt >= self.start && $0.createdAt < self.asOf }
        let previous = items.filter { $0.createdAt >= self.previousStart && $0.createdAt < self.start }
        for item in current { self.received[item.category, default: (0, 0)].current += 1 }
        for item in previous { self.received[item.category, default: (0, 0)].previous += 1 }
        self.countAreas(items, current: current)
        self.findHotspots(current: current, previous: previous)
        self.findBacklogs(items)
        self.findCrossLevel(current: current, previous: previous)
        let tickets = try source.tickets(Array(Set(self.examples.joined())))
        for index in self.issues.indices { self.issues[index].tickets = self.examples[index].compactMap { tickets[$0] } }
    }

    func isProvincial(_ opd: String) -> Bool { self.catalog.opds[opd]?.region == self.catalog.province }

    // MARK: - Areas

    mutating func countAreas(_ items: [Item], current: [Item]) {
        for area in self.catalog.kabupatenKota where self.kabupatenKota == nil || self.kabupatenKota == area.code.rawValue {
            self.areas[area.code.rawValue] = RakorArea(
                code: area.code.rawValue, name: area.name, population: self.catalog.rakor.population[area.code], received: 0, settled: 0,
                settledInTime: 0, hotspots: 0)
        }
        for item in current { self.areas[item.area]?.received += 1 }
        for item in items where item.settledAt >= self.start && item.settledAt < self.asOf {
            self.areas[item.area]?.settled += 1
            if item.settledAt <= item.resolutionDueAt { self.areas[item.area]?.settledInTime += 1 }
        }
    }

    // MARK: - Hotspots

    mutating func findHotspots(current: [Item], previous: [Item]) {
        let radius = self.rules.hotspotRadiusMetres
        let latitude = self.catalog.rakor.areas.all.first?.label?.lat ?? 0
        let previousByKey = Dictionary(grouping: previous, by: IDKey.init)
        let groups = Dictionary(grouping: current, by: IDKey.init).map { (key: $0.key, members: $0.value) }
        for (key, members) in groups.sorted(by: {
            Key(category: $0.members[0].category, area: $0.members[0].area)
                < Key(category: $1.members[0].category, area: $1.members[0].area)
        }) {
            let before = previousByKey[key] ?? []
            // With a point: by distance. Without one, a desa named in full is a place too.
            var clusterer = PlaceClusterer(radius: radius, latitude: latitude)
            var counter = PointCounter(radius: radius, latitude: latitude)
            let located = members.filter(\.located)
            for (index, item) in located.enumerated() { clusterer.add(index, lat: item.lat, lng: item.lng) }
            for item in before where item.located { counter.add(lat: item.lat, lng: item.lng) }
            for group in clusterer.groups where group.members.count >= self.rules.minimumComplaints {
                let items = group.members.map { located[$0] }
                self.add(.hotspot, items, previous: counter.count(near: group.center), at: group.center)
            }
            let byDesa = Dictionary(grouping: members.filter { !$0.located && RegionCode($0.region).depth >= 4 }, by: \.region)
            for (desa, items) in byDesa.sorted(by: { $0.key < $1.key }) where items.count >= self.rules.minimumComplaints {
                self.add(.hotspot, items, previous: before.filter { !$0.located && $0.region == desa }.count, at: nil)
            }
        }
    }

    // MARK: - Backlogs

    mutating func findBacklogs(_ items: [Item]) {
        let groups = Dictionary(grouping: items, by: IDKey.init).values.map {
            (key: Key(category: $0[0].category, area: $0[0].area), members: $0)
        }
        for (key, members) in groups.sorted(by: { $0.key < $1.key }) {
            let open = members.filter { $0.isOpen(at: self.asOf) }
            let overdue = open.filter { $0.resolutionDueAt < self.asOf }
            guard open.count >= self.rules.minimumComplaints, !overdue.isEmpty else { continue }
            let median = Distribution(open.map { Double(self.asOf - $0.createdAt) / 86_400_000 }).median
            var issue = self.issue(
                .backlog, category: key.category, area: key.area, open, previous: members.filter { $0.isOpen(at: self.start) }.count)
            issue.medianOpenDays = median.map { ($0 * 10).rounded() / 10 }
            self.append(issue, open)
        }
    }

    // MARK: - Cross-level

    /// What a complaint counts under: a split authority of several categories as one, else its own category.
    func crossLevelKey(_ category: String) -> String {
        guard let shared = self.catalog.sharedAuthority(of: category), shared.categories.count > 1 else { return category }
        return shared.categories.joined(separator: "+")
    }

    /// Forwarded between the levels, or of a split authority of several categories (both levels serve it by design).
    func isCrossLevel(_ item: Item) -> Bool { item.crossedLevels || self.crossLevelKey(item.category) != item.category }

    mutating func findCrossLevel(current: [Item], previous: [Item]) {
        let keyOf = { (item: Item) in Key(category: self.crossLevelKey(item.category), area: item.area) }
        let grouped = Dictionary(grouping: current.filter(self.isCrossLevel), by: keyOf)
        let previousByKey = Dictionary(grouping: previous.filter(self.isCrossLevel), by: keyOf)
        for (key, members) in grouped.sorted(by: { $0.key < $1.key }) where members.count >= self.rules.minimumComplaints {
            let atProvince = members.filter { self.isProvincial($0.opd) }.count
            let forwarded = members.filter(\.crossedLevels).count
            guard forwarded > 0 || (atProvince > 0 && atProvince < members.count) else { continue }
            var issue = self.issue(.crossLevel, category: key.category, area: key.area, members, previous: previousByKey[key]?.count ?? 0)
            issue.forwardedAcrossLevels = forwarded
            issue.atProvince = atProvince
            issue.atKabupatenKota = members.count - atProvince
            self.append(issue, members)
        }
    }

    // MARK: - One issue

    mutating func add(_ kind: StrategicIssue.Kind, _ items: [Item], previous: Int, at center: (lat: Double, lng: Double)?) {
        var issue = self.issue(kind, category: items[0].category, area: items[0].area, items, previous: previous)
        let commonest = Dictionary(grouping: items, by: \.region).max { ($0.value.count, $1.key) < ($1.value.count, $0.key) }!.key
        issue.place = self.placeName(commonest)
        issue.latitude = center.map { ($0.lat * 1e5).rounded() / 1e5 }
        issue.longitude = center.map { ($0.lng * 1e5).rounded() / 1e5 }
        self.areas[issue.area]?.hotspots += 1
        self.append(issue, items)
    }

    /// Keeps an issue, with its three newest complaints as examples.
    mutating func append(_ issue: StrategicIssue, _ items: [Item]) {
        self.issues.append(issue)
        self.examples.append(Array(items.map(\.id).sorted(by: >).prefix(3)))
    }

    func issue(_ kind: StrategicIssue.Kind, category: String, area: String, _ items: [Item], previous: Int) -> StrategicIssue {
        let open = items.filter { $0.isOpen(at: self.asOf) }.count
        // Past its resolution deadline without being settled by it: settled late, or still open past it.
        let overdue = items.filter { $0.resolutionDueAt < min(self.asOf, $0.settledAt) }.count
        let reopened = items.filter(\.reopened).count
        let support = items.reduce(0) { $0 + Int($1.support) }
        let categories = category.split(separator: "+").map(String.init)
        // The offices the rules name at each level first (the counterpart at the province: the rules' office, else the
        // province's office of the same kind), then the two holding most of these complaints now.
        var provinceOffices: [String] = []
        var areaOffices: [String] = []
        for category in categories {
            if let office = self.catalog.kabupatenKotaOffice(for: category, in: RegionCode(area)), !areaOffices.contains(office.code) {
                areaOffices.append(office.code)
            }
            if let office = self.catalog.provincialOffice(for: category) ?? self.provincialCounterpart(areaOffices.first),
                !provinceOffices.contains(office.code)
            {
                provinceOffices.append(office.code)
            }
        }
        let holding = Dictionary(grouping: items, by: \.opd).map { ($0.key, $0.value.count) }.sorted { ($0.1, $1.0) > ($1.1, $0.0) }
        for (office, _) in holding {
            if self.isProvincial(office) {
                if !provinceOffices.contains(office), provinceOffices.count < categories.count + 2 { provinceOffices.append(office) }
            } else if !areaOffices.contains(office), areaOffices.count < categories.count + 2 {
                areaOffices.append(office)
            }
        }
        return StrategicIssue(
            kind: kind, desk: self.catalog.rakor.desk(of: categories[0])?.code ?? "", category: category,
            categoryName: categories.map { self.catalog.category($0)?.nameID ?? $0 }.joined(separator: " + "), area: area,
            areaName: self.catalog.regions[RegionCode(area)]?.name ?? area, place: "", latitude: nil, longitude: nil, count: items.count,
            previous: previous, open: open, overdue: overdue, reopened: reopened, support: support,
            score: self.rules.score(count: items.count, previous: previous, overdue: overdue, reopened: reopened, support: support),
            medianOpenDays: nil, forwardedAcrossLevels: nil, atProvince: nil, atKabupatenKota: nil, provinceOffices: provinceOffices,
            kabupatenKotaOffices: areaOffices,
            themes: Array(Set(categories.flatMap { self.catalog.rakor.themes(of: $0).map(\.code) })).sorted(), tickets: [])
    }

    /// `DLH-1801` → `DLH-18`, when the province has an office of that kind.
    func provincialCounterpart(_ code: String?) -> OPD? {
        guard let code, let kind = code.split(separator: "-").first else { return nil }
        return self.catalog.opds["\(kind)-\(self.catalog.province.rawValue.replacingOccurrences(of: ".", with: ""))"]
    }

    /// `Desa Way Halim, Kec. Kedaton` for a desa; `Kec. Kedaton` for a kecamatan.
    func placeName(_ code: String) -> String {
        var parts: [String] = []
        var region = self.catalog.regions[RegionCode(code)]
        while let current = region, current.level != .kabupaten, current.level != .kota, current.level != .provinsi {
            let prefix =
                switch current.level {
                case .desa: "Desa "
                case .kelurahan: "Kel. "
                case .kecamatan: "Kec. "
                default: ""
                }
            parts.append(prefix + current.name)
            region = current.parent.flatMap { self.catalog.regions[$0] }
        }
        return parts.joined(separator: ", ")
    }
}
