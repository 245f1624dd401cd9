import AduanBundledCatalog
import Foundation

/// A problem in the catalog files, naming the file and the entry.
public struct CatalogError: Error, Hashable, Sendable, CustomStringConvertible {
    public let file: String
    public let entry: String
    public let message: String
    public var description: String { "\(self.file): \(self.entry): \(self.message)" }
}

/// All the problems found in a catalog, reported together so an editor can fix them in one pass.
public struct CatalogValidationFailed: Error, Sendable, CustomStringConvertible {
    public let errors: [CatalogError]
    public var description: String {
        "catalog invalid (\(self.errors.count) problem(s)):\n" + self.errors.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// Reads and validates a catalog from its files: catalog.json, regions.csv, kecamatan.geojson, holidays.csv, and for
/// the rakor pack population.csv and kabkota.geojson.
public enum CatalogLoader {
    public static let fileNames = [
        "catalog.json", "regions.csv", "kecamatan.geojson", "holidays.csv", "population.csv", "kabkota.geojson",
    ]

    /// The Lampung catalog bundled in the binary.
    public static func bundled() throws -> Catalog {
        try self.load(files: BundledCatalog.files, origin: "bundled:config/catalog/lampung")
    }

    /// The catalog in `directory`, or the bundled one when nil.
    public static func load(directoryOrBundled directory: String?) throws -> Catalog {
        guard let directory else { return try self.bundled() }
        return try self.load(directory: URL(fileURLWithPath: directory))
    }

    /// Loads the catalog files from a directory.
    public static func load(directory: URL) throws -> Catalog {
        var files: [String: [UInt8]] = [:]
        for name in self.fileNames {
            let url = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw CatalogValidationFailed(errors: [CatalogError(file: url.path, entry: "-", message: "cannot read the file")])
            }
            files[name] = Array(data)
        }
        return try self.load(files: files, origin: directory.path)
    }

    /// Loads a catalog from file contents keyed by file name; `origin` prefixes file names in errors.
    public static func load(files: [String: [UInt8]], origin: String) throws -> Catalog {
        var problems = Problems(origin: origin)
        func file(_ name: String) -> [UInt8] {
            guard let bytes = files[name] else {
                problems.add(name, "-", "missing")
                return []
            }
            return bytes
        }
        let regions = self.parseRegions(file("regions.csv"), &problems)
        let holidays = self.parseHolidays(file("holidays.csv"), &problems)
        let boundaries = self.parseBoundaries(file("kecamatan.geojson"), file: "kecamatan.geojson", regions: regions, &problems)
        guard let document = self.parseDocument(file("catalog.json"), &problems) else {
            throw CatalogValidationFailed(errors: problems.errors)
        }
        guard var catalog = self.assemble(document, regions: regions, holidays: holidays, boundaries: boundaries, &problems) else {
            throw CatalogValidationFailed(errors: problems.errors)
        }
        catalog.rakor = self.rakor(
            document.rakor, catalog: catalog, population: file("population.csv"), areas: file("kabkota.geojson"), &problems)
        guard problems.errors.isEmpty else { throw CatalogValidationFailed(errors: problems.errors) }
        return catalog
    }

    struct Problems {
        let origin: String
        var errors: [CatalogError] = []
        mutating func add(_ file: String, _ entry: String, _ message: String) {
            self.errors.append(CatalogError(file: "\(self.origin)/\(file)", entry: entry, message: message))
        }
    }

    // MARK: - Files

    static func csvRows(_ bytes: [UInt8]) -> [(line: Int, fields: [String])] {
        let text = String(decoding: bytes, as: UTF8.self)
        var rows: [(Int, [String])] = []
        // "\r\n" is a single Character in Swift, so both line endings are named.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (index, line) in lines.enumerated() where index > 0 {
            let trimmed = line.trimmingCharacters(in: .init(charactersIn: "\r"))
            if trimmed.isEmpty { continue }
            rows.append((index + 1, self.splitCSV(trimmed)))
        }
        return rows
    }

