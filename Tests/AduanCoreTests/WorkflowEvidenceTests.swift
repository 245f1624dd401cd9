import AduanCore
import Foundation
import Testing

/// The evidence rules as pure functions; the API and CLI tests run them on real images.
@Suite("Workflow: after-photo checks, validation and the reporter's photos")
struct WorkflowEvidenceTests {
    let workflow = Fixture.workflow

    /// A photo with chosen facts; the hashes are what the checks compare.
    static func photo(sha: String = String(repeating: "a", count: 64), hash: UInt64 = 0xF0F0_F0F0_0F0F_0F0F, taken: Date?, at point: GeoPoint?)
        -> ProcessedPhoto
    {
        ProcessedPhoto(
            format: .jpeg, originalSHA256: sha, originalBytes: 1000, publicSHA256: sha, thumbnailSHA256: sha, width: 640, height: 480,
            takenAt: taken, location: point, perceptualHash: hash)
    }

    /// A sampah complaint at a point in Kedaton, filed 4 November 09:00 WIB and accepted.
    static func accepted(at point: GeoPoint? = GeoPoint(lat: -5.37, lng: 105.24)) throws -> Complaint {
        let filed = try Fixture.sampah()
        var complaint = Complaint(
            id: filed.id, ticket: filed.ticket, category: filed.category, description: filed.description, region: filed.region,
            location: point, address: nil, reporter: filed.reporter, visibility: filed.visibility, anonymous: false,
            routingRule: filed.routingRule, createdAt: filed.createdAt, state: filed.state)
        complaint.state.status = .inProgress
        complaint.state.respondedAt = Fixture.wib("2026-11-04T10:00")
        return complaint
    }

    @Test("the checks, one by one")
    func checks() throws {
        let complaint = try Self.accepted()
        let checks = EvidenceChecks(maxDistance: 200)
        let after = Fixture.wib("2026-11-05T09:00")
        let near = GeoPoint(lat: -5.3705, lng: 105.24)  // about 55 m
        let far = GeoPoint(lat: -5.373, lng: 105.24)  // about 330 m
        func flags(_ photo: ProcessedPhoto, before: [PhotoFingerprint] = [], other: [PhotoFingerprint] = []) -> [EvidenceFlag] {
            checks.flags(for: photo, complaint: complaint, beforePhotos: before, otherEvidence: other)
        }
        #expect(flags(Self.photo(taken: after, at: near)) == [])
        #expect(flags(Self.photo(taken: Fixture.wib("2026-11-04T08:59"), at: near)) == [.takenBeforeFiling])
        #expect(flags(Self.photo(taken: after, at: far)) == [.farFromLocation])
        #expect(flags(Self.photo(taken: nil, at: nil)) == [.noCaptureTime, .noLocation])
        // Re-use: 10 differing bits of 64 is the same picture, 11 is not; an equal SHA-256 always is.
        let before = PhotoFingerprint(complaintID: complaint.id, sha256: String(repeating: "b", count: 64), perceptualHash: 0xF0F0_F0F0_0F0F_0F0F)
        let other = PhotoFingerprint(complaintID: 99, sha256: String(repeating: "a", count: 64), perceptualHash: 0)
        #expect(flags(Self.photo(hash: 0xF0F0_F0F0_0F0F_0F0F ^ 0x3FF, taken: after, at: near), before: [before]) == [.reusedPhoto])
        #expect(flags(Self.photo(hash: 0xF0F0_F0F0_0F0F_0F0F ^ 0x7FF, taken: after, at: near), before: [before]) == [])
        #expect(flags(Self.photo(hash: 1, taken: after, at: near), other: [other]) == [.reusedPhoto])
        // A complaint without a point cannot be far from anything.
        let byRegion = try Self.accepted(at: nil)
        #expect(checks.flags(for: Self.photo(taken: after, at: far), complaint: byRegion, beforePhotos: [], otherEvidence: []) == [])
    }

    @Test("a flagged resolution waits: the reporter cannot confirm it, the monitor does not close it; validation starts their week")
    func pendingThenValidated() throws {
        let complaint = try Self.accepted()
        let resolvedAt = Fixture.wib("2026-11-05T10:00")
        let early = Self.photo(taken: Fixture.wib("2026-11-01T10:00"), at: complaint.location)
        var resolved = complaint
        resolved.state = try self.workflow.apply(
            .resolve(note: "Sudah diangkut.", photos: [early]), by: Fixture.officer, to: complaint, mergeTarget: nil, now: resolvedAt
        ).state
        #expect(resolved.state.awaitsValidation)
        #expect(resolved.state.resolvedAt == resolvedAt)
        #expect(self.workflow.allowedCitizenActions(resolved.state) == ["comment", "photos"])
        #expect(throws: WorkflowError.self) {
            try self.workflow.apply(.confirm(rating: 5, comment: nil), to: resolved, now: resolvedAt.addingTimeInterval(3600))
        }
        #expect(self.workflow.sweep(resolved, now: resolvedAt.addingTimeInterval(30 * 86_400))?.state.status != .closed)
        #expect(self.workflow.allowedActions(for: Fixture.supervisor, on: resolved).contains(.validate))
        #expect(!self.workflow.allowedActions(for: Fixture.triage, on: resolved).contains(.validate))

