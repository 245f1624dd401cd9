import AduanAPI
import AduanBundledCatalog
import AduanCore
import AduanStore
import AduanTestSupport
import AduanWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

let bundledCatalog = try! CatalogLoader.bundled()

/// A fresh SQLite file of its own, whichever engine the tests run on: for what is about the file itself.
func temporarySQLiteStore() throws -> Store {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("aduan-api-\(UUID().uuidString)/aduan.sqlite").path
    return try Store.open(path: path, durability: .normal)
}

/// Runs `body` with a store of its own on the engine under test (`TestStores`), gone afterwards.
func withTestStore<T: Sendable>(_ body: @Sendable (Store) async throws -> T) async throws -> T {
    try await TestStores.with(body)
}

/// Runs `body` against the real router over a fresh database (`withTestStore`), with `now` as the router's clock.
func withAPI(
    maxBodyBytes: Int = 1 << 20,
    now: @escaping @Sendable () -> Date = Date.init,
    store: Store? = nil,
    configure: (inout ServerConfig) -> Void = { _ in },
    _ body: @Sendable (any TestClientProtocol, Store) async throws -> Void
) async throws {
    var config = ServerConfig()
    config.maxBodyBytes = maxBodyBytes
    configure(&config)
    let settings = config
    @Sendable func run(_ store: Store) async throws {
        let router = try buildRouter(config: settings, store: store, catalog: LiveCatalog(bundledCatalog), now: now)
        let app = Application(responder: router.contractChecked())
        try await app.test(.router) { client in try await body(client, store) }
    }
    if let store { return try await run(store) }
    try await withTestStore(run)
}

/// A clock the test moves by hand.
final class TestClock: Sendable {
    let current: Mutex<Date>
    init(_ start: Date) { self.current = Mutex(start) }
    func now() -> Date { self.current.withLock { $0 } }
    func advance(days: Double) { self.current.withLock { $0 = $0.addingTimeInterval(days * 86_400) } }
    func set(_ instant: Date) { self.current.withLock { $0 = instant } }
}

/// A clock that starts at `start` and runs on with the real one: a fixed place in the calendar for the test, while
/// instants still follow one another (a report generated "now" counts the complaints filed just before).
func clock(startingAt start: Date) -> @Sendable () -> Date {
    let origin = Date()
    return { start.addingTimeInterval(Date().timeIntervalSince(origin)) }
}

/// An instant written in ISO 8601 with its offset (`2026-11-18T10:00:00+07:00`).
func instant(_ iso: String) -> Date {
    guard let date = ISO8601DateFormatter().date(from: iso) else { fatalError("not ISO 8601: \(iso)") }
    return date
}

// MARK: - Bodies

/// A request body: the wire value as JSON (keys sorted, so that equal values are equal bytes).
func body(_ value: some Encodable) -> ByteBuffer {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return ByteBuffer(bytes: try! encoder.encode(value))
}

/// A response body that is not the wire type the test expected, with the body to show why.
struct UndecodableBody: Error, CustomStringConvertible {
    let type: String
    let status: Int
    let body: String
    let error: any Error
    var description: String { "\(self.status) body is not a \(self.type): \(self.error)\n\(self.body)" }
}

/// Decodes a response body as the wire type `type`.
func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
    do {
        return try JSONDecoder().decode(type, from: Data(response.body.readableBytesView))
    } catch {
        throw UndecodableBody(type: "\(type)", status: Int(response.status.code), body: String(buffer: response.body), error: error)
    }
}

/// Decodes a problem document (`application/problem+json`).
func problem(_ response: TestResponse) throws -> ProblemDocument {
    try decode(ProblemDocument.self, response)
}

/// A complaint as the mobile app files it: `sampah` in Kedaton, with the reporter's name, phone and address.
let validComplaint = SubmitComplaintRequest(
    category: "sampah", description: "Sampah menumpuk di depan Pasar Tugu sejak tiga hari.", region: "18.71.01",
    address: "Jl. Teuku Umar No. 5", reporter: .init(name: "Siti Rahma", phone: "+62 812-7000-1234"), visibility: "public")

extension SubmitComplaintRequest {
    /// The same submission with the fields given replaced.
    func with(
        category: String? = nil, description: String? = nil, region: String? = nil, visibility: String? = nil,
        anonymous: Bool? = nil
    ) -> SubmitComplaintRequest {
        SubmitComplaintRequest(
            category: category ?? self.category, description: description ?? self.description, region: region ?? self.region,
            location: self.location, address: self.address, reporter: self.reporter, visibility: visibility ?? self.visibility,
            anonymous: anonymous ?? self.anonymous)
    }
}

let jsonHeaders: HTTPFields = [.contentType: "application/json"]

/// Files `input` and expects a 201.
func file(_ client: any TestClientProtocol, _ input: SubmitComplaintRequest = validComplaint) async throws -> SubmittedComplaint {
    let response = try await client.execute(uri: "/v1/complaints", method: .post, headers: jsonHeaders, body: body(input))
    #expect(response.status == .created, "\(String(buffer: response.body))")
    return try decode(SubmittedComplaint.self, response)
}

/// The headers of a reporter's request: the tracking token as a bearer token.
func reporterHeaders(_ token: String) -> HTTPFields {
    [.authorization: "Bearer \(token)", .contentType: "application/json"]
}