    /// Splits one CSV line, honouring double-quoted fields (names such as "Way Kanan, Kab." would need it).
    static func splitCSV(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        while let ch = iterator.next() {
            if ch == "\"" {
                quoted.toggle()
            } else if ch == "," && !quoted {
                fields.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        fields.append(current)
        return fields
    }

    static func parseRegions(_ bytes: [UInt8], _ problems: inout Problems) -> [RegionCode: Region] {
        var regions: [RegionCode: Region] = [:]
        for (line, fields) in self.csvRows(bytes) {
            guard fields.count == 4 else {
                problems.add("regions.csv", "line \(line)", "expected 4 fields (code,name,level,parent_code), found \(fields.count)")
                continue
            }
            let code = RegionCode(fields[0])
            guard let level = RegionLevel(rawValue: fields[2]) else {
                problems.add("regions.csv", "line \(line) (\(code))", "unknown level '\(fields[2])'")
                continue
            }
            let parent = fields[3].isEmpty ? nil : RegionCode(fields[3])
            if parent != code.parent {
                problems.add("regions.csv", "line \(line) (\(code))", "parent '\(fields[3])' does not match the code")
            }
            if regions[code] != nil { problems.add("regions.csv", "line \(line) (\(code))", "duplicate code") }
            regions[code] = Region(code: code, name: fields[1], level: level, parent: parent)
        }
        for region in regions.values {
            if let parent = region.parent, regions[parent] == nil {
                problems.add("regions.csv", "\(region.code)", "parent \(parent) is not in the file")
            }
        }
        return regions
    }

    /// holidays.csv: `date,category,name_id,name_en[,status]`; status is `official` (the default) or `provisional`.
    static func parseHolidays(_ bytes: [UInt8], _ problems: inout Problems) -> [Holiday] {
        var holidays: [Holiday] = []
        var seen: Set<LocalDate> = []
        for (line, fields) in self.csvRows(bytes) {
            guard fields.count == 4 || fields.count == 5 else {
                problems.add(
                    "holidays.csv", "line \(line)", "expected 4 or 5 fields (date,category,name_id,name_en[,status]), found \(fields.count)")
                continue
            }
            guard let date = LocalDate(iso: fields[0]) else {
                problems.add("holidays.csv", "line \(line)", "malformed date '\(fields[0])' (expected YYYY-MM-DD)")
                continue
            }
            guard let kind = Holiday.Kind(csvCategory: fields[1]) else {
                problems.add("holidays.csv", "line \(line) (\(fields[0]))", "unknown category '\(fields[1])' (public or cuti_bersama)")
                continue
            }
            let status = fields.count == 5 ? fields[4] : "official"
            guard status == "official" || status == "provisional" else {
                problems.add("holidays.csv", "line \(line) (\(fields[0]))", "unknown status '\(status)' (official or provisional)")
                continue
            }
            // Two entries on one day (Isra Mikraj on a Sunday holiday, say) would be one day off; keep the first.
            guard seen.insert(date).inserted else { continue }
            holidays.append(Holiday(date: date, kind: kind, nameID: fields[2], nameEN: fields[3], provisional: status == "provisional"))
        }
        return holidays.sorted { $0.date < $1.date }
    }

    // MARK: - catalog.json

    struct Document: Decodable {
        struct OPDEntry: Decodable {
            let code: String
            let name: String
            let region: String
            let parent: String?
        }
        struct Target: Decodable {
            let working_days: Int?
            let hours: Int?
        }
        struct SLAEntry: Decodable {
            let response: Target?
            let resolution: Target?
        }
        struct CategoryEntry: Decodable {
            let code: String
            let name_id: String
            let name_en: String
            let default_visibility: String
            let photo_required: Bool?
            let public_place: Bool?
            let sla: SLAEntry?
            let attributes: [AttributeEntry]?
        }
        struct AttributeEntry: Decodable {
            struct ValueEntry: Decodable {
                let key: String
                let name_id: String
                let name_en: String
            }
            let code: String
            let datatype: String
            let required: Bool?
            let order: Int?
            let description_id: String
            let description_en: String
            let values: [ValueEntry]?
        }
        struct RuleEntry: Decodable {
            let category: String
            let region: String
            let opd: String
            let priority: Int?
        }
        let name: String
        let province: String
        let time_zone: String
        let working_day_close: String
        let opds: [OPDEntry]
        let categories: [CategoryEntry]
        let rules: [RuleEntry]
        /// Desks, shared authorities and RPJMD themes (`CatalogLoader+Rakor.swift`).
        let rakor: RakorEntry?
    }

    static func parseDocument(_ bytes: [UInt8], _ problems: inout Problems) -> Document? {
        do {
            return try JSONDecoder().decode(Document.self, from: Data(bytes))
        } catch let DecodingError.keyNotFound(key, context) {
            problems.add("catalog.json", self.path(context.codingPath), "missing field '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, context) {
            problems.add("catalog.json", self.path(context.codingPath), context.debugDescription)
        } catch let DecodingError.valueNotFound(_, context) {
            problems.add("catalog.json", self.path(context.codingPath), "null where a value is required")
        } catch {
            problems.add("catalog.json", "-", "not valid JSON: \(error)")
        }
        return nil
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }

    static func target(_ entry: Document.Target?, _ label: String, _ problems: inout Problems) -> SLATarget? {
        switch (entry?.working_days, entry?.hours) {
        case (let days?, nil) where days > 0: return .workingDays(days)
        case (nil, let hours?) where hours > 0: return .hours(hours)
        default:
            problems.add("catalog.json", label, "needs exactly one of working_days or hours, a positive integer")
            return nil
        }
    }

    static func assemble(
        _ doc: Document, regions: [RegionCode: Region], holidays: [Holiday], boundaries: BoundaryIndex,
        _ problems: inout Problems
    ) -> Catalog? {
        let file = "catalog.json"
        let province = RegionCode(doc.province)
        if regions[province] == nil { problems.add(file, "province", "region \(doc.province) is not in regions.csv") }
        let timeZone = TimeZone(identifier: doc.time_zone)
        if timeZone == nil { problems.add(file, "time_zone", "unknown time zone '\(doc.time_zone)'") }
        let closeParts = doc.working_day_close.split(separator: ":").compactMap { Int($0) }
        let closeMinute = closeParts.count == 2 && (0..<24).contains(closeParts[0]) && (0..<60).contains(closeParts[1])
            ? closeParts[0] * 60 + closeParts[1] : nil
        if closeMinute == nil { problems.add(file, "working_day_close", "expected HH:MM, found '\(doc.working_day_close)'") }

        var opds: [String: OPD] = [:]
        for entry in doc.opds {
            let label = "opd \(entry.code)"
            if opds[entry.code] != nil { problems.add(file, label, "duplicate OPD code") }
            if regions[RegionCode(entry.region)] == nil { problems.add(file, label, "unknown region \(entry.region)") }
            opds[entry.code] = OPD(code: entry.code, name: entry.name, region: RegionCode(entry.region), parent: entry.parent)
        }
        for opd in opds.values {
            guard let parent = opd.parent else { continue }
            if opds[parent] == nil { problems.add(file, "opd \(opd.code)", "unknown parent OPD \(parent)") }
            // Escalation walks parents; a cycle would never reach the top.
            var seen: Set<String> = [opd.code]
            var next = opds[parent]?.parent
            while let code = next {
                if !seen.insert(code).inserted {
                    problems.add(file, "opd \(opd.code)", "parent chain forms a cycle")
                    break
                }
                next = opds[code]?.parent
            }
        }

        var categories: [Category] = []
        var categoryCodes: Set<String> = []
        for entry in doc.categories {
            let label = "category \(entry.code)"
            if !categoryCodes.insert(entry.code).inserted { problems.add(file, label, "duplicate category code") }
            if entry.code == "*" { problems.add(file, label, "'*' is reserved for the catch-all rule") }
            let visibility = Visibility(rawValue: entry.default_visibility)
            if visibility == nil { problems.add(file, label, "default_visibility must be public or private") }
            guard let sla = entry.sla else {
                problems.add(file, label, "has no SLA")
                continue
            }
            let response = self.target(sla.response, "\(label).sla.response", &problems)
            let resolution = self.target(sla.resolution, "\(label).sla.resolution", &problems)
            let attributes = self.attributes(entry.attributes ?? [], label, &problems)
            if let response, let resolution, let visibility {
                categories.append(
                    Category(
                        code: entry.code, nameID: entry.name_id, nameEN: entry.name_en, defaultVisibility: visibility,
                        photoRequired: entry.photo_required ?? false, sla: SLAPolicy(response: response, resolution: resolution),
                        publicPlace: entry.public_place ?? false, attributes: attributes))
            }
        }

        var rules: [RoutingRule] = []
        var ruleKeys: [String: Int] = [:]
        for (index, entry) in doc.rules.enumerated() {
            let rule = RoutingRule(
                category: entry.category == "*" ? nil : entry.category, region: RegionCode(entry.region), opd: entry.opd,
                priority: entry.priority ?? 0)
            let label = "rules[\(index)] (\(rule.id))"
            if let category = rule.category, !categoryCodes.contains(category) {
                problems.add(file, label, "unknown category \(category)")
            }
            if regions[rule.region] == nil { problems.add(file, label, "unknown region \(rule.region)") }
            if !province.contains(rule.region) { problems.add(file, label, "region \(rule.region) is outside the province") }
            if opds[rule.opd] == nil { problems.add(file, label, "unknown OPD \(rule.opd)") }
            // Two rules for the same category and region with the same priority: neither would win.
            if let earlier = ruleKeys[rule.id] {
                problems.add(file, label, "same category, region and priority as rules[\(earlier)]; neither would win")
            }
            ruleKeys[rule.id] = index
            rules.append(rule)
        }
        if !rules.contains(where: { $0.category == nil && $0.region == province }) {
            problems.add(file, "rules", "no catch-all rule (category \"*\") for the province \(province)")
        }

        guard let timeZone, let closeMinute else { return nil }
        // The catalog sets the days off in force from `holidays`.
        let calendar = WorkingCalendar(timeZone: timeZone, closeMinute: closeMinute, daysOff: [])
        return Catalog(
            name: doc.name, province: province, calendar: calendar, regions: regions, opds: opds, categories: categories,
            rules: rules, holidays: holidays, bundledHolidays: holidays, calendarVersion: 0, boundaries: boundaries)
    }
}
