import AduanCore
import AduanServices
import AduanStore
import Foundation
import Hummingbird

extension Open311Controller {
    /// The most `media_url`s kept per request.
    static var maxMediaURLs: Int { 5 }

    /// `POST requests`: files a complaint through the same intake, routing, clocks and durability as `/v1`, for the API
    /// key's app. The 201 comes after the commit, with the ticket as `service_request_id` and a token for `tokens/`.
    @Sendable func create(_ request: Request, context: Context) async throws -> Response {
        let (format, _) = try self.begin(request, context)
        let idempotencyKey = try request.headers[.idempotencyKey].map { raw in
            guard let key = self.idempotencyKeys.key(raw) else {
                throw Open311Error.badRequest("Idempotency-Key: 16 to 255 visible characters")
            }
            return key
        }
        var (parameters, photos) = try await self.form(request)
        try self.checkJurisdiction(parameters)
        guard let key = try await self.writingAPIKey(parameters) else {
            throw Open311Error(.forbidden, "api_key is required to file a request")
        }
        let catalog = self.catalog.current
        let input = try self.input(parameters, catalog)
        let links = try self.mediaURLs(parameters)
        let client = FilingClient(
            apiKeyID: key.id, apiKeyName: key.name, token: Secrets.base64URL(Secrets.randomBytes(16)),
            email: try self.text(parameters, "email", max: 254, check: { $0.contains("@") && !$0.contains(" ") }),
            deviceID: try self.text(parameters, parameters["device_id"] != nil ? "device_id" : "deviceid", max: 200),
            accountID: try self.text(parameters, "account_id", max: 200), mediaURL: links?.joined(separator: "\n"))
        if photos.isEmpty, let links {
            // A submission refused anyway costs no fetch.
            let early = Intake(catalog: catalog).problemsPhotosCannotFix(input, photoCount: links.count, now: self.now())
            guard early.isEmpty else { throw Problem(.validationFailed, fieldErrors: early) }
            photos = try await self.fetchPhotos(links, required: catalog.category(input.category ?? "")?.photoRequired == true)
        }
        let filing: Filing
        switch Intake(catalog: catalog, identitySeal: self.identitySeal).file(
            input, photos: photos, idempotencyKey: idempotencyKey, client: client, now: self.now())
        {
        case .success(let admitted): filing = admitted
        case .failure(let failure): throw Problem(.validationFailed, fieldErrors: failure.errors)
        }
        let complaint: Complaint
        let token: String?
        do {
            switch try await self.store.file(filing) {
            case .created(let stored): (complaint, token) = (stored, client.token)
            // A replay answers with the first filing's token.
            case .replayed(let stored, _): (complaint, token) = (stored, try await self.store.filingClient(complaintID: stored.id)?.token)
            }
        } catch StoreError.idempotencyKeyReused {
            throw Open311Error.badRequest("Idempotency-Key was used for another request")
        }
        var fields: [(String, Open311Node)] = [
            ("service_request_id", .text(complaint.ticket.rawValue)),
            ("token", .text(token)),
            ("service_notice", .text(self.presenter(request).notice(complaint))),
        ]
        if let account = client.accountID { fields.append(("account_id", .text(account))) }
        return Open311Node.list(item: "request", [.object(fields)]).response(
            root: "service_requests", format, status: .created,
            headers: [.location: "/open311/v2/requests/\(complaint.ticket.rawValue).\(format.rawValue)"])
    }

    /// The query's parameters and the form's, and the form's files (any part with a file name: the draft spec's
    /// `media`, FixMyStreet's `photo1`...), processed and stored as the reporter's photos unless `photos` is false (then
    /// they are ignored).
    func form(_ request: Request, photos: Bool = true) async throws -> (Open311Parameters, [ProcessedPhoto]) {
        let query = try Open311Parameters(query: request)
        guard MultipartForm.isMultipart(request) else {
            var parameters = query
            let type = request.headers[.contentType]?.lowercased() ?? ""
            guard type.isEmpty || type.hasPrefix("application/x-www-form-urlencoded") else {
                throw Open311Error.badRequest("send application/x-www-form-urlencoded or multipart/form-data")
            }
            let body = try await request.collectBody(limit: self.maxBodyBytes)
            try parameters.append(urlEncoded: String(decoding: body.readableBytesView, as: UTF8.self))
            return (parameters, [])
        }
        return try await self.photoIntake.withForm(request, known: nil) { parts in
            var parameters = query
            for part in parts where part.filename == nil {
                parameters.append(part.name ?? "", String(decoding: part.body.readableBytesView, as: UTF8.self))
            }
            return (parameters, photos ? try await self.photoIntake.accept(parts.filter { $0.filename != nil }) : [])
        }
    }

