import AduanAPI
import AduanCore
import AduanStore
import AduanWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("HTTP API: the reporter's view against internal notes")
struct ReporterViewTests {
    static let internalComment = "Catatan internal: kontraktor lama belum dibayar"
    static let unmarkedComment = "Catatan tanpa tanda: cek anggaran dulu"
    static let forwardNote = "Catatan disposisi: bukan kewenangan PU"
    static let mergeNote = "Catatan penggabungan: laporan ganda"
    static let visibleComment = "Tim kami akan datang hari Kamis"
    static let internalTexts = [internalComment, unmarkedComment, forwardNote, mergeNote]

    @Test("internal comments and forward and merge notes are absent from the reporter's view; visible comments are there")
    func internalNotesHidden() async throws {
        try await withAPI { client, store in
            let staff = try await StaffFixture.make(store)
            let triage = staff.tokens[.triage]!
            let complaint = try await fileComplaint(client, own: true)
            let duplicate = try await fileComplaint(client, own: true)

            // Given internal comments (one marked, one without visible_to_reporter), a visible one, a forward with a
            // note, and a duplicate merged into it with a note ...
            _ = try await staffAct(
                client, complaint.ticket, "comment", token: triage, body: .init(text: Self.internalComment, visible_to_reporter: false))
            _ = try await staffAct(client, complaint.ticket, "comment", token: triage, body: .init(text: Self.unmarkedComment))
            _ = try await staffAct(
                client, complaint.ticket, "comment", token: triage, body: .init(text: Self.visibleComment, visible_to_reporter: true))
            _ = try await staffAct(client, duplicate.ticket, "merge", token: triage, body: .init(note: Self.mergeNote, into: complaint.ticket))
            _ = try await staffAct(client, complaint.ticket, "forward", token: triage, body: .init(note: Self.forwardNote, to: "DLH-1871"))
            // ... which staff do see, with their visibility ...
            let audit = try await auditLog(client, complaint.ticket, token: staff.adminToken)
            let duplicateAudit = try await auditLog(client, duplicate.ticket, token: staff.adminToken)
            let staffTexts = (audit.entries + duplicateAudit.entries).filter { $0.kind == "comment" }
            #expect(Set(staffTexts.filter { !$0.visible_to_reporter }.compactMap { $0.details["text"] }) == Set(Self.internalTexts))
            #expect(staffTexts.filter(\.visible_to_reporter).compactMap { $0.details["text"] } == [Self.visibleComment])

            // ... the reporters' views (GET with the tracking token, and the answer to their own comment) show the
            // visible comment and the forward, and none of the internal texts anywhere in their bytes.
            let views = [
                ("GET", complaint, try await client.execute(
                    uri: "/v1/complaints/\(complaint.ticket)", method: .get, headers: reporterHeaders(complaint.tracking_token))),
                ("comment", complaint, try await client.execute(
                    uri: "/v1/complaints/\(complaint.ticket)/comments", method: .post,
                    headers: reporterHeaders(complaint.tracking_token), body: body(ReporterMessage(text: "Terima kasih")))),
                ("GET duplicate", duplicate, try await client.execute(
                    uri: "/v1/complaints/\(duplicate.ticket)", method: .get, headers: reporterHeaders(duplicate.tracking_token))),
            ]
            for (what, filed, response) in views {
                #expect((200..<300).contains(response.status.code), "\(what): \(String(buffer: response.body))")
                let view = try decode(ComplaintView.self, response)
                #expect(view.ticket == filed.ticket)
                let history = try #require(view.history, "\(what)")
                #expect(!history.isEmpty)
                let text = String(buffer: response.body)
                for note in Self.internalTexts {
                    #expect(!text.contains(note), "\(what) shows the internal note \"\(note)\"")
                }
                #expect(!history.contains { $0.details["context"] != nil }, "\(what): \(history)")
            }
            let own = try decode(ComplaintView.self, views[0].2)
            let ownHistory = try #require(own.history)
            #expect(ownHistory.filter { $0.kind == "comment" }.map { $0.details["text"] } == [Self.visibleComment])
            #expect(ownHistory.contains { $0.kind == "forwarded" && $0.details == ["from": "PUPR-1871", "to": "DLH-1871"] })
            #expect(ownHistory.contains { $0.kind == "merged" } == false, "the merge into it is for staff")
            let duplicateView = try decode(ComplaintView.self, views[2].2)
            #expect(duplicateView.status == "duplicate")
            #expect(try #require(duplicateView.history).contains { $0.kind == "merged" && $0.details["into"] == complaint.ticket })
        }
    }
}
