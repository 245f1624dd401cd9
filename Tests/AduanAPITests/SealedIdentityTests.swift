import AduanAPI
import AduanCore
import AduanServices
import AduanStore
import AduanTestSupport
import AduanWire
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// Anonymous means sealed: the database holds no clear name or phone of an anonymous reporter, only the message to
/// them opens the phone, and the office sees no exact place unless it must find one.
@Suite("Anonymous reporters: sealed at rest, placed roughly, and every staff sight of a reporter audited")
struct SealedIdentityTests {
    static let name = "Siti Rahma"
    static let phoneForms = ["+62 812-7000-1234", "812-7000-1234", "81270001234"]

    /// Whether the database file and its WAL contain `text` anywhere in their bytes.
    static func fileContains(_ store: Store, _ text: String) -> Bool {
        [store.path, store.path + "-wal"].contains { path in
            guard let bytes = FileManager.default.contents(atPath: path) else { return false }
            return bytes.range(of: Data(text.utf8)) != nil
        }
    }

    @Test("the file holds no clear name or phone of an anonymous reporter, and the reporter's message still reaches the phone")
    func sealedAtRest() async throws {
        let gateway = try await WebhookReceiver.start()
        let secret = WebhookSecret.generate()
        gateway.setSecrets([secret])
        let settings = WebhookDeliveryTests.settings { $0.gateway = MessagingGateway(url: gateway.url("messages"), secret: secret) }
        // About the SQLite file's bytes, on any engine under test.
        try await withAPI(store: try temporarySQLiteStore()) { client, store in
            // The dispatcher opens the phone with the server's own key file, as aduan-server does.
            let key = try SealingKey.load(path: ServerConfig().secretKeyPath(besideDatabase: store.path), create: true)
            let dispatcher = Dispatcher(
                store: store, catalog: LiveCatalog(bundledCatalog), key: key, settings: settings, logger: Logger(label: "test"))
            let task = Task { try await dispatcher.run() }
            defer { task.cancel() }
            let named = try await file(client, validComplaint.with(category: "drainase"))
            let anonymous = try await file(client, validComplaint.with(category: "pungli", anonymous: true))
            let messages = try await gateway.wait(for: "both filings' messages") { $0.count >= 2 }
            let anonymousMessage = try #require(messages.first { $0.json["ticket"] as? String == anonymous.ticket })
            #expect(anonymousMessage.json["to"] as? String == validComplaint.reporter?.phone)
            // The named reporter is in the file, as a control that the search would find it ...
            #expect(Self.fileContains(store, Self.name))
            _ = named
            // ... and after the named complaint is gone from view, the anonymous one leaves no trace of its reporter: a
            // second database holding only the anonymous filing is searched.
            task.cancel()
        }
        try await withAPI(store: try temporarySQLiteStore()) { client, store in
            _ = try await file(client, validComplaint.with(category: "pungli", anonymous: true))
            let idempotent = try await client.execute(
                uri: "/v1/complaints", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("Idempotency-Key")!: "c1d2e3f4-0000-4000-8000-000000000001"],
                body: body(validComplaint.with(category: "pungli", anonymous: true)))
            #expect(idempotent.status == .created)
            for text in [Self.name] + Self.phoneForms { #expect(!Self.fileContains(store, text), "\(text)") }
            let notifications = try await client.execute(
                uri: "/v1/complaints/\(try decode(SubmittedComplaint.self, idempotent).ticket)/notifications", method: .put,
                headers: reporterHeaders(try decode(SubmittedComplaint.self, idempotent).tracking_token),
                body: body(ReporterNotifications(enabled: true)))
            #expect(try decode(ReporterNotifications.self, notifications).phone_on_file == true)
            // The database itself refuses a clear identity on an anonymous row.
            let raw = try DatabaseQueue(path: store.path)
            #expect(throws: DatabaseError.self) {
                try raw.write { db in
                    try db.execute(sql: "UPDATE complaint SET reporter_name = 'Siti' WHERE anonymous = 1")
                }
            }
        }
    }

    @Test("anonymous complaints filed before sealing are sealed at the next start, and the old text is gone from the file")
    func sealsEarlierRows() async throws {
        let store = try temporarySQLiteStore()
        try await withAPI(store: store) { client, _ in _ = try await file(client, validComplaint.with(category: "pungli")) }
        // As before schema 9: an anonymous complaint whose reporter is in clear.
        let raw = try DatabaseQueue(path: store.path)
        try await raw.write { db in try db.execute(sql: "UPDATE complaint SET anonymous = 1") }
        #expect(Self.fileContains(store, Self.name))
        let seal = IdentitySeal(SealingKey(bytes: Secrets.randomBytes(32)))
        #expect(try await store.sealAnonymousReporters(with: seal) == 1)
        #expect(try await store.sealAnonymousReporters(with: seal) == 0)
        for text in [Self.name] + Self.phoneForms { #expect(!Self.fileContains(store, text), "\(text)") }
        let complaint = try #require(
            try await store.complaint(
                ticket: Ticket(try await raw.read { db in try String.fetchOne(db, sql: "SELECT ticket FROM complaint")! })))
        #expect(complaint.reporter.name == nil && complaint.reporter.phone == nil)
        #expect(complaint.reporter.sealed?.phone.flatMap { seal.phone($0) } == validComplaint.reporter?.phone)
    }

    @Test("the office sees an anonymous complaint's place rounded, without address, photo places or originals, unless it must find it")
    func placeHidden() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let point = SubmitComplaintRequest.Location(lat: -5.4292, lng: 105.2610)
            func filing(_ category: String, anonymous: Bool) -> SubmitComplaintRequest {
                SubmitComplaintRequest(
                    category: category, description: "Ada pungutan di loket kelurahan tanpa tanda terima.", location: point,
                    address: "Jl. Teuku Umar No. 5", reporter: .init(name: Self.name), visibility: "private", anonymous: anonymous)
            }
            let hidden = try await fileWithPhotos(client, filing("pungli", anonymous: true), photos: ["metro_gps.jpg"])
            let road = try await file(client, filing("drainase", anonymous: true))
            let named = try await file(client, filing("pungli", anonymous: false))
            func view(_ ticket: String) async throws -> StaffComplaintView {
                try decode(
                    StaffComplaintView.self,
                    try await client.execute(uri: "/v1/staff/complaints/\(ticket)", method: .get, headers: bearer(staff.adminToken)))
            }
            let rounded = try await view(hidden.ticket)
            #expect(rounded.location_rounded == true)
            #expect(rounded.address == nil)
            #expect(rounded.location != nil && rounded.location != LocationDTO(lat: point.lat!, lng: point.lng!))
            #expect(rounded.photos.allSatisfy { $0.location == nil && $0.taken_at == nil })
            let original = try await client.execute(
                uri: try #require(rounded.photos.first?.url) + "?size=original", method: .get, headers: bearer(staff.adminToken))
            #expect(original.status == .forbidden)
            // The reporter still gets their own original.
            let own = try await client.execute(
                uri: try #require(rounded.photos.first?.url) + "?size=original", method: .get,
                headers: reporterHeaders(hidden.tracking_token))
            #expect(own.status == .ok)
            // A drain must be found: its place is exact even when anonymous.
            let exact = try await view(road.ticket)
            #expect(exact.location == LocationDTO(lat: point.lat!, lng: point.lng!) && exact.location_rounded == nil)
            #expect(exact.address == "Jl. Teuku Umar No. 5")

            // Sights of who filed are audited: the named complaint's view is recorded, the anonymous ones' are not.
            _ = try await view(named.ticket)
            _ = try await view(named.ticket)
            let namedID = try #require(try await store.complaint(ticket: Ticket(named.ticket))).id
            let hiddenID = try #require(try await store.complaint(ticket: Ticket(hidden.ticket))).id
            #expect(try await store.identityReads(complaintID: namedID).map(\.staffID) == [staff.ids[.admin]!, staff.ids[.admin]!])
            #expect(try await store.identityReads(complaintID: hiddenID).isEmpty)
        }
    }

    @Test("an office's webhook gets an anonymous complaint's place as the staff view does: rounded, without the address")
    func webhookPlaceHidden() async throws {
        let hooks = try await WebhookReceiver.start()
        try await WebhookDeliveryTests.withServer { client, store, _ in
            _ = try await WebhookDeliveryTests.subscribe(store, hooks, opd: nil)
            let point = SubmitComplaintRequest.Location(lat: -5.4292, lng: 105.2610)
            for (category, anonymous) in [("pungli", true), ("drainase", true)] {
                _ = try await file(
                    client,
                    SubmitComplaintRequest(
                        category: category, description: "Laporan warga dengan lokasi yang tepat.", location: point,
                        address: "Jl. Teuku Umar No. 5", visibility: "private", anonymous: anonymous))
            }
            let filed = try await hooks.wait(for: "both filings") { $0.filter { $0.type == "complaint.filed" }.count >= 2 }
                .filter { $0.type == "complaint.filed" }
            func place(_ category: String) throws -> ([String: Any]?, Any?) {
                let event = try #require(filed.first { (($0.json["category"] as? [String: Any])?["code"] as? String) == category })
                let details = event.json["complaint"] as? [String: Any]
                return (details?["location"] as? [String: Any], details?["address"])
            }
            let (rounded, hiddenAddress) = try place("pungli")
            #expect(rounded != nil && (rounded?["lat"] as? Double) != point.lat)
            #expect(hiddenAddress == nil || hiddenAddress is NSNull)
            let (exact, _) = try place("drainase")
            #expect((exact?["lat"] as? Double) == point.lat && (exact?["lng"] as? Double) == point.lng)
        }
    }
}