    /// The submission in intake's terms. The place is `lat` and `long`; else `address_id`, a region code; else the
    /// kecamatan (or desa) that `address_string` names.
    func input(_ parameters: Open311Parameters, _ catalog: Catalog) throws -> SubmissionInput {
        var input = SubmissionInput(
            category: parameters["service_code"], description: parameters["description"], address: parameters["address_string"])
        if parameters["lat"] != nil || parameters["long"] != nil {
            func coordinate(_ name: String) throws -> Double? {
                try parameters[name].map { raw in
                    guard let value = Double(raw), value.isFinite else { throw Open311Error.badRequest("\(name): not a number") }
                    return value
                }
            }
            input.location = (try coordinate("lat"), try coordinate("long"))
        } else if let id = parameters["address_id"], id.allSatisfy({ $0.isNumber || $0 == "." }) {
            input.region = id
        } else if let address = input.address {
            guard let region = catalog.region(namedIn: address) else {
                throw Open311Error.badRequest(
                    "address_string: no single kecamatan is named in it; send lat and long, or address_id (a region code)")
            }
            input.region = region.rawValue
        }
        let name = [parameters["first_name"], parameters["last_name"]].compactMap { $0 }.joined(separator: " ")
        input.reporterName = name.isEmpty ? nil : name
        input.reporterPhone = parameters["phone"]
        input.attributes = parameters.attributes
        return input
    }

    /// An optional free-text parameter, refused when too long, with control characters, or failing `check`.
    func text(_ parameters: Open311Parameters, _ name: String, max: Int, check: (String) -> Bool = { _ in true }) throws -> String? {
        guard let value = parameters[name] else { return nil }
        guard value.count <= max, Intake.forbiddenCharacters(in: value, allowNewlines: false) == nil, check(value) else {
            throw Open311Error.badRequest("\(name): not valid (at most \(max) characters)")
        }
        return value
    }

    /// The photos the client hosts elsewhere (`media_url`, repeated by FixMyStreet for several): http(s) links, kept
    /// for staff to open.
    func mediaURLs(_ parameters: Open311Parameters) throws -> [String]? {
        let urls = parameters.all("media_url").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !urls.isEmpty else { return nil }
        guard urls.count <= Self.maxMediaURLs else { throw Open311Error.badRequest("media_url: at most \(Self.maxMediaURLs)") }
        for url in urls {
            guard url.count <= 390, ReceiverAddress.host(of: url) != nil else {
                throw Open311Error.badRequest("media_url: an http or https link of at most 390 characters")
            }
        }
        return urls
    }

    /// The linked photos, fetched and processed as uploaded ones are, so that they are kept with the complaint. A link
    /// that gives no photo is left as a link; only when the category requires a photo and none came is it refused.
    func fetchPhotos(_ links: [String], required: Bool) async throws -> [ProcessedPhoto] {
        var photos: [ProcessedPhoto] = []
        var failures: [String] = []
        for link in links.prefix(self.photoIntake.limits.maxCount) {
            do {
                let body = try await self.mediaFetcher.fetch(link)
                photos += try await self.photoIntake.accept([FormPart(name: "photo", filename: link, body: body)])
            } catch let failure as MediaFetcher.Failure {
                failures.append(failure.description)
            } catch let problem as Problem where problem.kind == .validationFailed {
                failures.append("\(link): \(problem.fieldErrors.map(\.code.rawValue).joined(separator: ", "))")
            }
        }
        if required && photos.isEmpty, let first = failures.first {
            throw Open311Error.badRequest("media_url: this service needs a photo, and none could be fetched (\(first))")
        }
        return photos
    }
}
