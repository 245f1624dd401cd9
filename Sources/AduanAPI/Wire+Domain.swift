import AduanCore
import AduanWire
import Foundation

// The wire types (AduanWire) are plain Codable values shared with the CLI and the tests; what they mean to the
// domain is said here, in the HTTP module.

extension SubmitComplaintRequest {
    /// The submission as intake checks it.
    var input: SubmissionInput {
        var input = SubmissionInput(
            category: self.category, description: self.description, region: self.region,
            location: self.location.map { ($0.lat, $0.lng) }, address: self.address, reporterName: self.reporter?.name,
            reporterPhone: self.reporter?.phone, visibility: self.visibility, anonymous: self.anonymous,
            notify: self.notify)
        input.attributes = (self.attributes ?? [:]).mapValues(\.values)
        return input
    }
}

extension CategoryDTO.Target {
    init(_ target: SLATarget) {
        switch target {
        case .workingDays(let days): self.init(working_days: days, hours: nil)
        case .hours(let hours): self.init(working_days: nil, hours: hours)
        }
    }
}

extension StaffActionRequest {
    /// The command for `action`, refusing a missing field here (422) so that the workflow sees whole commands; `photos`
    /// are a resolution's after-photos, already processed and stored.
    func command(for action: StaffAction, photos: [ProcessedPhoto] = []) throws -> StaffCommand {
        func required(_ value: String?, _ field: String) throws -> String {
            guard let value, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw Problem(.validationFailed, fieldErrors: [FieldError(field: field, code: .required)])
            }
            return value
        }
        switch action {
        case .accept: return .accept(note: self.note)
        case .forward: return .forward(to: try required(self.to, "to"), note: try required(self.note, "note"))
        case .reject: return .reject(reason: try required(self.reason, "reason"))
        case .askInfo: return .askInfo(question: try required(self.question, "question"))
        case .resolve: return .resolve(note: try required(self.note, "note"), photos: photos)
        case .comment: return .comment(text: try required(self.text, "text"), visibleToReporter: self.visible_to_reporter ?? false)
        case .merge:
            let into = try required(self.into, "into")
            guard Ticket.isWellFormed(into) else {
                throw Problem(.validationFailed, fieldErrors: [FieldError(field: "into", code: .invalidValue)])
            }
            return .merge(into: Ticket(into), note: self.note)
        case .reopen: return .reopen(reason: try required(self.reason, "reason"))
        case .validate: return .validate(note: self.note)
        case .rejectResolution: return .rejectResolution(reason: try required(self.reason, "reason"))
        }
    }
}
