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

    @Test("the rakor data: every category at one desk, population and a boundary for every kabupaten/kota")
    func rakor() {
        let desks = lampung.rakor.desks.flatMap(\.categories)
        #expect(desks.sorted() == lampung.categories.map(\.code).sorted())
        #expect(lampung.rakor.desk(of: "drainase")?.code == "pu" && lampung.rakor.desk(of: "sekolah_sma_smk")?.code == "pendidikan")
        #expect(lampung.rakor.population.count == 15 && lampung.rakor.population.values.reduce(0, +) == 9_144_263)
        #expect(lampung.rakor.areas.count == 15 && lampung.rakor.areas.all.allSatisfy { $0.label != nil })
        #expect(lampung.sharedAuthority(of: "sekolah_sd_smp")?.categories == ["sekolah_sd_smp", "sekolah_sma_smk"])
        #expect(lampung.rakor.themes(of: "bansos").map(\.code) == ["kemiskinan"])
        #expect(lampung.kabupatenKota(of: RegionCode("18.71.01.1003")) == RegionCode("18.71"))
        #expect(lampung.provincialOffice(for: "jalan_rusak")?.code == "BMBK-18")
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
        Broken(name: "a category at no rakor desk", file: "catalog.json", entry: "rakor.desks") { files in
            files = try catalogFiles { json in editRakor(&json, "desks") { $0[0]["categories"] = ["drainase", "lampu_jalan"] } }
        },
        Broken(name: "a category at two rakor desks", file: "catalog.json", entry: "rakor.desks kesehatan") { files in
            files = try catalogFiles { json in editRakor(&json, "desks") { $0[2]["categories"] = ["layanan_kesehatan", "jalan_rusak"] } }
        },
        Broken(name: "an RPJMD theme naming an unknown category", file: "catalog.json", entry: "rakor.rpjmd_themes kemiskinan") { files in
            files = try catalogFiles { json in editRakor(&json, "rpjmd_themes") { $0[3]["categories"] = ["bansos", "zakat"] } }
        },
        Broken(name: "a split authority the routing does not show", file: "catalog.json", entry: "rakor.shared_authorities[0]") { files in
            files = try catalogFiles { json in editRakor(&json, "shared_authorities") { $0[0]["categories"] = ["sampah"] } }
        },
        Broken(name: "a kabupaten/kota without population", file: "population.csv", entry: "18.72") { files in
            let lines = String(decoding: files["population.csv"]!, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("18.72,") }
            files["population.csv"] = Array(lines.joined(separator: "\n").utf8)
        },
        Broken(name: "a kabupaten/kota without a boundary", file: "kabkota.geojson", entry: "18.71") { files in
            var json = try #require(try JSONSerialization.jsonObject(with: Data(files["kabkota.geojson"]!)) as? [String: Any])
            json["features"] = (json["features"] as! [[String: Any]]).filter { ($0["properties"] as? [String: Any])?["code"] as? String != "18.71" }
            files["kabkota.geojson"] = Array(try JSONSerialization.data(withJSONObject: json))
        },
    ]

    static func editRakor(_ json: inout [String: Any], _ key: String, _ edit: (inout [[String: Any]]) -> Void) {
        var rakor = json["rakor"] as! [String: Any]
        var entries = rakor[key] as! [[String: Any]]
        edit(&entries)
        rakor[key] = entries
        json["rakor"] = rakor
    }

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
