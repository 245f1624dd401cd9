import AduanAPI
import AduanCore
import AduanPhotos
import AduanStore
import AduanWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Photos: filing with photos, formats, bad input, and who may fetch which copy")
struct PhotoAPITests {
    /// Filing "now" is after the fixtures' capture times (20 November 2026) and before the after-photos' (25 November).
    static let filedAt = instant("2026-11-22T10:00:00+07:00")

    @Test("a complaint with a photo: the photo is listed with its time and place, and kept three ways")
    func filingWithPhotos() async throws {
        try await withAPI(now: { Self.filedAt }) { client, store in
            let request = SubmitComplaintRequest(
                category: "sampah", description: "Sampah menumpuk di pinggir jalan.", region: "18.71.01", visibility: "public")
            let filed = try await fileWithPhotos(client, request, photos: ["metro_gps.jpg", "rotated.jpg"])
            #expect(filed.photos.count == 2)
            let first = try #require(filed.photos.first)
            #expect(first.purpose == "report")
            #expect(first.taken_at == "2026-11-20T09:15:00+07:00")
            #expect(first.location == LocationDTO(lat: -5.1131, lng: 105.3067))
            #expect(first.url == "/v1/complaints/\(filed.ticket)/photos/\(first.id)")
            #expect(first.thumbnail_url == first.url + "?size=thumb")
            // The region given wins over the photo's GPS; the location stays the reporter's (none here).
            #expect(filed.region.code == "18.71.01")
            #expect(filed.location_source == nil)

            // The original is the upload, byte for byte: it is evidence.
            let original = try await client.execute(uri: first.url + "?size=original", method: .get, headers: bearer(filed.tracking_token))
            #expect(original.status == .ok)
            #expect(Array(original.body.readableBytesView) == (try photoFixture("metro_gps.jpg")))
            // The public copy carries no metadata at all: no GPS, no time, no camera serial.
            let publicCopy = try await client.execute(uri: first.url, method: .get)
            #expect(publicCopy.headers[.contentType] == "image/jpeg")
            let copy = try inspect(Array(publicCopy.body.readableBytesView))
            #expect(copy.exif == ExifFacts())
            #expect(!String(decoding: publicCopy.body.readableBytesView, as: UTF8.self).contains("R58W12345"))
            #expect((copy.width, copy.height) == (640, 480))
            let thumbnail = try await client.execute(uri: first.thumbnail_url, method: .get)
            let small = try inspect(Array(thumbnail.body.readableBytesView))
            #expect(max(small.width, small.height) == PhotoProcessor.thumbnailSide)
            #expect(small.exif == ExifFacts())

            // Auto-rotated: stored 400x200 with orientation 6, shown 200x400.
            let rotated = try await client.execute(uri: filed.photos[1].url, method: .get)
            let upright = try inspect(Array(rotated.body.readableBytesView))
            #expect((upright.width, upright.height) == (200, 400))

            // Each file is where its row says, named by its SHA-256.
            let complaint = try #require(try await store.complaint(ticket: Ticket(filed.ticket)))
            let photos = try await store.photos(complaintID: complaint.id)
            let library = try PhotoLibrary(directory: URL(fileURLWithPath: store.path).deletingLastPathComponent().appendingPathComponent("photos"))
            for photo in photos {
                for variant in PhotoVariant.allCases {
                    let bytes = try #require(library.read(photo.photo.sha256(variant)))
                    #expect(Secrets.hex(Secrets.sha256(Array(bytes))) == photo.photo.sha256(variant))
                }
            }
            // Every view lists the photos; the public one without the camera's time and place.
            let publicView = try decode(ComplaintView.self, try await client.execute(uri: "/v1/complaints/\(filed.ticket)", method: .get))
            #expect(publicView.photos.map(\.id) == filed.photos.map(\.id))
            #expect(publicView.photos.allSatisfy { $0.taken_at == nil && $0.location == nil })
            let reporterView = try decode(
                ComplaintView.self,
                try await client.execute(uri: "/v1/complaints/\(filed.ticket)", method: .get, headers: bearer(filed.tracking_token)))
            #expect(reporterView.photos == filed.photos)
        }
    }

