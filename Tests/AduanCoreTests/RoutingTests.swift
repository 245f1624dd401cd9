import AduanCore
import Testing

@Suite("Routing: the real divisions of authority in the Lampung catalog")
struct RoutingTests {
    static let cases: [(category: String, region: String, opd: String)] = [
        ("sekolah_sd_smp", "18.71.01", "DISDIK-1871"),  // SD/SMP: the kota
        ("sekolah_sma_smk", "18.71.01", "DISDIKBUD-18"),  // SMA/SMK: the province
        ("samsat", "18.04.01", "BAPENDA-18"),  // vehicle tax: provincial Bapenda wherever filed
        ("samsat", "18.72.01", "BAPENDA-18"),
        ("pungli", "18.01.04", "INSPEKTORAT-18"),
        ("banjir", "18.72.01", "BPBD-1872"),  // floods: the kabupaten/kota BPBD
        ("bencana_alam", "18.01.04", "BPBD-1801"),
        ("jalan_rusak", "18.01.04", "PUPR-1801"),  // the most specific rule beats the provincial fallback
        ("sampah", "18.71.01.1001", "DLH-1871"),  // a kelurahan routes like its kecamatan's kota
        ("lainnya", "18.71.01", "DISKOMINFOTIK-18"),  // unmatched: the provincial triage desk
    ]

    @Test("category and region choose the OPD", arguments: cases)
    func routes(_ c: (category: String, region: String, opd: String)) throws {
        let decision = try #require(ComplaintRouter(catalog: lampung).route(category: c.category, region: RegionCode(c.region)))
        #expect(decision.winner.opd == c.opd)
    }

    @Test("the decision lists every matching rule, the winner first and the catch-all last")
    func candidates() throws {
        let decision = try #require(ComplaintRouter(catalog: lampung).route(category: "jalan_rusak", region: RegionCode("18.71.01")))
        #expect(decision.candidates.map(\.id) == ["jalan_rusak@18.71#0", "jalan_rusak@18#0", "*@18#0"])
    }

    @Test("every category is routable in every kecamatan")
    func everyCategoryEverywhere() {
        let router = ComplaintRouter(catalog: lampung)
        let kecamatan = lampung.regions.values.filter { $0.level == .kecamatan }
        #expect(kecamatan.count == 229)
        #expect(lampung.categories.count >= 14)
        for category in lampung.categories {
            for region in kecamatan {
                #expect(router.route(category: category.code, region: region.code) != nil)
            }
        }
    }

    @Test("points resolve to the kecamatan whose boundary contains them", arguments: [
        (-5.4292, 105.2610, "18.71"),  // Bandar Lampung
        (-5.1131, 105.3067, "18.72"),  // Metro
        (-5.0333, 104.0667, "18.04"),  // Liwa, Lampung Barat
    ])
    func pointInPolygon(_ lat: Double, _ lng: Double, _ kabkota: String) throws {
        let region = try #require(lampung.boundaries.region(containing: GeoPoint(lat: lat, lng: lng)))
        #expect(region.depth == 3)
        #expect(RegionCode(kabkota).contains(region))
    }

    @Test("points outside the province resolve to nothing", arguments: [
        (-6.2000, 106.8166),  // Jakarta
        (-3.3194, 114.5908),  // Banjarmasin
        (-6.5, 105.0),  // Sunda Strait, at sea
        (0.0, 0.0),
    ])
    func outside(_ lat: Double, _ lng: Double) {
        let boundaries = lampung.boundaries
        let (containing, near) = (boundaries.region(containing: GeoPoint(lat: lat, lng: lng)), boundaries.region(at: GeoPoint(lat: lat, lng: lng)))
        #expect(containing == nil)
        #expect(near == nil)
    }

    /// Found by an outside check with FixMyStreet's client: the official polygons leave slivers between neighbours.
    @Test("a point in a sliver between two kecamatan is placed in the nearer one, not outside the province", arguments: [
        (-5.3835, 105.258, ["18.71.01", "18.71.14"]), (-5.383, 105.222, ["18.71.13", "18.71.16"]), (-5.38, 105.24, ["18.71.14", "18.71.16"]),
    ])
    func sliver(_ lat: Double, _ lng: Double, _ neighbours: [String]) throws {
        let point = GeoPoint(lat: lat, lng: lng)
        let boundaries = lampung.boundaries
        let (containing, near) = (boundaries.region(containing: point), boundaries.region(at: point))
        #expect(containing == nil, "no longer a sliver: pick another point")
        let region = try #require(near)
        #expect(neighbours.contains(region.rawValue), "\(region)")
        #expect(Intake(catalog: lampung).region(at: point) == region)
    }

    @Test("a point a few kilometres out at sea stays outside")
    func farAtSea() {
        let found = lampung.boundaries.region(at: GeoPoint(lat: -5.50, lng: 105.30))
        #expect(found == nil)
    }
}