        let validatedAt = Fixture.wib("2026-11-20T10:00")
        var validated = resolved
        validated.state = try self.workflow.apply(.validate(note: nil), by: Fixture.supervisor, to: resolved, mergeTarget: nil, now: validatedAt).state
        #expect(validated.state.resolutionReview == .validated)
        #expect(validated.state.resolvedAt == resolvedAt)
        // Closed a week after the validation, not after the resolution.
        #expect(self.workflow.sweep(validated, now: validatedAt.addingTimeInterval(6 * 86_400)) == nil)
        let closed = try #require(self.workflow.sweep(validated, now: validatedAt.addingTimeInterval(7 * 86_400)))
        #expect(closed.state.status == .closed)
    }

    @Test("a rejected resolution goes back in progress with its old deadline, and a clean one needs no validation")
    func rejectedAndClean() throws {
        let complaint = try Self.accepted()
        let resolvedAt = Fixture.wib("2026-11-05T10:00")
        let far = Self.photo(taken: Fixture.wib("2026-11-05T09:00"), at: GeoPoint(lat: -5.40, lng: 105.24))
        var resolved = complaint
        resolved.state = try self.workflow.apply(
            .resolve(note: "Sudah diangkut.", photos: [far]), by: Fixture.officer, to: complaint, mergeTarget: nil, now: resolvedAt
        ).state
        let rejected = try self.workflow.apply(
            .rejectResolution(reason: "Foto bukan di lokasi."), by: Fixture.supervisor, to: resolved, mergeTarget: nil,
            now: Fixture.wib("2026-11-06T10:00"))
        #expect(rejected.state.status == .inProgress)
        #expect(rejected.state.resolvedAt == nil && rejected.state.settledAt == nil)
        #expect(rejected.state.resolutionDueAt == complaint.state.resolutionDueAt)
        #expect(rejected.state.rejectedResolutions == 1)
        #expect(rejected.events.contains { $0.kind == .evidence && $0.details["reason"] == "Foto bukan di lokasi." && !$0.visibleToReporter })

        let near = Self.photo(taken: Fixture.wib("2026-11-05T09:00"), at: complaint.location)
        let clean = try self.workflow.apply(
            .resolve(note: "Sudah diangkut.", photos: [near]), by: Fixture.officer, to: complaint, mergeTarget: nil, now: resolvedAt)
        #expect(clean.state.resolutionReview == .clean)
        #expect(!clean.state.awaitsValidation)
        #expect(clean.photos.map(\.flags) == [[]])
        #expect(throws: WorkflowError.self) {
            var done = complaint
            done.state = clean.state
            return try self.workflow.apply(.validate(note: nil), by: Fixture.supervisor, to: done, mergeTarget: nil, now: resolvedAt)
        }
    }

    @Test("a road needs an after-photo to be resolved")
    func roadNeedsPhoto() throws {
        var road = try Fixture.complaint("jalan_rusak", filed: Fixture.wib("2026-11-04T09:00"))
        road.state.status = .inProgress
        #expect(throws: WorkflowError.invalidInput([FieldError(field: "photo", code: .required)])) {
            try self.workflow.apply(.resolve(note: "Sudah ditambal."), by: Fixture.admin, to: road, mergeTarget: nil, now: Fixture.wib("2026-11-05T09:00"))
        }
    }

    @Test("the reporter's photos: at most five in all")
    func reporterPhotoLimit() throws {
        let complaint = try Self.accepted()
        let photo = Self.photo(taken: nil, at: nil)
        let onFile = PhotosOnFile(
            complaintPhotos: (1...4).map {
                StoredPhoto(id: $0, complaintID: complaint.id, attachment: PhotoAttachment(photo: photo, purpose: .report, actorKind: .citizen, actorID: nil, flags: [], at: complaint.createdAt))
            })
        let one = try self.workflow.apply(.addPhotos([photo]), to: complaint, photosOnFile: onFile, now: Fixture.wib("2026-11-05T09:00"))
        #expect(one.photos.count == 1)
        #expect(throws: WorkflowError.invalidInput([FieldError(field: "photo", code: .tooMany, limit: 5)])) {
            try self.workflow.apply(.addPhotos([photo, photo]), to: complaint, photosOnFile: onFile, now: Fixture.wib("2026-11-05T09:00"))
        }
    }
}
