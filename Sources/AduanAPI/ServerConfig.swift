import AduanCore
import AduanServices
import AduanStore
import Foundation

/// The server's settings, read at start-up from defaults, a config file, the environment and flags (later wins).
public struct ServerConfig: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// The SQLite file; with `databaseURL`, where the files kept beside the database go (photos, the key).
    public var databasePath = "./data/aduan.sqlite"
    /// A PostgreSQL server instead of the SQLite file (`ServerConfig+Database.swift`), with its pool's size and the
    /// deadline on every use of it (seconds).
    public var databaseURL: String?
    public var databasePoolSize = 20
    public var databaseTimeout = 5
    /// A catalog directory to use instead of the bundled Lampung catalog.
    public var catalogDirectory: String?
    public var maxBodyBytes = 1 << 20
    public var durability = Durability.full
    public var logLevel = "info"
    public var logFormat = LogFormat.text
    /// Seconds between two passes of the SLA monitor; 0 turns it off (for a second server on the same file).
    public var slaCheckInterval = 60
    /// Seconds between two looks for operators' calendar changes (aduan-admin calendar add|remove).
    public var calendarRefreshInterval = 30
    /// The share of complaints answered within SLA the province expects of each office: the report charts' line.
    public var reportComplianceTarget = 0.9
    /// Where photo files go; by default `photos/` beside the database file.
    public var photoDirectory: String?
    public var photoLimits = PhotoLimits()
    /// Photos processed at once (each on its own thread, off the event loops), and uploads that may wait for a turn.
    public var photoWorkers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    public var photoQueue = 32
    /// Bytes of photo forms held in memory at once, counted when a form arrives; beyond it, 503 with Retry-After.
    public var photoMemoryBudget = 256 << 20
    /// How far from the complaint an after-photo may be taken before it is flagged (metres).
    public var evidenceMaxDistance = 200.0
    /// The key that seals secrets the server must use again (webhook signing keys); by default `aduan.key` beside the
    /// database file, made on first start.
    public var secretKeyFile: String?
    /// Webhooks and the reporters' messages: retries, timeouts, private addresses, the messaging gateway.
    public var dispatcher = DispatcherSettings()
    /// Whether this server sends what the outbox announces; off for a second server on the same file, which would
    /// otherwise send every delivery twice.
    public var dispatch = true
    /// Citizens' sign-in: codes' rate limits and how long a token lasts unused.
    public var signIn = SignInRules()
    /// Similar complaints: how near (metres) and how recent (days).
    public var similarRadius = 250.0
    public var similarDays = 30
    /// `/readyz` fails below this much free disk beside the database (bytes; `ready_min_free_mb`).
    public var readyMinFreeDiskBytes: Int64 = 100 << 20
    /// Open311 GeoReport v2: the jurisdiction served and how this server is named outside.
    public var open311 = Open311Settings()
    /// Public writes allowed per client address (and per token) per minute (`ServerConfig+Limits.swift`).
    public var rateLimits = RateLimits()
    /// Reverse proxies whose `X-Forwarded-For` names the client: by default a proxy on this machine (nginx in front,
    /// the usual install), so that its clients are not all one client "127.0.0.1" to the rate limits.
    public var trustedProxies = NetworkList(parsing: "127.0.0.1, ::1")!
    /// Who may read `/metrics`: loopback by default (a scraper on the machine, or one reached through a tunnel).
    public var metricsAllowed = NetworkList(parsing: "127.0.0.1, ::1")!
    /// Seconds a connection may sit without a request (or with a request head that never completes).
    public var idleTimeout = 60
    /// Seconds a request's body may stall between two reads, and seconds from its head to its end at most; a client
    /// beyond either is cut off.
    public var readTimeout = 30
    public var requestTimeLimit = 600
    /// Connections held at once; one more gets 503 and is closed.
    public var maxConnections = 4096
    /// How long a staff token works after it was issued (`staff_token_days`); nil (the default): until revoked.
    public var staffTokenLifetime: TimeInterval?
    /// Comments a reporter may write on one complaint in 24 hours; beyond, 429 (0: no cap).
    public var reporterCommentsPerDay = 20
    /// Filings that may wait for the next group commit; beyond, 503 with Retry-After.
    public var submissionQueue = 4096
    /// Read from the config; checked together at start-up (a gateway needs both).
    var gatewayURL: String?
    var gatewaySecret: WebhookSecret?

    public init() {}

    /// The key file in force.
    public var secretKeyPath: String { self.secretKeyPath(besideDatabase: self.databasePath) }

    /// The configured key file, or `aduan.key` beside the database file in use.
    public func secretKeyPath(besideDatabase databasePath: String) -> String {
        self.secretKeyFile ?? URL(fileURLWithPath: databasePath).deletingLastPathComponent().appendingPathComponent("aduan.key").path
    }

    /// The dispatcher's settings with the messaging gateway, or why they cannot be used.
    public func dispatcherSettings() throws -> DispatcherSettings {
        var settings = self.dispatcher
        switch (self.gatewayURL, self.gatewaySecret) {
        case (nil, nil): settings.gateway = nil
        case (let url?, let secret?): settings.gateway = MessagingGateway(url: url, secret: secret)
        case (.some, nil):
            throw Invalid(source: "config", key: "messaging_gateway_secret", message: "required with messaging_gateway_url (whsec_...)")
        case (nil, .some):
            throw Invalid(source: "config", key: "messaging_gateway_url", message: "required with messaging_gateway_secret")
        }
        return settings
    }

    /// The photo directory in force.
    public var photoDirectoryPath: String { self.photoDirectory(besideDatabase: self.databasePath).path }

    /// The configured photo directory, or `photos/` beside the database file in use.
    public func photoDirectory(besideDatabase databasePath: String) -> URL {
        URL(
            fileURLWithPath: self.photoDirectory
                ?? URL(fileURLWithPath: databasePath).deletingLastPathComponent().appendingPathComponent("photos").path,
            isDirectory: true)
    }

    /// The config file keys, each with the environment variable that overrides it.
    public static let keys: [(key: String, env: String)] = Self.baseKeys + Self.hardeningKeys + Self.databaseKeys

    static let baseKeys: [(key: String, env: String)] = [
        ("host", "ADUAN_HOST"), ("port", "ADUAN_PORT"), ("db", "ADUAN_DB"), ("catalog", "ADUAN_CATALOG"),
        ("max_body_bytes", "ADUAN_MAX_BODY_BYTES"), ("durability", "ADUAN_DURABILITY"), ("log_level", "ADUAN_LOG_LEVEL"),
        ("sla_check_interval", "ADUAN_SLA_CHECK_INTERVAL"), ("report_compliance_target", "ADUAN_REPORT_COMPLIANCE_TARGET"),
        ("calendar_refresh_interval", "ADUAN_CALENDAR_REFRESH_INTERVAL"), ("photo_dir", "ADUAN_PHOTO_DIR"),
        ("photo_max_bytes", "ADUAN_PHOTO_MAX_BYTES"), ("photo_max_pixels", "ADUAN_PHOTO_MAX_PIXELS"),
        ("photo_max_count", "ADUAN_PHOTO_MAX_COUNT"), ("photo_workers", "ADUAN_PHOTO_WORKERS"), ("photo_queue", "ADUAN_PHOTO_QUEUE"),
        ("photo_memory_budget", "ADUAN_PHOTO_MEMORY_BUDGET"),
        ("evidence_max_distance_m", "ADUAN_EVIDENCE_MAX_DISTANCE_M"), ("secret_key_file", "ADUAN_SECRET_KEY_FILE"),
        ("webhook_allow_private", "ADUAN_WEBHOOK_ALLOW_PRIVATE"), ("webhook_retry_delays", "ADUAN_WEBHOOK_RETRY_DELAYS"),
        ("webhook_timeout", "ADUAN_WEBHOOK_TIMEOUT"), ("webhook_concurrency", "ADUAN_WEBHOOK_CONCURRENCY"),
        ("webhook_disable_after_hours", "ADUAN_WEBHOOK_DISABLE_AFTER_HOURS"), ("dispatch", "ADUAN_DISPATCH"),
        ("messaging_gateway_url", "ADUAN_MESSAGING_GATEWAY_URL"), ("messaging_gateway_secret", "ADUAN_MESSAGING_GATEWAY_SECRET"),
        ("citizen_token_days", "ADUAN_CITIZEN_TOKEN_DAYS"), ("otp_resend_seconds", "ADUAN_OTP_RESEND_SECONDS"),
        ("otp_per_phone_per_hour", "ADUAN_OTP_PER_PHONE_PER_HOUR"), ("otp_per_client_per_hour", "ADUAN_OTP_PER_CLIENT_PER_HOUR"),
        ("similar_radius_m", "ADUAN_SIMILAR_RADIUS_M"), ("similar_days", "ADUAN_SIMILAR_DAYS"),
        ("open311_jurisdiction", "ADUAN_OPEN311_JURISDICTION"), ("open311_contact", "ADUAN_OPEN311_CONTACT"),
        ("public_url", "ADUAN_PUBLIC_URL"), ("ready_min_free_mb", "ADUAN_READY_MIN_FREE_MB"),
    ]

    /// A setting that cannot be used, naming where it came from.
    public struct Invalid: Error, CustomStringConvertible, Equatable {
        public let source: String
        public let key: String
        public let message: String
        public var description: String { "\(self.source): \(self.key): \(self.message)" }
    }

    /// Applies a config file in `key = value` form (`#` starts a comment).
    public mutating func apply(file path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Invalid(source: path, key: "-", message: "cannot read the file")
        }
        for (index, rawLine) in String(decoding: data, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .enumerated()
        {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            // An empty value is allowed ("catalog =" means the bundled catalog).
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw Invalid(source: "\(path):\(index + 1)", key: line, message: "expected key = value")
            }
            try self.set(parts[0], parts[1], source: "\(path):\(index + 1)")
        }
    }

    /// Applies the `ADUAN_*` environment variables.
    public mutating func apply(environment: [String: String]) throws {
        for (key, env) in Self.keys {
            if let value = environment[env] { try self.set(key, value, source: "environment \(env)") }
        }
    }

    public mutating func set(_ key: String, _ value: String, source: String) throws {
        func invalid(_ message: String) -> Invalid { Invalid(source: source, key: key, message: message) }
        switch key {
        case "host":
            guard !value.isEmpty else { throw invalid("must not be empty") }
            self.host = value
        case "port":
            guard let port = Int(value), (0...65535).contains(port) else { throw invalid("'\(value)' is not a port (0-65535)") }
            self.port = port
        case "db":
            guard !value.isEmpty else { throw invalid("must not be empty") }
            self.databasePath = value
        case "catalog":
            self.catalogDirectory = value.isEmpty ? nil : value
        case "max_body_bytes":
            guard let bytes = Int(value), bytes >= 1024 else { throw invalid("'\(value)' must be a number of bytes >= 1024") }
            self.maxBodyBytes = bytes
        case "durability":
            guard let durability = Durability(rawValue: value) else { throw invalid("'\(value)' must be full or normal") }
            self.durability = durability
        case "log_level":
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            guard levels.contains(value) else { throw invalid("'\(value)' must be one of \(levels.joined(separator: ", "))") }
            self.logLevel = value
        case "sla_check_interval":
            guard let seconds = Int(value), (0...86_400).contains(seconds) else {
                throw invalid("'\(value)' must be a number of seconds from 0 (off) to 86400")
            }
            self.slaCheckInterval = seconds
        case "calendar_refresh_interval":
            // At most a minute: operators are told that a running server picks a change up within one.
            guard let seconds = Int(value), (1...60).contains(seconds) else {
                throw invalid("'\(value)' must be a number of seconds from 1 to 60")
            }
            self.calendarRefreshInterval = seconds
        case "report_compliance_target":
            guard let percent = Double(value), (1...100).contains(percent) else {
                throw invalid("'\(value)' must be a percentage from 1 to 100")
            }
            self.reportComplianceTarget = percent / 100
        case "photo_dir":
            self.photoDirectory = value.isEmpty ? nil : value
        case "photo_max_bytes":
            guard let bytes = Int(value), (1024...(100 << 20)).contains(bytes) else {
                throw invalid("'\(value)' must be 1024-104857600 bytes")
            }
            self.photoLimits.maxBytes = bytes
        case "photo_max_pixels":
            guard let pixels = Int(value), (10_000...200_000_000).contains(pixels) else {
                throw invalid("'\(value)' must be 10000-200000000 pixels")
            }
            self.photoLimits.maxPixels = pixels
        case "photo_max_count":
            guard let count = Int(value), (1...20).contains(count) else { throw invalid("'\(value)' must be 1-20 photos") }
            self.photoLimits.maxCount = count
        case "photo_workers":
            guard let workers = Int(value), (1...64).contains(workers) else { throw invalid("'\(value)' must be 1-64") }
            self.photoWorkers = workers
        case "photo_queue":
            guard let queue = Int(value), (0...10_000).contains(queue) else { throw invalid("'\(value)' must be 0-10000") }
            self.photoQueue = queue
        case "photo_memory_budget":
            guard let bytes = Int(value), ((16 << 20)...(16 << 30)).contains(bytes) else {
                throw invalid("'\(value)' must be 16777216-17179869184 bytes")
            }
            self.photoMemoryBudget = bytes
        case "evidence_max_distance_m":
            guard let metres = Double(value), metres.isFinite, (10...100_000).contains(metres) else {
                throw invalid("'\(value)' must be 10-100000 metres")
            }
            self.evidenceMaxDistance = metres
        case "secret_key_file":
            self.secretKeyFile = value.isEmpty ? nil : value
        case "webhook_allow_private":
            guard let allow = Bool(value.lowercased()) else { throw invalid("'\(value)' must be true or false") }
            self.dispatcher.allowPrivateAddresses = allow
        case "webhook_retry_delays":
            guard let delays = DeliveryPolicy.parseDelays(value), delays.count <= 50 else {
                throw invalid("'\(value)' must be a list of waits such as 5s,30s,2m,1h (at most 50)")
            }
            self.dispatcher.policy.retryDelays = delays
        case "webhook_timeout":
            guard let seconds = Int(value), (1...60).contains(seconds) else { throw invalid("'\(value)' must be 1-60 seconds") }
            self.dispatcher.requestTimeout = .seconds(seconds)
        case "webhook_concurrency":
            guard let count = Int(value), (1...256).contains(count) else { throw invalid("'\(value)' must be 1-256") }
            self.dispatcher.concurrency = count
            self.dispatcher.perTarget = max(1, count / 4)
        case "webhook_disable_after_hours":
            guard let hours = Double(value), hours.isFinite, (1...8760).contains(hours) else {
                throw invalid("'\(value)' must be 1-8760 hours")
            }
            self.dispatcher.policy.disableAfter = hours * 3600
        case "dispatch":
            guard let dispatch = Bool(value.lowercased()) else { throw invalid("'\(value)' must be true or false") }
            self.dispatch = dispatch
        case "messaging_gateway_url":
            guard value.isEmpty || ReceiverAddress.host(of: value) != nil else { throw invalid("'\(value)' must be an http(s) URL") }
            self.gatewayURL = value.isEmpty ? nil : value
        case "messaging_gateway_secret":
            guard value.isEmpty || value.hasPrefix("whsec_"), value.isEmpty || WebhookSecret(value) != nil else {
                throw invalid("must be whsec_ followed by the base64 of 24-64 key bytes")
            }
            self.gatewaySecret = value.isEmpty ? nil : WebhookSecret(value)
        case "citizen_token_days":
            guard let days = Double(value), days.isFinite, (0.01...365).contains(days) else {
                throw invalid("'\(value)' must be 0.01-365 days")
            }
            self.signIn.tokenLifetime = days * 86_400
        case "otp_resend_seconds":
            guard let seconds = Int(value), (0...3600).contains(seconds) else { throw invalid("'\(value)' must be 0-3600 seconds") }
            self.signIn.resendInterval = TimeInterval(seconds)
        case "otp_per_phone_per_hour":
            guard let count = Int(value), (1...100).contains(count) else { throw invalid("'\(value)' must be 1-100") }
            self.signIn.perPhonePerHour = count
        case "otp_per_client_per_hour":
            guard let count = Int(value), (1...100_000).contains(count) else { throw invalid("'\(value)' must be 1-100000") }
            self.signIn.perClientPerHour = count
        case "similar_radius_m":
            guard let metres = Double(value), metres.isFinite, (10...5000).contains(metres) else {
                throw invalid("'\(value)' must be 10-5000 metres")
            }
            self.similarRadius = metres
        case "similar_days":
            guard let days = Int(value), (1...365).contains(days) else { throw invalid("'\(value)' must be 1-365 days") }
            self.similarDays = days
        case "ready_min_free_mb":
            guard let megabytes = Int64(value), (0...10_000_000).contains(megabytes) else {
                throw invalid("'\(value)' must be 0-10000000 MiB")
            }
            self.readyMinFreeDiskBytes = megabytes << 20
        case "open311_jurisdiction":
            // A domain name, as Open311 jurisdictions are (lampungprov.go.id).
            guard !value.isEmpty, value.count <= 100, value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else {
                throw invalid("'\(value)' must be a domain name such as lampungprov.go.id")
            }
            self.open311.jurisdiction = value
        case "open311_contact":
            guard !value.isEmpty, value.count <= 200 else { throw invalid("must be 1-200 characters") }
            self.open311.contact = value
        case "public_url":
            let trimmed = value.hasSuffix("/") ? String(value.dropLast()) : value
            guard let url = URL(string: trimmed), ["http", "https"].contains(url.scheme ?? ""), url.host != nil, url.query == nil else {
                throw invalid("'\(value)' must be an http(s) address such as https://aduan.lampungprov.go.id")
            }
            self.open311.publicURL = trimmed
        default:
            if try self.setHardening(key, value, source: source) { return }
            if try self.setDatabase(key, value, source: source) { return }
            throw invalid("unknown setting (known: \(Self.keys.map(\.key).joined(separator: ", ")))")
        }
    }
}
