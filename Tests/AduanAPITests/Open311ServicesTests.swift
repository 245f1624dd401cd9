import AduanAPI
import AduanCore
import AduanStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Open311's discovery, service list and service definitions, in both formats, and its error lists.
@Suite("Open311: discovery, services and errors")
struct Open311ServicesTests {
    @Test("discovery names the endpoint and both formats, in XML and JSON")
    func discovery() async throws {
        try await withAPI(configure: { $0.open311.publicURL = "https://aduan.lampungprov.go.id" }) { client, _ in
            let xml = try strictXML(try await client.execute(uri: "/open311/v2/discovery.xml", method: .get))
            #expect(xml.name == "discovery")
            let endpoint = try #require(xml.child("endpoints")?.all("endpoint").first)
            #expect(endpoint["url"] == "https://aduan.lampungprov.go.id/open311/v2")
            #expect(endpoint.child("formats")?.all("format").map(\.text) == ["text/xml", "application/json"])
            #expect(isW3C(xml["changeset"]))
            let json = try #require(try jsonValue(try await client.execute(uri: "/open311/v2/discovery.json", method: .get)) as? [String: Any])
            #expect((json["endpoints"] as? [[String: Any]])?.first?["specification"] as? String == "http://wiki.open311.org/GeoReport_v2")
        }
    }

    @Test("every category is a service; metadata says whether it asks questions")
    func services() async throws {
        try await withAPI { client, _ in
            let xml = try strictXML(try await client.execute(uri: "/open311/v2/services.xml", method: .get))
            #expect(xml.name == "services")
            let services = xml.all("service")
            #expect(services.map { $0["service_code"] } == bundledCatalog.categories.map(\.code))
            #expect(xml.children.allSatisfy { $0.name == "service" })
            let school = try #require(services.first { $0["service_code"] == "sekolah_sd_smp" })
            #expect(school["metadata"] == "true")
            #expect(school["type"] == "realtime")
            #expect(school["service_name"] == "Sekolah (SD/SMP)")
            #expect(services.first { $0["service_code"] == "lainnya" }?["metadata"] == "false")
            // English on request.
            let english = try jsonList(
                try await client.execute(uri: "/open311/v2/services.json", method: .get, headers: [.acceptLanguage: "en"]))
            #expect(english.count == bundledCatalog.categories.count)
            #expect(english.first { $0["service_code"] as? String == "banjir" }?["service_name"] as? String == "Flooding")
            #expect(english.first?["metadata"] as? Bool == true)
        }
    }

