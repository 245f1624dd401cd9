import AduanCore
import AduanPhotos
import AduanStore
import Foundation
import HTTPTypes
import Hummingbird

/// `GET /v1/complaints/{ticket}/photos/{id}`: the public copy, `?size=thumb` the thumbnail, `?size=original` the
/// original as uploaded. The original, and every size of a private complaint's photos, only for the reporter (tracking
/// token, or the citizen token of the account it belongs to) and for staff who may see the complaint; to anyone else a
/// private complaint's photo does not exist.
struct PhotosController<Context: RequestContext> {
    let store: Store
    let catalog: LiveCatalog
    let library: PhotoLibrary
    let sessions: CitizenSessions

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("complaints/{ticket}/photos/{id}", use: self.show)
        group.head("complaints/{ticket}/photos/{id}", use: self.show)
    }

    @Sendable func show(_ request: Request, context: Context) async throws -> Response {
        let variant: PhotoVariant
        switch request.uri.queryParameters["size"].map(String.init) {
        case nil, "public": variant = .public
        case "thumb", "thumbnail": variant = .thumbnail
        case "original": variant = .original
        case let other?: throw Problem(.badRequest, context: "size: public, thumb or original, not '\(other)'")
        }
        let raw = try context.parameters.require("ticket")
        guard Ticket.isWellFormed(raw), let id = context.parameters.get("id", as: Int64.self),
            let complaint = try await self.store.complaint(ticket: Ticket(raw)),
            let photo = try await self.store.photo(id: id, complaintID: complaint.id)
        else { throw Problem(.notFound) }
        // What anyone may fetch is served whatever credentials come with it (an office's web page showing public
        // copies, say); the rest only to the reporter and to staff who may see the complaint.
        let restricted = variant == .original || complaint.visibility == .private
        if restricted {
            switch try await self.opener(request, complaint) {
            case nil:
                // A private complaint does not exist for the public; a public one's original needs credentials.
                guard complaint.visibility == .public else { throw Problem(.notFound) }
                throw Problem(.invalidTrackingToken)
            case .staff where variant == .original && self.catalog.current.hidesPlace(of: complaint):
                // The original's EXIF would give the office the exact place its staff view withholds.
                throw Problem(.forbidden, context: "the original of an anonymous complaint's photo is withheld")
            default: break
            }
        }
        let sha = photo.photo.sha256(variant)
        let etag = "\"\(sha)\""
        var headers: HTTPFields = [
            .eTag: etag, .contentType: variant == .original ? photo.photo.format.mediaType : "image/jpeg",
            .cacheControl: restricted ? "private, no-store" : "public, max-age=31536000, immutable",
            .init("X-Content-Type-Options")!: "nosniff",
        ]
        if let tags = request.headers[.ifNoneMatch],
            tags.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag })
        {
            return Response(status: .notModified, headers: headers)
        }
        // The row exists, so the file was written before it committed: its absence is a fault of the disk.
        func missing() -> Problem {
            context.logger.error("photo file missing", metadata: ["sha256": "\(sha)", "photo": "\(photo.id)"])
            return Problem(.unavailable, context: "photo file unavailable")
        }
        if request.method == .head {
            guard let size = self.library.size(sha) else { throw missing() }
            headers[.contentLength] = String(size)
            return Response(status: .ok, headers: headers)
        }
        guard let bytes = self.library.read(sha) else { throw missing() }
        headers[.contentLength] = String(bytes.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Whether the request comes from the reporter (the complaint's tracking token) or from staff who may see the
    /// complaint. No token is nil; a token that is neither is refused (401), and staff who may not see it get 404.
    func opener(_ request: Request, _ complaint: Complaint) async throws -> Opener? {
        guard let token = request.bearerToken else { return nil }
        if let citizen = try await self.sessions.citizen(request) {
            guard complaint.reporter.account == citizen.id else { throw Problem(.notFound) }
            return .reporter
        }
        let hash = Secrets.sha256Hex(token)
        if try await self.store.complaint(ticket: complaint.ticket, proof: .trackingToken(hash: hash)) != nil { return .reporter }
        if let member = try await self.store.staff(tokenHash: hash) {
            guard member.canSee(complaint) else { throw Problem(.notFound) }
            return .staff
        }
        throw Problem(.invalidTrackingToken)
    }

    enum Opener { case reporter, staff }
}
