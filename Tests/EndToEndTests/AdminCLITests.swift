import Foundation
import Testing

extension EndToEnd {
@Suite("The real aduan-admin binary")
struct AdminCLITests {
    @Test("db migrate creates the file; db check reports it sound")
    func migrate() throws {
        let db = try temporaryDirectory().appendingPathComponent("sub/aduan.sqlite").path
        let first = try run(binary("aduan-admin"), ["db", "migrate", "--db", db])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("applied aduan_0001_init"))
        let again = try run(binary("aduan-admin"), ["db", "migrate", "--db", db])
        #expect(again.stdout.contains("up to date"))
        let check = try run(binary("aduan-admin"), ["db", "check", "--db", db])
        #expect(check.status == 0)
        #expect(check.stdout.contains("ok, 0 complaint(s)"))
        let missing = try temporaryDirectory().appendingPathComponent("none/aduan.sqlite").path
        let absent = try run(binary("aduan-admin"), ["db", "check", "--db", missing])
        #expect(absent.status != 0)
        #expect(absent.stderr.contains("no database at"))
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test("catalog check passes on the shipped catalog and names the entry in a broken one")
    func catalogCheck() throws {
        let ok = try run(binary("aduan-admin"), ["catalog", "check"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("regions: 2896"))

        // A copy of the shipped catalog with one rule pointing at an OPD that does not exist.
        let directory = try temporaryDirectory()
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../config/catalog/lampung")
        for name in ["catalog.json", "regions.csv", "kecamatan.geojson", "holidays.csv", "population.csv", "kabkota.geojson"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
        let catalogFile = directory.appendingPathComponent("catalog.json")
        let text = try String(contentsOf: catalogFile, encoding: .utf8)
        try text.replacingOccurrences(of: "\"opd\": \"DLH-1871\"", with: "\"opd\": \"DLH-9999\"")
            .write(to: catalogFile, atomically: true, encoding: .utf8)
        let broken = try run(binary("aduan-admin"), ["catalog", "check", "--catalog", directory.path])
        #expect(broken.status != 0)
        #expect(broken.stdout.contains("catalog.json: rules["), "\(broken.stdout)")
        #expect(broken.stdout.contains("unknown OPD DLH-9999"), "\(broken.stdout)")
    }

    @Test("route explain shows the region, the candidates and the winner")
    func routeExplain() throws {
        let byRegion = try run(binary("aduan-admin"), ["route", "explain", "--category", "sekolah_sma_smk", "--region", "18.71.01"])
        #expect(byRegion.status == 0, "\(byRegion.stderr)")
        #expect(byRegion.stdout.contains("winner:    DISDIKBUD-18"))
        let byPoint = try run(binary("aduan-admin"), ["route", "explain", "--category", "banjir", "--lat=-5.1131", "--lng=105.3067", "--json"])
        #expect(byPoint.status == 0, "\(byPoint.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(byPoint.stdout.utf8)) as? [String: Any])
        #expect((json["winner"] as? [String: Any])?["opd"] as? String == "BPBD-1872")
        let outside = try run(binary("aduan-admin"), ["route", "explain", "--category", "banjir", "--lat=-6.2", "--lng=106.8"])
        #expect(outside.status != 0)
        #expect(outside.stderr.contains("outside"))
        #expect(outside.stderr.split(separator: "\n").count == 1)
    }
}
}