    @Test("a service definition carries the category's questions with datatype, required, order and values")
    func definition() async throws {
        try await withAPI { client, _ in
            let xml = try strictXML(try await client.execute(uri: "/open311/v2/services/sekolah_sd_smp.xml", method: .get))
            #expect(xml.name == "service_definition")
            #expect(xml["service_code"] == "sekolah_sd_smp")
            let attributes = try #require(xml.child("attributes")).all("attribute")
            #expect(attributes.map { $0["code"] } == ["nama_sekolah", "jenjang"])
            #expect(attributes.map { $0["order"] } == ["1", "2"])
            #expect(attributes.map { $0["required"] } == ["true", "true"])
            #expect(attributes.map { $0["variable"] } == ["true", "true"])
            #expect(attributes[1]["datatype"] == "multivaluelist")
            let values = try #require(attributes[1].child("values")).all("value")
            #expect(values.map { $0["key"] } == ["sd", "smp"])
            #expect(values.map { $0["name"] } == ["SD", "SMP"])
            // One question is still wrapped in <attributes>, and a list of one value in <values>.
            let drain = try strictXML(try await client.execute(uri: "/open311/v2/services/drainase.xml", method: .get))
            #expect(drain.child("attributes")?.all("attribute").count == 1)
            let json = try #require(
                try jsonValue(try await client.execute(uri: "/open311/v2/services/banjir.json", method: .get)) as? [String: Any])
            let depth = try #require((json["attributes"] as? [[String: Any]])?.first)
            #expect(depth["datatype"] as? String == "number")
            #expect(depth["required"] as? Bool == false)
            #expect(depth["values"] == nil)
        }
    }

    @Test("unknown services, paths and formats are Open311 404 lists; a foreign jurisdiction is 404; ours or none is fine")
    func notFound() async throws {
        try await withAPI { client, _ in
            for uri in ["/open311/v2/services/ufo.xml", "/open311/v2/nothing.xml", "/open311/v2/services.csv", "/open311/v2/requests/2612-99999.xml"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .notFound, "\(uri)")
                let errors = try strictXML(response)
                #expect(errors.name == "errors")
                #expect(errors.all("error").first?["code"] == "404")
                #expect(errors.all("error").first?["description"]?.isEmpty == false)
            }
            let json = try await client.execute(uri: "/open311/v2/services/ufo.json", method: .get)
            #expect(json.status == .notFound)
            #expect(try jsonList(json).first?["code"] as? Int == 404)
            let foreign = try await client.execute(uri: "/open311/v2/services.json?jurisdiction_id=jakarta.go.id", method: .get)
            #expect(foreign.status == .notFound)
            #expect((try jsonList(foreign).first?["description"] as? String)?.contains("jakarta.go.id") == true)
            for query in ["", "?jurisdiction_id=", "?jurisdiction_id=lampungprov.go.id"] {
                #expect(try await client.execute(uri: "/open311/v2/services.json\(query)", method: .get).status == .ok)
            }
        }
    }

    @Test("the configured jurisdiction is the one accepted")
    func configuredJurisdiction() async throws {
        try await withAPI(configure: { $0.open311.jurisdiction = "lampung.example" }) { client, _ async throws in
            #expect(try await client.execute(uri: "/open311/v2/services.json?jurisdiction_id=lampung.example", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/open311/v2/services.json?jurisdiction_id=lampungprov.go.id", method: .get).status == .notFound)
        }
    }

    @Test("a POST without a valid key is 403; a revoked key is refused; nothing is filed")
    func apiKeys() async throws {
        try await withAPI { client, store in
            let (id, key) = try await addAPIKey(store)
            var pairs = schoolRequest(key: key)
            pairs.removeFirst()
            let missing = try await open311Post(client, pairs, format: "xml")
            #expect(missing.status == .forbidden)
            #expect(try strictXML(missing).all("error").first?["code"] == "403")
            #expect(try await open311Post(client, [("api_key", "o311_wrong")] + pairs).status == .forbidden)
            // The key may come in the query instead of the body (the Python open311 client sends it there).
            #expect(try await open311Post(client, pairs, query: "?api_key=\(key)&jurisdiction_id=lampungprov.go.id").status == .created)
            _ = try await store.revokeAPIKey(id: id, now: Date(), operatorName: "test")
            #expect(try await open311Post(client, schoolRequest(key: key)).status == .forbidden)
            #expect(try await store.complaintCount() == 1)
            // A wrong key on a read is refused too, rather than silently reading as the public.
            #expect(try await client.execute(uri: "/open311/v2/requests.json?api_key=nope", method: .get).status == .forbidden)
            #expect(try await client.execute(uri: "/open311/v2/requests.json?api_key=", method: .get).status == .ok)
        }
    }

    @Test("field problems are 400 lists naming the Open311 parameter, all at once, in XML and JSON")
    func validation() async throws {
        try await withAPI { client, store in
            let (_, key) = try await addAPIKey(store)
            let incomplete = try await open311Post(
                client,
                [("api_key", key), ("service_code", "sekolah_sd_smp"), ("description", "pendek"), ("lat", "-5.37"), ("long", "105.24"),
                 ("attribute[jenjang][]", "sma")], format: "xml")
            #expect(incomplete.status == .badRequest)
            let errors = try strictXML(incomplete).all("error")
            let descriptions = errors.compactMap { $0["description"] }
            #expect(errors.allSatisfy { $0["code"] == "400" })
            for parameter in ["description:", "attribute[nama_sekolah]:", "attribute[jenjang]:"] {
                #expect(descriptions.contains { $0.hasPrefix(parameter) }, "\(parameter) in \(descriptions)")
            }
            // In English for the apps' developers, unless the client asks for Indonesian.
            #expect(descriptions.contains("attribute[nama_sekolah]: This field is required."))
            let indonesian = try await client.execute(
                uri: "/open311/v2/requests.json", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .acceptLanguage: "id"],
                body: urlEncoded([("api_key", key), ("service_code", "sekolah_sd_smp"), ("description", "Atap kelas bocor parah."), ("address_id", "18.71.01")]))
            #expect(try jsonList(indonesian).contains { $0["description"] as? String == "attribute[nama_sekolah]: Kolom ini wajib diisi." })
            var long = schoolRequest(key: key)
            long[2] = ("description", String(repeating: "a", count: 4001))
            let tooLong = try await open311Post(client, long)
            #expect(tooLong.status == .badRequest)
            #expect((try jsonList(tooLong).first?["description"] as? String)?.hasPrefix("description:") == true)
            let cases: [[(String, String)]] = [
                [("api_key", key), ("service_code", "ufo"), ("description", "Sesuatu yang aneh di langit."), ("lat", "-5.37"), ("long", "105.24")],
                [("api_key", key), ("service_code", "sampah"), ("description", "Sampah menumpuk di pinggir jalan."), ("lat", "abc"), ("long", "105.24")],
                [("api_key", key), ("service_code", "sampah"), ("description", "Sampah menumpuk di pinggir jalan."), ("address_string", "Jl. Tidak Ada")],
                [("api_key", key), ("service_code", "banjir"), ("description", "Banjir setinggi lutut di gang."), ("lat", "-5.37"), ("long", "105.24"),
                 ("attribute[ketinggian_air_cm]", "selutut")],
                [("api_key", key), ("service_code", "sampah"), ("description", "Sampah menumpuk di pinggir jalan."), ("lat", "1.0"), ("long", "105.24")],
            ]
            for pairs in cases {
                let response = try await open311Post(client, pairs)
                #expect(response.status == .badRequest, "\(pairs[1]) \(String(buffer: response.body))")
                #expect(try jsonList(response).first?["code"] as? Int == 400)
            }
            let unsupported = try await client.execute(
                uri: "/open311/v2/requests.json", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{}"))
            #expect(unsupported.status == .badRequest)
            #expect(try await store.complaintCount() == 0)
        }
    }
}
