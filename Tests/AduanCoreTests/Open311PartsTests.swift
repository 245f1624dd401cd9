import AduanCore
import Foundation
import Testing

/// The domain parts Open311 brought: category questions and their answers, W3C date-times, and placing an address by
/// the region names it contains.
@Suite("Open311 parts: questions, answers, date-times, addresses")
struct Open311PartsTests {
    @Test("the catalog's questions are loaded in order, with their datatypes and values")
    func questions() throws {
        let school = try #require(lampung.category("sekolah_sd_smp"))
        #expect(school.attributes.map(\.code) == ["nama_sekolah", "jenjang"])
        #expect(school.attributes.map(\.required) == [true, true])
        #expect(school.attributes[1].datatype == .multivaluelist)
        #expect(school.attributes[1].values.map(\.key) == ["sd", "smp"])
        #expect(lampung.category("lainnya")?.attributes.isEmpty == true)
        let datatypes = Set(lampung.categories.flatMap(\.attributes).map(\.datatype))
        #expect(datatypes == Set(CategoryAttribute.Datatype.allCases), "the bundled catalog uses every datatype")
    }

    @Test("answers are checked: required, list keys, numbers, date-times, one value unless multi; extras are dropped")
    func answers() throws {
        let school = try #require(lampung.category("sekolah_sd_smp"))
        let missing = school.check(["jenjang": ["  "], "warna": ["merah"]])
        #expect(missing.errors == [
            FieldError(field: "attributes.nama_sekolah", code: .required), FieldError(field: "attributes.jenjang", code: .required),
        ])
        let good = school.check(["nama_sekolah": [" SDN 1 Kedaton "], "jenjang": ["smp", "sd", "smp"], "warna": ["merah"]])
        #expect(good.errors.isEmpty)
        #expect(good.kept.map(\.code) == ["nama_sekolah", "jenjang"])
        #expect(good.kept.map(\.values) == [["SDN 1 Kedaton"], ["smp", "sd"]])
        #expect(school.check(["nama_sekolah": ["SDN 1"], "jenjang": ["sma"]]).errors == [FieldError(field: "attributes.jenjang", code: .invalidValue)])
        #expect(school.check(["nama_sekolah": ["SDN 1", "SDN 2"], "jenjang": ["sd"]]).errors.map(\.code) == [.invalidValue])
        #expect(school.check(["nama_sekolah": [String(repeating: "a", count: 201)], "jenjang": ["sd"]]).errors.map(\.code) == [.tooLong])
        #expect(school.check(["nama_sekolah": ["SD\u{7}N"], "jenjang": ["sd"]]).errors.map(\.code) == [.controlCharacters])
        let flood = try #require(lampung.category("banjir"))
        #expect(flood.check(["ketinggian_air_cm": ["40.5"]]).errors.isEmpty)
        #expect(flood.check(["ketinggian_air_cm": ["selutut"]]).errors.map(\.code) == [.invalidValue])
        #expect(flood.check(["ketinggian_air_cm": ["inf"]]).errors.map(\.code) == [.invalidValue])
        #expect(flood.check([:]).errors.isEmpty)
        let health = try #require(lampung.category("layanan_kesehatan"))
        #expect(health.check(["waktu_kejadian": ["2026-12-01T08:30:00+07:00"]]).errors.isEmpty)
        #expect(health.check(["waktu_kejadian": ["kemarin"]]).errors.map(\.code) == [.invalidValue])
    }

    @Test("intake refuses a submission whose required questions are unanswered, with the other problems")
    func intake() throws {
        var input = SubmissionInput(category: "sekolah_sd_smp", description: "Atap kelas bocor.", region: "18.71.01")
        guard case .failure(let failure) = Intake(catalog: lampung).file(input, now: Date()) else {
            Issue.record("filed without the required answers")
            return
        }
        #expect(Set(failure.errors.map(\.field)) == ["attributes.nama_sekolah", "attributes.jenjang"])
        input.attributes = ["nama_sekolah": ["SDN 2 Kedaton"], "jenjang": ["sd"]]
        let filing = try Intake(catalog: lampung).file(input, now: Date()).get()
        #expect(filing.complaint.attributes == [CategoryAnswer(code: "nama_sekolah", values: ["SDN 2 Kedaton"]), CategoryAnswer(code: "jenjang", values: ["sd"])])
        // The answers are part of what an Idempotency-Key's request is.
        var other = input
        other.attributes["jenjang"] = ["smp"]
        #expect(input.fingerprint() != other.fingerprint())
    }

    @Test("W3C date-times: offsets, Z, fractions and dates alone; local times and nonsense are refused", arguments: [
        ("2026-12-01T08:30:00+07:00", "2026-12-01T01:30:00Z"), ("2026-12-01T01:30:00Z", "2026-12-01T01:30:00Z"),
        ("2026-12-01T01:30:00.250Z", "2026-12-01T01:30:00Z"), ("2026-12-01T08:30+0700", "2026-12-01T01:30:00Z"),
        ("2026-12-01", "2026-12-01T00:00:00Z"), ("2026-11-30T20:00:00-05:00", "2026-12-01T01:00:00Z"),
    ])
    func w3c(_ text: String, _ utc: String) throws {
        let parsed = try #require(W3CDateTime.parse(text))
        #expect(abs(parsed.timeIntervalSince(ISO8601DateFormatter().date(from: utc)!)) < 1)
    }

    @Test("not W3C date-times", arguments: ["2026-12-01T08:30:00", "2026-02-30", "2026-13-01", "yesterday", "2026-12-01T25:00:00Z", "2026-12-01T08:30:00+07:00x", ""])
    func notW3C(_ text: String) {
        #expect(W3CDateTime.parse(text) == nil)
    }

    @Test("an address is placed in the kecamatan it names, narrowed by its kota, and in a desa of it when one is named")
    func addresses() {
        #expect(lampung.region(namedIn: "Jl. Sultan Agung, Kedaton, Kota Bandar Lampung") == RegionCode("18.71.01"))
        #expect(lampung.region(namedIn: "kec. KEDATON") == RegionCode("18.71.01"))
        let natar = lampung.region(namedIn: "Desa Hajimena, Kecamatan Natar, Lampung Selatan")
        #expect(natar == RegionCode("18.01.04.2001"))
        #expect(lampung.region(namedIn: "Jl. Tidak Ada No. 1") == nil)
        #expect(lampung.region(namedIn: "Kota Bandar Lampung") == nil, "a kota alone is too coarse to route")
        // Two kecamatan are called Labuhan Ratu: the kota tells them apart, and without it there is no guess.
        #expect(lampung.region(namedIn: "Labuhan Ratu") == nil)
        #expect(lampung.region(namedIn: "Labuhan Ratu, Bandar Lampung") == RegionCode("18.71.14"))
    }
}
