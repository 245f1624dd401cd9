import AduanCore
import Foundation
import Testing

/// What each workflow step announces outside Aduan, and to which offices; and what the reporter is told.
@Suite("Announcements")
struct AnnouncementTests {
    let workflow = Fixture.workflow

    /// Applies a transition to a complaint as the store would, returning the announcements and the complaint after.
    func step(_ complaint: Complaint, _ transition: Transition) -> ([Announcement], Complaint) {
        var after = complaint
        after.state = transition.state
        return (Announcement.of(transition.events, before: complaint.state, after: transition.state), after)
    }

    @Test("a filing is one complaint.filed to its office, with the routing rule")
    func filing() throws {
        let filing = try Intake(catalog: lampung).file(
            SubmissionInput(category: "sampah", description: "Sampah menumpuk di pasar sejak kemarin.", region: "18.71.01"),
            now: Fixture.wib("2026-11-04T09:00")
        ).get()
        let announcements = Announcement.of(filing.events, before: nil, after: filing.state)
        #expect(announcements.map(\.kind) == [.filed])
        #expect(announcements[0].status == .submitted)
        #expect(announcements[0].offices == ["DLH-1871"])
        #expect(announcements[0].fields["rule"] == filing.complaint.routingRule)
        #expect(announcements[0].fields["actor"] == "citizen")
    }

    @Test("a whole story: accept, question, reply, resolve, rating and close, each with the status it left")
    func story() throws {
        var complaint = try Fixture.sampah()
        var kinds: [(Announcement.Kind, ComplaintStatus)] = []
        let at = Fixture.wib("2026-11-04T10:00")
        let steps: [(Complaint) throws -> Transition] = [
            { try self.workflow.apply(.accept(note: "Diterima"), by: Fixture.triage, to: $0, mergeTarget: nil, now: at) },
            { try self.workflow.apply(.askInfo(question: "Di sisi mana pasar?"), by: Fixture.officer, to: $0, mergeTarget: nil, now: at) },
            { try self.workflow.apply(.reply(text: "Sisi utara, dekat gerbang."), to: $0, now: at) },
            { try self.workflow.apply(.resolve(note: "Sudah diangkut."), by: Fixture.officer, to: $0, mergeTarget: nil, now: at) },
            { try self.workflow.apply(.confirm(rating: 5, comment: "Cepat"), to: $0, now: at) },
        ]
        var all: [Announcement] = []
        for make in steps {
            let (announcements, after) = self.step(complaint, try make(complaint))
            all += announcements
            kinds += announcements.map { ($0.kind, $0.status) }
            complaint = after
        }
        #expect(kinds.map(\.0) == [.accepted, .waitingForReporter, .reporterReplied, .resolved, .closed])
        #expect(kinds.map(\.1) == [.inProgress, .waitingInfo, .inProgress, .resolved, .closed])
        #expect(all[1].fields["question"] == "Di sisi mana pasar?")
        #expect(all[2].fields["text"] == "Sisi utara, dekat gerbang.")
        #expect(all[4].fields["rating"] == "5")
        #expect(all.allSatisfy { $0.offices == ["DLH-1871"] })
    }

    @Test("a forward concerns the office it left and the one it reaches; later events only the new one")
    func forward() throws {
        let complaint = try Fixture.sampah()
        let at = Fixture.wib("2026-11-04T10:00")
        let (forwarded, after) = self.step(
            complaint, try self.workflow.apply(Fixture.command(.forward), by: Fixture.triage, to: complaint, mergeTarget: nil, now: at))
        #expect(forwarded.map(\.kind) == [.forwarded])
        #expect(forwarded[0].opd == "PUPR-1871")
        #expect(Set(forwarded[0].offices) == ["DLH-1871", "PUPR-1871"])
        #expect(forwarded[0].fields["from"] == "DLH-1871" && forwarded[0].fields["to"] == "PUPR-1871")
        // The forward's note is internal: it is not announced.
        #expect(forwarded[0].fields["note"] == nil)
        let pu = Fixture.member(.triage, opd: "PUPR-1871", id: 11)
        let (accepted, _) = self.step(after, try self.workflow.apply(.accept(note: nil), by: pu, to: after, mergeTarget: nil, now: at))
        #expect(accepted.map(\.offices) == [["PUPR-1871"]])
    }

    @Test("the SLA monitor's marks are announced, and a breach's escalation reaches the parent office")
    func slaMarks() throws {
        let complaint = try Fixture.sampah()
        // Past the response deadline (Thu 5 Nov 16:00): at risk, then breached and escalated, in one pass.
        let transition = try #require(self.workflow.sweep(complaint, now: Fixture.wib("2026-11-05T17:00")))
        let (announcements, _) = self.step(complaint, transition)
        #expect(announcements.map(\.kind) == [.atRisk, .breached, .escalated])
        #expect(announcements[0].fields["clock"] == "response")
        #expect(announcements[0].offices == ["DLH-1871"])
        #expect(Set(announcements[2].offices) == ["DLH-1871", "SETDA-1871"])
        #expect(announcements[2].fields["to_opd"] == "SETDA-1871")
    }

    @Test("a flagged resolution waits: the reporter is told once a supervisor validates it, not before")
    func validation() throws {
        var complaint = try Fixture.sampah()
        complaint.state.status = .resolved
        complaint.state.resolvedAt = Fixture.wib("2026-11-04T10:00")
        complaint.state.resolutionReview = .pending
        let resolved = Announcement(kind: .resolved, at: Date(), status: .resolved, opd: "DLH-1871", offices: ["DLH-1871"], fields: ["review": "pending"])
        #expect(CitizenMessage.about(resolved, ticket: complaint.ticket, officeName: "DLH") == nil)
        let (validated, _) = self.step(
            complaint, try self.workflow.apply(.validate(note: "Foto benar"), by: Fixture.supervisor, to: complaint, mergeTarget: nil, now: Date()))
        #expect(validated.map(\.kind) == [.resolutionValidated])
        let message = try #require(CitizenMessage.about(validated[0], ticket: complaint.ticket, officeName: "Dinas Lingkungan Hidup"))
        #expect(message.template == "aduan_selesai")
        #expect(message.text.contains(complaint.ticket.rawValue))
    }

    @Test("messages to the reporter carry the ticket and never an internal note")
    func messages() throws {
        let ticket = Ticket("2611-00042")
        for kind in Announcement.Kind.allCases {
            let announcement = Announcement(
                kind: kind, at: Date(), status: .inProgress, opd: "DLH-1871", offices: ["DLH-1871"],
                fields: ["note": "CATATAN INTERNAL", "reason": "ALASAN", "question": "PERTANYAAN", "into": "2611-00001"])
            guard let message = CitizenMessage.about(announcement, ticket: ticket, officeName: "DLH Kota") else {
                #expect([.reporterReplied, .resolutionRejected, .atRisk, .breached, .escalated].contains(kind), "\(kind) sends nothing")
                continue
            }
            #expect(message.text.contains("2611-00042"), "\(kind)")
            #expect(message.text.count <= 160, "\(kind): one SMS")
            for secret in ["CATATAN INTERNAL", "ALASAN", "PERTANYAAN"] {
                #expect(!message.text.contains(secret) && !message.params.values.contains(secret), "\(kind)")
            }
        }
    }
}
