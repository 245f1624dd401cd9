import AduanCore
import AduanStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

extension EndToEnd {
@Suite("The real aduan-admin apikeys with a real server: an app files through Open311")
struct APIKeysCLITests {
    @Test("a key made by apikeys add files over HTTP; list counts it; revoke stops it; every step is logged")
    func keyLifecycle() async throws {
        let db = try temporaryDirectory().appendingPathComponent("aduan.sqlite").path
        let admin = binary("aduan-admin")
        #expect(try run(admin, ["db", "migrate", "--db", db]).status == 0)
        let empty = try run(admin, ["apikeys", "list", "--db", db])
        #expect(empty.stdout.contains("no API keys yet"))
        let added = try run(admin, ["apikeys", "add", "--db", db, "--name", "Aplikasi Kota", "--json"])
        #expect(added.status == 0, "\(added.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])
        let key = try #require(json["api_key"] as? String)
        let id = try #require(json["id"] as? Int)
        #expect(key.hasPrefix("o311_"))
        // Only the key's hash is in the file.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: db))
        #expect(bytes.range(of: Data(key.utf8)) == nil)

        let server = try ServerProcess(arguments: ["--db", db])
        defer { _ = server.terminate() }
        let form = "api_key=\(key)&service_code=sampah&description=Sampah+menumpuk+di+depan+pasar.&address_id=18.71.01"
        let status = { () async throws -> HTTPResponse.Status in
            try await TestClient.withClient(host: "127.0.0.1", port: server.port) { client in
                try await client.post(
                    "/open311/v2/requests.xml", headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: form)
                ).status
            }
        }
        #expect(try await status() == .created)
        let listed = try run(admin, ["apikeys", "list", "--db", db, "--json"])
        let keys = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(keys.first?["name"] as? String == "Aplikasi Kota")
        #expect(keys.first?["requests"] as? Int == 1)

        let revoked = try run(admin, ["apikeys", "revoke", String(id), "--db", db])
        #expect(revoked.status == 0)
        #expect(revoked.stdout.contains("revoked API key #\(id)"))
        #expect(try await status() == .forbidden)
        #expect(try run(admin, ["apikeys", "list", "--db", db]).stdout.contains("revoked"))
        let log = try run(admin, ["apikeys", "log", String(id), "--db", db])
        #expect(log.stdout.contains("added") && log.stdout.contains("revoked"))

        let unknown = try run(admin, ["apikeys", "revoke", "99", "--db", db])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.split(separator: "\n").count == 1, "\(unknown.stderr)")
        #expect(unknown.stderr.contains("no API key #99"))
        let nameless = try run(admin, ["apikeys", "add", "--db", db, "--name", "  "])
        #expect(nameless.status != 0)
    }
}
}
