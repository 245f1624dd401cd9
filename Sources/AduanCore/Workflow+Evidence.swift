import Foundation

/// The photos already on file that a step with photos is decided against.
public struct PhotosOnFile: Sendable {
    /// The complaint's own photos, of both purposes.
    public var complaintPhotos: [StoredPhoto]
    /// Evidence other complaints' resolutions used within `EvidenceChecks.reuseLookback`.
    public var otherEvidence: [PhotoFingerprint]

    public init(complaintPhotos: [StoredPhoto] = [], otherEvidence: [PhotoFingerprint] = []) {
        self.complaintPhotos = complaintPhotos
        self.otherEvidence = otherEvidence
    }

    var reportPhotos: [StoredPhoto] { self.complaintPhotos.filter { $0.purpose == .report } }
}

extension StaffAction {
    /// The supervisor's verdicts on flagged evidence, allowed only while a resolution awaits validation.
    var judgesEvidence: Bool { self == .validate || self == .rejectResolution }
}

extension Workflow {
    /// A resolution, with its after-photos checked. A category that requires photos requires one here too. Any flag
    /// that needs validation holds the resolution for a supervisor ("Menunggu Validasi"); the clock stays stopped at
    /// the resolution unless the supervisor rejects it.
    func resolve(
        _ transition: inout Transition, _ complaint: Complaint, by member: StaffMember, note: String, photos: [ProcessedPhoto],
        onFile: PhotosOnFile, now: Date
    ) throws(WorkflowError) {
        if photos.isEmpty, self.catalog.category(complaint.category)?.photoRequired == true {
            throw .invalidInput([FieldError(field: "photo", code: .required)])
        }
        guard photos.count <= self.photoLimits.maxCount else {
            throw .invalidInput([FieldError(field: "photo", code: .tooMany, limit: self.photoLimits.maxCount)])
        }
        let actor = Actor.staff(member)
        self.move(&transition, complaint, for: .resolve, by: actor, now: now, details: ["note": note])
        transition.state.resolvedAt = now
        transition.state.resolutionWorkingSeconds = self.workingSeconds(complaint, transition.state, until: now)
        transition.state.resolutionReview = nil
        transition.state.resolutionReviewedAt = nil
        guard !photos.isEmpty else { return }
        let before = onFile.reportPhotos.map {
            PhotoFingerprint(complaintID: complaint.id, sha256: $0.photo.originalSHA256, perceptualHash: $0.photo.perceptualHash)
        }
        // Evidence given earlier for this same complaint (a resolution rejected, or reopened) may be shown again.
        let others = onFile.otherEvidence.filter { $0.complaintID != complaint.id }
        var allFlags = Set<EvidenceFlag>()
        for photo in photos {
            let flags = self.evidenceChecks.flags(for: photo, complaint: complaint, beforePhotos: before, otherEvidence: others)
            allFlags.formUnion(flags)
            transition.photos.append(
                PhotoAttachment(photo: photo, purpose: .evidence, actorKind: .staff, actorID: member.actorID, flags: flags, at: now))
        }
        let review: ResolutionReview = allFlags.contains(where: \.needsValidation) ? .pending : .clean
        transition.state.resolutionReview = review
        transition.events.append(
            actor.event(
                .evidence, at: now, visible: false,
                [
                    "photos": String(photos.count), "review": review.rawValue, "opd": complaint.opd,
                    "flags": allFlags.map(\.rawValue).sorted().joined(separator: ","),
                ]))
    }

    /// A supervisor lets a flagged resolution stand: it proceeds as any resolution, the reporter's confirmation
    /// window starting now.
    func validate(_ transition: inout Transition, _ complaint: Complaint, by actor: Actor, note: String?, now: Date) {
        transition.state.resolutionReview = .validated
        transition.state.resolutionReviewedAt = now
        transition.state.updatedAt = now
        var details = ["review": ResolutionReview.validated.rawValue, "opd": complaint.opd]
        if let note { details["note"] = note }
        transition.events.append(actor.event(.evidence, at: now, visible: false, details))
    }

    /// A supervisor rejects a flagged resolution ("TL Ditolak"): back to the office, whose resolution clock keeps
    /// running against the deadline it had (the time spent waiting for validation counts). The office reads why in the
    /// audit log; the reporter sees the complaint back in progress.
    func rejectResolution(_ transition: inout Transition, _ complaint: Complaint, by actor: Actor, reason: String, now: Date) {
        self.move(&transition, complaint, for: .rejectResolution, by: actor, now: now, details: ["reason": "resolution_rejected"])
        transition.state.resolvedAt = nil
        transition.state.resolutionWorkingSeconds = nil
        transition.state.settledAt = nil
        transition.state.resolutionReview = nil
        transition.state.resolutionReviewedAt = nil
        transition.state.rejectedResolutions += 1
        transition.events.append(
            actor.event(.evidence, at: now, visible: false, ["review": "rejected", "reason": reason, "opd": complaint.opd]))
    }

    /// The reporter's photos of the problem, added after filing, up to the limit per complaint. Their event is an
    /// `evidence` event too (the reporter's evidence of the problem) without a `review`, so the report skips it.
    func addReportPhotos(_ transition: inout Transition, _ photos: [ProcessedPhoto], onFile: PhotosOnFile, now: Date) throws(WorkflowError) {
        guard !photos.isEmpty else { throw .invalidInput([FieldError(field: "photo", code: .required)]) }
        guard onFile.reportPhotos.count + photos.count <= self.photoLimits.maxCount else {
            throw .invalidInput([FieldError(field: "photo", code: .tooMany, limit: self.photoLimits.maxCount)])
        }
        transition.photos = photos.map {
            PhotoAttachment(photo: $0, purpose: .report, actorKind: .citizen, actorID: nil, flags: [], at: now)
        }
        transition.state.updatedAt = now
        transition.events.append(
            Actor.citizen.event(.evidence, at: now, visible: true, ["purpose": PhotoPurpose.report.rawValue, "photos": String(photos.count)]))
    }
}
