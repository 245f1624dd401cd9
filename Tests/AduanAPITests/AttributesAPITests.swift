import AduanAPI
import AduanCore
import AduanStore
import AduanWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The category's questions through /v1: listed with the categories, answered in a submission, shown to staff.
@Suite("HTTP API: category questions")
struct AttributesAPITests {
    @Test("GET /v1/categories lists each category's questions in the client's language")
    func listed() async throws {
        try await withAPI { client, _ in
            let list = try decode(
                CategoryList.self, try await client.execute(uri: "/v1/categories", method: .get, headers: [.acceptLanguage: "en"]))
            let school = try #require(list.categories.first { $0.code == "sekolah_sma_smk" })
            #expect(school.attributes.map(\.code) == ["nama_sekolah", "jenjang"])
            #expect(school.attributes[1].values?.map(\.name) == ["Senior secondary (SMA)", "Vocational (SMK)", "Special needs (SLB)"])
            #expect(school.attributes[0].values == nil)
            #expect(list.categories.first { $0.code == "lainnya" }?.attributes == [])
        }
    }

    @Test("a JSON submission answers them (text, number, list); required ones are enforced with the other problems")
    func answered() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let school = validComplaint.with(category: "sekolah_sd_smp")
            let refused = try await client.execute(uri: "/v1/complaints", method: .post, headers: jsonHeaders, body: body(school))
            #expect(refused.status == .unprocessableContent)
            #expect(Set(try problem(refused).errors?.map(\.field) ?? []) == ["attributes.nama_sekolah", "attributes.jenjang"])
            var answered = school
            answered.attributes = ["nama_sekolah": .one("SD Negeri 2 Kedaton"), "jenjang": .many(["smp", "sd"])]
            let filed = try await file(client, answered)
            let view = try await staffView(client, filed.ticket, token: staff.adminToken)
            #expect(view.attributes.map(\.question) == ["Nama sekolah", "Jenjang yang dikeluhkan"])
            #expect(view.attributes[1].values.map(\.key) == ["smp", "sd"])
            #expect(view.filed_via == nil)
            // A JSON number answers a number question.
            let flood = try JSONSerialization.data(withJSONObject: [
                "category": "banjir", "description": "Banjir setinggi lutut di gang.", "region": "18.71.01",
                "attributes": ["ketinggian_air_cm": 45],
            ])
            let response = try await client.execute(uri: "/v1/complaints", method: .post, headers: jsonHeaders, body: ByteBuffer(data: flood))
            #expect(response.status == .created, "\(String(buffer: response.body))")
            let ticket = try decode(SubmittedComplaint.self, response).ticket
            #expect(try await staffView(client, ticket, token: staff.adminToken).attributes.first?.values.map(\.key) == ["45"])
            // An answer of the wrong JSON type is named.
            let wrong = try JSONSerialization.data(withJSONObject: [
                "category": "banjir", "description": "Banjir setinggi lutut di gang.", "region": "18.71.01", "attributes": ["ketinggian_air_cm": ["a": 1]],
            ])
            let bad = try await client.execute(uri: "/v1/complaints", method: .post, headers: jsonHeaders, body: ByteBuffer(data: wrong))
            #expect(bad.status == .badRequest)
            #expect(try problem(bad).errors?.first?.field == "attributes.ketinggian_air_cm")
        }
    }
}
