import AduanBundledCatalog
import AduanCore
import Foundation
import Testing

@Suite("Catalog loading and validation")
struct CatalogTests {
    @Test("the bundled Lampung catalog has the official tree and every boundary")
    func bundled() {
        #expect(lampung.regions[RegionCode("18")]?.name == "Lampung")
        #expect(lampung.children(of: RegionCode("18")).count == 15)
        #expect(lampung.regions.values.filter { $0.level == .kecamatan }.count == 229)
        #expect(lampung.regions.values.filter { $0.level == .desa || $0.level == .kelurahan }.count == 2651)
        #expect(lampung.boundaries.count == 229)
        #expect(lampung.categories.count >= 14)
        #expect(lampung.category("pungli")?.defaultVisibility == .private)
    }

    /// The bundled files with catalog.json edited by `edit`.
    static func catalogFiles(_ edit: (inout [String: Any]) -> Void) throws -> [String: [UInt8]] {
        var files = BundledCatalog.files
        var json = try #require(try JSONSerialization.jsonObject(with: Data(files["catalog.json"]!)) as? [String: Any])
        edit(&json)
        files["catalog.json"] = Array(try JSONSerialization.data(withJSONObject: json))
        return files
    }

    static func rules(_ json: [String: Any]) -> [[String: Any]] { json["rules"] as! [[String: Any]] }

    struct Broken: CustomTestStringConvertible, Sendable {
        let name: String
        let file: String
        let entry: String
        let edit: @Sendable (inout [String: [UInt8]]) throws -> Void
        var testDescription: String { self.name }
    }

    static let broken: [Broken] = [
        Broken(name: "a rule names an unknown region", file: "catalog.json", entry: "rules[0]") { files in
            files = try catalogFiles { json in
                var rules = rules(json)
                rules[0]["region"] = "18.99"
                json["rules"] = rules
            }
        },
        Broken(name: "a rule names an unknown OPD", file: "catalog.json", entry: "rules[1]") { files in
            files = try catalogFiles { json in
                var rules = rules(json)
                rules[1]["opd"] = "NOPE-18"
                json["rules"] = rules
            }
        },
        Broken(name: "a category without SLA", file: "catalog.json", entry: "category sampah") { files in
            files = try catalogFiles { json in
                var categories = json["categories"] as! [[String: Any]]
                let index = categories.firstIndex { $0["code"] as? String == "sampah" }!
                categories[index]["sla"] = nil
                json["categories"] = categories
            }
        },
        Broken(name: "two rules of equal specificity and priority", file: "catalog.json", entry: "rules[200]") { files in
            files = try catalogFiles { json in
                var rules = rules(json)
                var copy = rules[0]
                copy["opd"] = "DISKOMINFOTIK-18"
                rules.append(copy)
                json["rules"] = rules
            }
        },
        Broken(name: "a malformed holiday date", file: "holidays.csv", entry: "line 3") { files in
            var lines = String(decoding: files["holidays.csv"]!, as: UTF8.self)
                .split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
            lines[2] = "2024-02-30,public,Tanggal mustahil,Impossible date"
            files["holidays.csv"] = Array(lines.joined(separator: "\n").utf8)
        },
        Broken(name: "a holiday whose status is neither official nor provisional", file: "holidays.csv", entry: "line 4") { files in
            var lines = String(decoding: files["holidays.csv"]!, as: UTF8.self)
                .split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
            lines[3] = "2024-02-10,public,Tahun Baru Imlek,Lunar New Year,perkiraan"
            files["holidays.csv"] = Array(lines.joined(separator: "\n").utf8)
        },
        Broken(name: "no catch-all", file: "catalog.json", entry: "rules") { files in
            files = try catalogFiles { json in json["rules"] = rules(json).filter { $0["category"] as? String != "*" } }
        },
        Broken(name: "an unknown time zone", file: "catalog.json", entry: "time_zone") { files in
            files = try catalogFiles { json in json["time_zone"] = "Asia/Lampung" }
        },
        Broken(name: "an attribute of an unknown datatype", file: "catalog.json", entry: "category banjir.attributes[0]") { files in
            files = try catalogFiles { json in editAttribute(&json, "banjir") { $0["datatype"] = "float" } }
        },
        Broken(name: "a list attribute without values", file: "catalog.json", entry: "category drainase.attributes[0]") { files in
            files = try catalogFiles { json in editAttribute(&json, "drainase") { $0["values"] = [] } }
        },
        Broken(name: "values on a number attribute", file: "catalog.json", entry: "category banjir.attributes[0]") { files in
            files = try catalogFiles { json in editAttribute(&json, "banjir") { $0["values"] = [["key": "a", "name_id": "A", "name_en": "A"]] } }
        },
        Broken(name: "an attribute code that cannot go in attribute[code]", file: "catalog.json", entry: "category banjir.attributes[0]") { files in
            files = try catalogFiles { json in editAttribute(&json, "banjir") { $0["code"] = "Tinggi Air" } }
        },
    ]

    static func editAttribute(_ json: inout [String: Any], _ category: String, _ edit: (inout [String: Any]) -> Void) {
        var categories = json["categories"] as! [[String: Any]]
        let index = categories.firstIndex { $0["code"] as? String == category }!
        var attributes = categories[index]["attributes"] as! [[String: Any]]
        edit(&attributes[0])
        categories[index]["attributes"] = attributes
        json["categories"] = categories
    }

    @Test("a broken catalog is refused, naming the file and the entry", arguments: broken)
    func refused(_ c: Broken) throws {
        var files = BundledCatalog.files
        try c.edit(&files)
        do {
            _ = try CatalogLoader.load(files: files, origin: "test")
            Issue.record("\(c.name) was accepted")
        } catch let failure as CatalogValidationFailed {
            #expect(failure.errors.contains { $0.file == "test/\(c.file)" && $0.entry.hasPrefix(c.entry) }, "\(failure)")
        }
    }
}
