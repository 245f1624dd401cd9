import AduanCore
import AduanPhotos
import AduanStore
import Foundation
import HTTPTypes
import Hummingbird

/// `GET /v1/complaints/{ticket}/photos/{id}`: the public copy, `?size=thumb` the thumbnail, `?size=original` the
/// original as uploaded. The original, and every size of a private complaint's photos, only for the reporter (tracking
/// token) and for staff who may see the complaint; to anyone else a private complaint's photo does not exist.
struct PhotosController<Context: RequestContext> {
    let store: Store
    let library: PhotoLibrary

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("complaints/{ticket}/photos/{id}", use: self.show)
        group.head("complaints/{ticket}/photos/{id}", use: self.show)
    }

    /// Who is asking, as far as the photo's rules care.
    enum Viewer { case anyone, reporter, staff }

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
        let viewer = try await self.viewer(request, complaint)
        let restricted = variant == .original || complaint.visibility == .private
        if restricted && viewer == .anyone {
            // A private complaint does not exist for the public; a public one's original needs credentials.
            guard complaint.visibility == .public else { throw Problem(.notFound) }
            throw Problem(.invalidTrackingToken)
        }
        let sha = photo.photo.sha256(variant)
        let etag = "\"\(sha)\""
        var headers: HTTPFields = [
            .eTag: etag, .contentType: variant == .original ? photo.photo.format.mediaType : "image/jpeg",
            .cacheControl: restricted ? "private, no-store" : "public, max-age=31536000, immutable",
            .init("X-Content-Type-Options")!: "nosniff",
        ]
        if let tags = request.headers[.ifNoneMatch], tags.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag }) {
            return Response(status: .notModified, headers: headers)
        }
        guard let bytes = self.library.read(sha) else {
            // The row exists, so the file was written before it committed: its absence is a fault of the disk.
            context.logger.error("photo file missing", metadata: ["sha256": "\(sha)", "photo": "\(photo.id)"])
            throw Problem(.unavailable, context: "photo file unavailable")
        }
        headers[.contentLength] = String(bytes.count)
        if request.method == .head { return Response(status: .ok, headers: headers) }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The reporter holds the complaint's tracking token; staff hold a token of a member who may see it. Any other
    /// bearer token is refused, as on the other routes.
    func viewer(_ request: Request, _ complaint: Complaint) async throws -> Viewer {
        guard let token = request.bearerToken else { return .anyone }
        let hash = Secrets.sha256Hex(token)
        if try await self.store.complaint(ticket: complaint.ticket, trackingTokenHash: hash) != nil { return .reporter }
        if let member = try await self.store.staff(tokenHash: hash) {
            guard member.canSee(complaint) else { throw Problem(.notFound) }
            return .staff
        }
        throw Problem(.invalidTrackingToken)
    }
}
