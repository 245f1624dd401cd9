import AduanCore
import AduanServices
import AduanStore
import Foundation
import Hummingbird

/// Open311 GeoReport v2 under `/open311/v2`, in XML and JSON by the path's suffix, for the civic apps that already
/// speak it (FixMyStreet, city CRMs). Reading is open to all, as the public view is; filing needs an API key.
struct Open311Controller<Context: RequestContext> {
    let store: Store
    let catalog: LiveCatalog
    let settings: Open311Settings
    let maxBodyBytes: Int
    let photoIntake: PhotoIntake
    let mediaFetcher: MediaFetcher
    let evidenceChecks: EvidenceChecks
    let idempotencyKeys: IdempotencyKeyHasher
    let identitySeal: IdentitySeal
    /// Limits each API key's writes as a token, wherever its requests come from.
    let limiter: RateLimiter
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<Context>) {
        let group = router.group("open311/v2")
        group.get("discovery.{format}", use: self.discovery)
        group.get("services.{format}", use: self.services)
        group.get("services/{file}", use: self.serviceDefinition)
        group.get("requests.{format}", use: self.requests)
        group.post("requests.{format}", use: self.create)
        group.get("requests/{file}", use: self.request)
        group.get("tokens/{file}", use: self.token)
        group.get("servicerequestupdates.{format}", use: self.updates)
        group.post("servicerequestupdates.{format}", use: self.postUpdate)
    }

    // MARK: - Discovery and services

    @Sendable func discovery(_ request: Request, context: Context) async throws -> Response {
        let (format, _) = try self.begin(request, context)
        let base = self.baseURL(request) + "/open311/v2"
        let endpoint = Open311Node.object([
            ("specification", .text("http://wiki.open311.org/GeoReport_v2")),
            ("url", .text(base)),
            ("changeset", .text(Self.changeset)),
            ("type", .text("production")),
            ("formats", .list(item: "format", [.text("text/xml"), .text("application/json")])),
        ])
        return Open311Node.object([
            ("changeset", .text(Self.changeset)),
            ("contact", .text(self.settings.contact)),
            ("key_service", .text(self.settings.keyService)),
            ("endpoints", .list(item: "endpoint", [endpoint])),
        ]).response(root: "discovery", format)
    }

    /// When this server's Open311 interface last changed shape.
    static var changeset: String { "2026-12-06T00:00:00+07:00" }

    @Sendable func services(_ request: Request, context: Context) async throws -> Response {
        let (format, _) = try self.begin(request, context)
        let presenter = self.presenter(request)
        return Open311Node.list(item: "service", self.catalog.current.categories.map(presenter.service)).response(root: "services", format)
    }

    @Sendable func serviceDefinition(_ request: Request, context: Context) async throws -> Response {
        let (format, code) = try self.begin(request, context, file: "file")
        guard let category = self.catalog.current.category(code) else {
            throw Open311Error(.notFound, "service_code \(code) not found")
        }
        return self.presenter(request).definition(category).response(root: "service_definition", format)
    }

    @Sendable func token(_ request: Request, context: Context) async throws -> Response {
        let (format, token) = try self.begin(request, context, file: "file")
        guard let ticket = try await self.store.ticket(open311Token: token) else {
            throw Open311Error(.notFound, "token \(token) not found")
        }
        return Open311Node.list(
            item: "request", [.object([("service_request_id", .text(ticket.rawValue)), ("token", .text(token))])]
        ).response(root: "service_requests", format)
    }

    // MARK: - Shared steps

    /// The format from the path, after the checks every endpoint makes: the jurisdiction. With `file`, also the
    /// path parameter without its suffix (`requests/2612-00001.json` → `2612-00001`).
    func begin(_ request: Request, _ context: Context, file: String? = nil) throws -> (Open311Format, String) {
        try self.checkJurisdiction(try Open311Parameters(query: request))
        if let file {
            let raw = try context.parameters.require(file)
            for format in [Open311Format.xml, .json] where raw.hasSuffix(".\(format.rawValue)") {
                return (format, String(raw.dropLast(format.rawValue.count + 1)))
            }
            throw Open311Error(.notFound, "add .xml or .json to \(raw)")
        }
        guard let format = Open311Format(rawValue: try context.parameters.require("format")) else {
            throw Open311Error(.notFound, "formats are xml and json")
        }
        return (format, "")
    }

    /// This server answers for one jurisdiction: its own id, or none, is accepted.
    func checkJurisdiction(_ parameters: Open311Parameters) throws {
        if let given = parameters["jurisdiction_id"], given != self.settings.jurisdiction {
            throw Open311Error(.notFound, "jurisdiction_id \(given) is not served here (\(self.settings.jurisdiction))")
        }
    }

    /// The API key named by `api_key`: nil when none is given (an empty one counts as none, as FixMyStreet sends it
    /// on every read); a key given and not valid is refused.
    func apiKey(_ parameters: Open311Parameters) async throws -> (id: Int64, name: String)? {
        guard let key = parameters["api_key"] else { return nil }
        guard let found = try await self.store.apiKey(hash: Secrets.sha256Hex(key)) else {
            throw Open311Error(.forbidden, "api_key is not valid")
        }
        return found
    }

    /// The API key of a write, which is also rate limited as a token (an app files for all its users from one place).
    func writingAPIKey(_ parameters: Open311Parameters) async throws -> (id: Int64, name: String)? {
        guard let key = try await self.apiKey(parameters) else { return nil }
        try self.limiter.check(.open311, client: "api-key:\(key.id)")
        return key
    }

    func presenter(_ request: Request) -> Open311Presenter {
        Open311Presenter(presenter: Presenter(catalog: self.catalog.current), language: Language(request), baseURL: self.baseURL(request))
    }

    /// The configured public address, or the one the client used.
    func baseURL(_ request: Request) -> String {
        if let configured = self.settings.publicURL { return configured }
        return "http://" + (request.head.authority ?? "localhost")
    }
}

/// What the Open311 interface says about this deployment (`ServerConfig`).
public struct Open311Settings: Sendable, Equatable {
    /// The single jurisdiction this server answers for.
    public var jurisdiction = "lampungprov.go.id"
    /// Where this server is reached from outside (`https://aduan.lampungprov.go.id`), for absolute URLs; without it,
    /// the Host the client used.
    public var publicURL: String? = nil
    public var contact = "Diskominfotik Provinsi Lampung"
    /// Where a civic app asks for an API key.
    public var keyService = "Hubungi operator Aduan (aduan-admin apikeys add)"

    public init() {}
}