    @Test("a complaint without a location is routed by its photo's GPS, and says so")
    func routedByPhoto() async throws {
        try await withAPI(now: { Self.filedAt }) { client, _ in
            let filed = try await fileWithPhotos(client, roadWithoutLocation, photos: ["metro_gps.jpg"])
            #expect(filed.location_source == "photo")
            #expect(filed.region.code.hasPrefix("18.72"))
            #expect(filed.opd.code == "PUPR-1872")

            // With a region named, a photo taken in it gives the point; one taken elsewhere says nothing of this place.
            let named = SubmitComplaintRequest(category: "jalan_rusak", description: "Jalan berlubang di depan pasar Metro.", region: "18.72.01")
            let inRegion = try await fileWithPhotos(client, named, photos: ["metro_gps.jpg"])
            #expect(inRegion.location_source == "photo" && inRegion.region.code == "18.72.01")
            let elsewhere = try await fileWithPhotos(
                client, SubmitComplaintRequest(category: "jalan_rusak", description: "Jalan berlubang di Kedaton.", region: "18.71.01"),
                photos: ["metro_gps.jpg"])
            #expect(elsewhere.location_source == nil)

            // A photo taken outside the province gives no location: the complaint still needs one.
            let outside = try await postForm(client, "/v1/complaints", [.json("complaint", roadWithoutLocation), try .photo("outside_gps.jpg")])
            #expect(outside.status == .unprocessableContent)
            #expect(try errorFields(outside)["location"] == "required")
        }
    }

    @Test("a category that requires a photo refuses a complaint without one")
    func photoRequired() async throws {
        try await withAPI { client, _ in
            let json = SubmitComplaintRequest(category: "jalan_rusak", description: "Jalan berlubang di depan sekolah.", region: "18.71.01")
            let response = try await client.execute(
                uri: "/v1/complaints", method: .post, headers: [.contentType: "application/json"], body: body(json))
            #expect(response.status == .unprocessableContent)
            #expect(try errorFields(response) == ["photo": "required"])
            // Reported with the other field problems at once.
            let both = try await postForm(client, "/v1/complaints", [.json("complaint", SubmitComplaintRequest(category: "jalan_rusak", description: "x", region: "18.71.01"))])
            #expect(try errorFields(both) == ["photo": "required", "description": "too_short"])
            // JSON without photos still works where no photo is required.
            let rubbish = try await client.execute(
                uri: "/v1/complaints", method: .post, headers: [.contentType: "application/json"],
                body: body(SubmitComplaintRequest(category: "sampah", description: "Sampah menumpuk di pasar.", region: "18.71.01")))
            #expect(rubbish.status == .created)
            #expect(try decode(SubmittedComplaint.self, rubbish).photos.isEmpty)
        }
    }

