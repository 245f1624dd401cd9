import AduanWire
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

extension EndToEnd {
@Suite("The real aduan-admin: after-photos as evidence, and a supervisor's validation")
struct EvidenceCLITests {
    /// Files a road in Metro with the citizen's photo, as the app does: the photo's GPS places it (PUPR-1872).
    static func fileRoad(port: Int) async throws -> SubmittedComplaint {
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            var form = ByteBuffer()
            let boundary = "aduan-cli-test"
            form.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"complaint\"\r\nContent-Type: application/json\r\n\r\n")
            var json = body(SubmitComplaintRequest(category: "jalan_rusak", description: "Jalan berlubang besar di depan pasar Metro."))
            form.writeBuffer(&json)
            form.writeString("\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"lubang.jpg\"\r\n\r\n")
            form.writeBytes(try photoFixture("metro_gps.jpg"))
            form.writeString("\r\n--\(boundary)--\r\n")
            let response = try await client.post("/v1/complaints", headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: form)
            #expect(response.status == .created)
            return try decode(SubmittedComplaint.self, response)
        }
    }

    static func fixturePath(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/photos/\(name)").path
    }

    @Test("an officer resolves with after-photos; flagged ones wait in the supervisor's queue to be validated or rejected")
    func validationLoop() async throws {
        let directory = try temporaryDirectory()
        let db = directory.appendingPathComponent("aduan.sqlite").path
        let admin = binary("aduan-admin")
        let server = try ServerProcess(arguments: ["--db", db])
        defer { _ = server.terminate() }
        let url = "http://127.0.0.1:\(server.port)"
        let officerToken = try StaffCLITests.addStaff(db: db, ["--name", "Andi Petugas PU Metro", "--role", "officer", "--opd", "PUPR-1872"])
        let supervisorToken = try StaffCLITests.addStaff(db: db, ["--name", "Biro Pemerintahan", "--role", "supervisor"])
        let officer = ["ADUAN_SERVER": url, "ADUAN_TOKEN": officerToken, "XDG_CONFIG_HOME": directory.path]
        let supervisor = ["ADUAN_SERVER": url, "ADUAN_TOKEN": supervisorToken, "XDG_CONFIG_HOME": directory.path]
        let road = try await Self.fileRoad(port: server.port)
        let other = try await Self.fileRoad(port: server.port)
        #expect(road.opd.code == "PUPR-1872" && road.location_source == "photo")
        for ticket in [road.ticket, other.ticket] {
            #expect(try run(admin, ["accept", ticket], environment: officer).status == 0)
        }

        // A road is not resolved without an after-photo; a file that is not an image is named in the refusal.
        let bare = try run(admin, ["resolve", road.ticket, "--note", "Sudah ditambal"], environment: officer)
        #expect(bare.status != 0)
        #expect(bare.stderr.contains("refused: photo (required)"), "\(bare.stderr)")
        let notImage = try run(admin, ["resolve", road.ticket, "--note", "Sudah ditambal", "--photo", Self.fixturePath("document.jpg")], environment: officer)
        #expect(notImage.stderr.contains("photo[1] (unsupported format)"), "\(notImage.stderr)")
        let missing = try run(admin, ["resolve", road.ticket, "--note", "Sudah ditambal", "--photo", "/nonexistent/after.jpg"], environment: officer)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("cannot read photo /nonexistent/after.jpg"), "\(missing.stderr)")

        // An after-photo taken a kilometre away (and before the complaint) holds the resolution for validation.
        let far = try run(admin, ["resolve", road.ticket, "--note", "Sudah ditambal", "--photo", Self.fixturePath("after_far.jpg")], environment: officer)
        #expect(far.status == 0, "\(far.stderr)")
        #expect(far.stdout.contains("Selesai, menunggu validasi") && far.stdout.contains("far_from_location"), "\(far.stdout)")
        let old = try run(admin, ["resolve", other.ticket, "--note", "Sudah ditambal", "--photo", Self.fixturePath("after_old.jpg")], environment: officer)
        #expect(old.stdout.contains("taken_before_filing"), "\(old.stdout)")

        // The supervisor's queue of resolutions to validate has both; the office cannot validate its own.
        let queue = try decode(QueuePage.self, try run(admin, ["queue", "--needs-validation", "--json"], environment: supervisor).stdout)
        #expect(Set(queue.items.map(\.ticket)) == [road.ticket, other.ticket])
        let table = try run(admin, ["queue", "--needs-validation"], environment: supervisor)
        #expect(table.stdout.contains("Selesai, menunggu validasi"), "\(table.stdout)")
        let own = try run(admin, ["validate", road.ticket], environment: officer)
        #expect(own.status != 0)
        #expect(own.stderr.contains("not permitted"), "\(own.stderr)")

        // Rejected: back in progress; the office resolves again with a photo that raises no flag needing validation.
        let rejected = try run(admin, ["reject-resolution", road.ticket, "--reason", "Foto diambil jauh dari lokasi"], environment: supervisor)
        #expect(rejected.status == 0, "\(rejected.stderr)")
        #expect(rejected.stdout.contains("Diproses"), "\(rejected.stdout)")
        let again = try run(admin, ["resolve", road.ticket, "--note", "Ditambal ulang", "--photo", Self.fixturePath("after_bare.jpg")], environment: officer)
        #expect(again.stdout.contains("awaiting the reporter's confirmation"), "\(again.stdout)")
        // Validated: it stands.
        let validated = try run(admin, ["validate", other.ticket, "--note", "Dicek ke lokasi"], environment: supervisor)
        #expect(validated.stdout.contains("Selesai, menunggu konfirmasi"), "\(validated.stdout)")
        #expect(try decode(QueuePage.self, try run(admin, ["queue", "--needs-validation", "--json"], environment: supervisor).stdout).items.isEmpty)

        // Every step is in the audit log, with who took it.
        let audit = try decode(AuditLog.self, try run(admin, ["audit", "--ticket", road.ticket, "--json"], environment: supervisor).stdout)
        let reviews = audit.entries.filter { $0.kind == "evidence" }.map { "\($0.details["review"] ?? "?") by \($0.actor.name ?? "?")" }
        #expect(reviews == ["pending by Andi Petugas PU Metro", "rejected by Biro Pemerintahan", "clean by Andi Petugas PU Metro"])
        let view = try decode(StaffComplaintView.self, try run(admin, ["show", road.ticket, "--json"], environment: supervisor).stdout)
        #expect(view.evidence.count == 1, "the latest resolution's after-photo only")
        #expect(view.photos.filter { $0.purpose == "evidence" }.count == 2)
        #expect(view.rejected_resolutions == 1)
        #expect(view.evidence.last?.flags == ["no_capture_time", "no_location"])
    }
}
}
