import AduanAPI
import AduanBundledCatalog
import AduanCore
import AduanStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

let bundledCatalog = try! CatalogLoader.bundled()

/// Runs `body` against the real router over a fresh database file.
func withAPI(
    maxBodyBytes: Int = 1 << 20,
    _ body: @Sendable (any TestClientProtocol, Store) async throws -> Void
) async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("aduan-api-\(UUID().uuidString)/aduan.sqlite").path
    let store = try Store.open(path: path, durability: .normal)
    var config = ServerConfig()
    config.maxBodyBytes = maxBodyBytes
    let app = Application(responder: buildRouter(config: config, store: store, catalog: LiveCatalog(bundledCatalog)).contractChecked())
    try await app.test(.router) { client in try await body(client, store) }
}

func json(_ object: Any) -> ByteBuffer {
    ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object, options: .sortedKeys))
}

func decode(_ response: TestResponse) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
}

nonisolated(unsafe) let validComplaint: [String: Any] = [
    "category": "sampah",
    "description": "Sampah menumpuk di depan Pasar Tugu sejak tiga hari.",
    "region": "18.71.01",
    "reporter": ["name": "Siti Rahma", "phone": "+62 812-7000-1234"],
    "address": "Jl. Teuku Umar No. 5",
    "visibility": "public",
]

let jsonHeaders: HTTPFields = [.contentType: "application/json"]