    @Test("JPEG, PNG, WebP and HEIC are accepted by their bytes, whatever their name and Content-Type",
          arguments: [("photo.png", "image/png"), ("photo.webp", "image/webp"), ("photo.heic", "image/heic"),
                      ("png_named.jpg", "image/jpeg"), ("metro_gps.jpg", "application/octet-stream")])
    func formats(_ fixture: String, _ contentType: String) async throws {
        try await withAPI(now: { Self.filedAt }) { client, _ in
            let response = try await postForm(
                client, "/v1/complaints",
                [.json("complaint", SubmitComplaintRequest(category: "sampah", description: "Sampah menumpuk di pasar.", region: "18.71.01", visibility: "public")),
                 try .photo(fixture, contentType: contentType)])
            #expect(response.status == .created, "\(fixture): \(String(buffer: response.body))")
            let filed = try decode(SubmittedComplaint.self, response)
            let copy = try await client.execute(uri: try #require(filed.photos.first).url, method: .get)
            #expect(copy.status == .ok)
            #expect(try inspect(Array(copy.body.readableBytesView)).format == .jpeg)
            if fixture == "photo.heic" {
                // The iPhone's EXIF is read too: the time and the Bandar Lampung point.
                #expect(filed.photos.first?.taken_at == "2026-11-20T09:15:00+07:00")
                #expect(filed.photos.first?.location == LocationDTO(lat: -5.4292, lng: 105.261))
            }
        }
    }

    @Test("bad photos are refused with a problem naming the part, and nothing is filed",
          arguments: [("truncated.jpg", "corrupt"), ("archive.jpg", "unsupported_format"), ("document.jpg", "unsupported_format"),
                      ("bomb.png", "too_many_pixels"), ("bomb.jpg", "too_many_pixels")])
    func badPhotos(_ fixture: String, _ code: String) async throws {
        try await withAPI { client, store in
            let response = try await postForm(
                client, "/v1/complaints",
                [.json("complaint", SubmitComplaintRequest(category: "sampah", description: "Sampah menumpuk di pasar.", region: "18.71.01")),
                 try .photo("photo.png"), try .photo(fixture)])
            #expect(response.status == .unprocessableContent)
            #expect(try errorFields(response) == ["photo[2]": code])
            #expect(try await store.complaintCount() == 0)
        }
    }

    @Test("a complaint the photos cannot fix is refused before any photo is looked at")
    func refusedBeforePhotos() async throws {
        try await withAPI { client, store in
            let response = try await postForm(
                client, "/v1/complaints",
                [.json("complaint", SubmitComplaintRequest(category: "jalan_berlubang", description: "Jalan berlubang besar.")), try .photo("bomb.jpg")])
            // The unknown category is named; the bomb is never opened (it would be too_many_pixels), nor is the
            // missing location (a photo could have given it).
            #expect(try errorFields(response) == ["category": "unknown_category"])
            #expect(try await store.complaintCount() == 0)
        }
    }

    @Test("uploads beyond the memory budget get 503 with Retry-After, before their body is read")
    func memoryBudget() async throws {
        try await withAPI(configure: { $0.photoMemoryBudget = 1000 }) { client, store in
            let response = try await postForm(
                client, "/v1/complaints",
                [.json("complaint", SubmitComplaintRequest(category: "sampah", description: "Sampah menumpuk di pasar.", region: "18.71.01")),
                 try .photo("photo.png")])
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] != nil)
            #expect(try decode(ProblemDocument.self, response).type == "/problems/unavailable")
            #expect(try await store.complaintCount() == 0)
        }
    }

    @Test("a form's own mistakes: an empty part, too many photos, no complaint part, an unknown part, a body over the limit")
    func badForms() async throws {
        try await withAPI(configure: { $0.photoLimits.maxBytes = 64 << 10 }) { client, store in
            let complaint = Part.json("complaint", SubmitComplaintRequest(category: "sampah", description: "Sampah menumpuk di pasar.", region: "18.71.01"))
            let empty = try await postForm(client, "/v1/complaints", [complaint, Part(name: "photo", filename: "x.jpg", contentType: "image/jpeg", bytes: [])])
            #expect(try errorFields(empty) == ["photo[1]": "empty"])
            let six = try await postForm(client, "/v1/complaints", [complaint] + (try (1...6).map { _ in try Part.photo("photo.png") }))
            #expect(six.status == .unprocessableContent)
            #expect(try errorFields(six) == ["photo": "too_many"])
            let missing = try await postForm(client, "/v1/complaints", [try .photo("photo.png")])
            #expect(try errorFields(missing) == ["complaint": "required"])
            let unknown = try await postForm(client, "/v1/complaints", [complaint, Part(name: "video", filename: nil, contentType: "video/mp4", bytes: [1])])
            #expect(try errorFields(unknown) == ["video": "invalid_value"])
            let big = try await postForm(client, "/v1/complaints", [complaint, Part(name: "photo", filename: "big.jpg", contentType: "image/jpeg", bytes: [0xFF, 0xD8, 0xFF] + Array(repeating: 0, count: 70 << 10))])
            #expect(try errorFields(big) == ["photo[1]": "too_large"])
            let huge = try await postForm(client, "/v1/complaints", [complaint, Part(name: "photo", filename: "huge.jpg", contentType: "image/jpeg", bytes: Array(repeating: 0, count: 2 << 20))])
            #expect(huge.status == .contentTooLarge)
            #expect(try decode(ProblemDocument.self, huge).type == "/problems/payload-too-large")
            let cut = try await client.execute(
                uri: "/v1/complaints", method: .post, headers: [.contentType: "multipart/form-data; boundary=zzz"],
                body: ByteBuffer(string: "--zzz\r\nContent-Disposition: form-data; name=\"complaint\"\r\n\r\n{\"categ"))
            #expect(cut.status == .badRequest)
            #expect(try await store.complaintCount() == 0)
        }
    }

    @Test("the reporter adds photos later, up to five in all")
    func photosLater() async throws {
        try await withAPI(now: { Self.filedAt }) { client, _ in
            let filed = try await fileWithPhotos(
                client, SubmitComplaintRequest(category: "sampah", description: "Sampah menumpuk di pasar.", region: "18.71.01"),
                photos: ["photo.png", "photo.webp"])
            let uri = "/v1/complaints/\(filed.ticket)/photos"
            let noToken = try await postForm(client, uri, [try .photo("rotated.jpg")])
            #expect(noToken.status == .unauthorized)
            let added = try await postForm(client, uri, [try .photo("rotated.jpg"), try .photo("photo.heic")], headers: bearer(filed.tracking_token))
            #expect(added.status == .created, "\(String(buffer: added.body))")
            let view = try decode(ComplaintView.self, added)
            #expect(view.photos.count == 4)
            #expect(view.history?.last?.kind == "evidence")
            let tooMany = try await postForm(client, uri, [try .photo("metro_gps.jpg"), try .photo("after_near.jpg")], headers: bearer(filed.tracking_token))
            #expect(tooMany.status == .unprocessableContent)
            #expect(try errorFields(tooMany) == ["photo": "too_many"])
            let notAForm = try await client.execute(uri: uri, method: .post, headers: bearer(filed.tracking_token), body: ByteBuffer(string: "{}"))
            #expect(notAForm.status == .unsupportedMediaType)
            let one = try await postForm(client, uri, [try .photo("metro_gps.jpg")], headers: bearer(filed.tracking_token))
            #expect(try decode(ComplaintView.self, one).photos.count == 5)
        }
    }

    @Test("who may fetch which copy: the public sees public copies of public complaints only")
    func whoMayFetch() async throws {
        try await withAPI(now: { Self.filedAt }) { client, store in
            let staff = try await StaffFixture.make(store)
            // Filed in Metro (PUPR-1872): the fixture's triage and officer desks (PUPR-1871) may not see it.
            let open = try await fileWithPhotos(
                client, SubmitComplaintRequest(category: "sampah", description: "Sampah menumpuk di pasar.", visibility: "public"),
                photos: ["metro_gps.jpg"])
            let closed = try await fileWithPhotos(client, roadWithoutLocation, photos: ["metro_gps.jpg"])
            #expect(closed.visibility == "private")
            func status(_ complaint: SubmittedComplaint, _ size: String?, _ token: String?) async throws -> HTTPResponse.Status {
                let uri = complaint.photos[0].url + (size.map { "?size=\($0)" } ?? "")
                return try await client.execute(uri: uri, method: .get, headers: token.map(bearer) ?? [:]).status
            }
            for size in [nil, "thumb"] {
                #expect(try await status(open, size, nil) == .ok)
                #expect(try await status(closed, size, nil) == .notFound)
                #expect(try await status(closed, size, closed.tracking_token) == .ok)
                #expect(try await status(closed, size, staff.tokens[.supervisor]) == .ok)
                #expect(try await status(closed, size, staff.tokens[.officer]) == .notFound)
            }
            #expect(try await status(open, "original", nil) == .unauthorized)
            #expect(try await status(open, "original", open.tracking_token) == .ok)
            #expect(try await status(open, "original", closed.tracking_token) == .unauthorized)
            #expect(try await status(open, "original", staff.tokens[.admin]) == .ok)
            #expect(try await status(open, "original", staff.tokens[.triage]) == .notFound)
            // What anyone may fetch, anyone gets, whatever token comes with it.
            #expect(try await status(open, nil, staff.tokens[.triage]) == .ok)
            #expect(try await status(open, "thumb", "not-a-token") == .ok)
            let head = try await client.execute(uri: open.photos[0].url, method: .head)
            let get = try await client.execute(uri: open.photos[0].url, method: .get)
            #expect(head.status == .ok && head.headers[.contentLength] == String(get.body.readableBytes))
            #expect(try await status(closed, "original", nil) == .notFound)
            #expect(try await status(closed, "original", staff.tokens[.supervisor]) == .ok)
            #expect(try await status(open, "huge", nil) == .badRequest)
            #expect(try await client.execute(uri: "/v1/complaints/\(open.ticket)/photos/999999", method: .get).status == .notFound)
            // Another complaint's photo id under this ticket is not this complaint's photo.
            #expect(try await client.execute(uri: "/v1/complaints/\(open.ticket)/photos/\(closed.photos[0].id)", method: .get).status == .notFound)

            // Caching: public copies of public complaints are immutable; everything else is never stored.
            let cached = try await client.execute(uri: open.photos[0].url, method: .get)
            #expect(cached.headers[.cacheControl] == "public, max-age=31536000, immutable")
            let etag = try #require(cached.headers[.eTag])
            let again = try await client.execute(uri: open.photos[0].url, method: .get, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            let private_ = try await client.execute(uri: closed.photos[0].url, method: .get, headers: bearer(closed.tracking_token))
            #expect(private_.headers[.cacheControl] == "private, no-store")
            let original = try await client.execute(uri: open.photos[0].url + "?size=original", method: .get, headers: bearer(open.tracking_token))
            #expect(original.headers[.cacheControl] == "private, no-store")
        }
    }
}
