import AduanCore
import AduanStore
import Foundation
import Hummingbird

extension Open311Controller {
    /// mySociety's extension: the status updates made in a window, so that a client follows what the offices did. The
    /// key that filed a complaint also reads the office's questions to its reporter.
    @Sendable func updates(_ request: Request, context: Context) async throws -> Response {
        let (format, _) = try self.begin(request, context)
        let parameters = try Open311Parameters(query: request)
        let viewer = try await self.apiKey(parameters)?.id
        let (from, to) = try self.window(parameters)
        let (offset, limit) = try Self.page(parameters)
        let updates = try await self.store.open311Updates(from: from, to: to, viewer: viewer, offset: offset, limit: limit)
        let owned = try await self.owned(updates.map(\.complaint), by: viewer)
        let presenter = self.presenter(request)
        return Open311Node.list(
            item: "request_update", updates.map { presenter.update($0, ownedByViewer: owned.contains($0.complaint.id)) }
        ).response(root: "service_request_updates", format)
    }

    /// `POST servicerequestupdates` (as FixMyStreet sends its users' comments): the app that filed a complaint passes on
    /// its reporter's words. They answer an office's question (the clocks resume) or add to the history; on a
    /// resolution awaiting the reporter, `status=OPEN` says it is not fixed and reopens the complaint.
    @Sendable func postUpdate(_ request: Request, context: Context) async throws -> Response {
        let (format, _) = try self.begin(request, context)
        let (parameters, _) = try await self.form(request, photos: false)
        try self.checkJurisdiction(parameters)
        guard let key = try await self.writingAPIKey(parameters) else {
            throw Open311Error(.forbidden, "api_key is required to post an update")
        }
        guard let id = parameters["service_request_id"] else { throw Open311Error.badRequest("service_request_id: required") }
        guard let text = parameters["description"] else { throw Open311Error.badRequest("description: required") }
        let reopening = ["open", "reopen"].contains(parameters["status"]?.lowercased() ?? "")
        // Written before the resolution, "not fixed" speaks of the work before it: a comment, not a reopening.
        let writtenAt = parameters["updated_datetime"].flatMap { W3CDateTime.parse($0.replacingOccurrences(of: " ", with: "+")) }
        let workflow = Workflow(catalog: self.catalog.current, evidenceChecks: self.evidenceChecks, photoLimits: self.photoIntake.limits)
        let now = self.now()
        let updated: (complaint: Complaint, eventIDs: [Int64])?
        do {
            updated =
                Ticket.isWellFormed(id)
                ? try await self.store.updateRecordingEvents(ticket: Ticket(id), proof: .apiKey(key.id)) { current, _ in
                    let fresh = current.state.confirmationStart.map { start in writtenAt.map { $0 >= start } ?? true } ?? false
                    let command: CitizenCommand =
                        reopening && current.status == .resolved && fresh ? .reopen(reason: text) : .reply(text: text)
                    return try workflow.apply(command, to: current, now: now)
                } : nil
        } catch let error as WorkflowError {
            guard case .invalidTransition(_, let status, _) = error else { throw error }
            throw Open311Error.badRequest(
                "service_request_id \(id) is \(status.rawValue): its reporter's words can no longer be added; file a new request")
        }
        guard let updated else { throw Open311Error(.notFound, "service_request_id \(id) was not filed with this api_key") }
        let updateID = updated.eventIDs.first.map(String.init)
        return Open311Node.list(item: "request_update", [.object([("update_id", .text(updateID))])])
            .response(root: "service_request_updates", format, status: .created)
    }
}
