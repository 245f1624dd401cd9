import AduanAPI
import AduanCore
import AduanServices
import AduanStore
import Foundation
import Testing

@Suite("Server configuration")
struct ServerConfigTests {
    @Test("defaults, then the file, then the environment: later wins")
    func precedence() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("aduan-\(UUID().uuidString).conf")
        try "# comment\nport = 9000\nhost = 0.0.0.0   # all interfaces\ndurability = normal\n".write(
            to: file, atomically: true, encoding: .utf8)
        var config = ServerConfig()
        #expect(config.port == 8080 && config.databasePath == "./data/aduan.sqlite" && config.durability == .full)
        try config.apply(file: file.path)
        #expect(config.port == 9000 && config.host == "0.0.0.0" && config.durability == .normal)
        try config.apply(environment: ["ADUAN_PORT": "9100", "ADUAN_DB": "/var/lib/aduan/aduan.sqlite"])
        #expect(config.port == 9100 && config.databasePath == "/var/lib/aduan/aduan.sqlite" && config.host == "0.0.0.0")
        // PostgreSQL instead of the file: chosen by the URL; empty goes back to the file.
        #expect(config.databaseURL == nil)
        try config.apply(environment: ["ADUAN_DATABASE_URL": "postgres://aduan@db.internal/aduan", "ADUAN_DATABASE_POOL_SIZE": "40"])
        #expect(config.databaseURL == "postgres://aduan@db.internal/aduan" && config.databasePoolSize == 40 && config.databaseTimeout == 5)
        try config.set("database_url", "", source: "test")
        #expect(config.databaseURL == nil)
    }

    @Test(
        "a bad value names its source and key",
        arguments: [
            ("port", "http"), ("durability", "sometimes"), ("max_body_bytes", "10"), ("colour", "blue"),
            ("sla_check_interval", "-1"), ("sla_check_interval", "1m"), ("calendar_refresh_interval", "0"),
            ("calendar_refresh_interval", "61"), ("webhook_retry_delays", "5s,,1m"), ("webhook_allow_private", "yes"),
            ("messaging_gateway_secret", "abc"), ("messaging_gateway_url", "ftp://sms"), ("webhook_timeout", "0"), ("dispatch", "maybe"),
            ("citizen_token_days", "0"), ("otp_resend_seconds", "-5"), ("otp_per_phone_per_hour", "0"), ("otp_per_client_per_hour", "x"),
            ("similar_radius_m", "5"), ("similar_days", "400"), ("open311_jurisdiction", "lampung prov"), ("public_url", "aduan.example"),
            ("public_url", "ftp://aduan.example"), ("open311_contact", ""), ("ready_min_free_mb", "-1"),
            ("database_url", "mysql://aduan@db/aduan"), ("database_url", "/var/lib/aduan/aduan.sqlite"), ("database_pool_size", "0"),
            ("database_timeout", "0"), ("database_timeout", "601"),
        ])
    func invalid(_ key: String, _ value: String) throws {
        var config = ServerConfig()
        let error = try #require(throws: ServerConfig.Invalid.self) { try config.set(key, value, source: "test") }
        #expect(error.source == "test")
        #expect(error.key == key)
        #expect(error.description.hasPrefix("test: \(key): "), "\(error)")
        #expect(config == ServerConfig(), "a refused value changes nothing")
    }

    @Test("Open311: the jurisdiction (lampungprov.go.id unless set), the contact and the public address")
    func open311Settings() throws {
        var config = ServerConfig()
        #expect(config.open311.jurisdiction == "lampungprov.go.id" && config.open311.publicURL == nil)
        try config.apply(environment: [
            "ADUAN_OPEN311_JURISDICTION": "lampung.example", "ADUAN_PUBLIC_URL": "https://aduan.lampungprov.go.id/",
            "ADUAN_OPEN311_CONTACT": "Diskominfotik",
        ])
        #expect(config.open311.jurisdiction == "lampung.example")
        #expect(config.open311.publicURL == "https://aduan.lampungprov.go.id")
        #expect(config.open311.contact == "Diskominfotik")
    }

    @Test("webhook settings: retry waits, private addresses, the dispatcher switch; a gateway needs its URL and its secret")
    func webhookSettings() throws {
        var config = ServerConfig()
        try config.apply(environment: [
            "ADUAN_WEBHOOK_RETRY_DELAYS": "1s,2m", "ADUAN_WEBHOOK_ALLOW_PRIVATE": "true", "ADUAN_DISPATCH": "false",
            "ADUAN_MESSAGING_GATEWAY_URL": "https://sms.lampungprov.go.id/aduan",
        ])
        #expect(config.dispatcher.policy.retryDelays == [1, 120] && config.dispatcher.allowPrivateAddresses && !config.dispatch)
        #expect(throws: ServerConfig.Invalid.self) { try config.dispatcherSettings() }
        let secret = WebhookSecret.generate()
        try config.set("messaging_gateway_secret", secret.encoded, source: "test")
        #expect(try config.dispatcherSettings().gateway == MessagingGateway(url: "https://sms.lampungprov.go.id/aduan", secret: secret))
    }

    @Test("citizens' settings: sign-in limits, the token's life, and what counts as similar")
    func citizenSettings() throws {
        var config = ServerConfig()
        try config.apply(environment: [
            "ADUAN_CITIZEN_TOKEN_DAYS": "7", "ADUAN_OTP_RESEND_SECONDS": "30", "ADUAN_OTP_PER_PHONE_PER_HOUR": "3",
            "ADUAN_OTP_PER_CLIENT_PER_HOUR": "50", "ADUAN_SIMILAR_RADIUS_M": "400", "ADUAN_SIMILAR_DAYS": "14",
        ])
        #expect(config.signIn.tokenLifetime == 7 * 86_400 && config.signIn.resendInterval == 30)
        #expect(config.signIn.perPhonePerHour == 3 && config.signIn.perClientPerHour == 50)
        #expect(config.similarRadius == 400 && config.similarDays == 14)
    }

    @Test("a bad value in a file names the file and line; in the environment, the variable")
    func invalidSources() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("aduan-\(UUID().uuidString).conf")
        try "# comment\nport = 9000\n\ndurability = sometimes\n".write(to: file, atomically: true, encoding: .utf8)
        var config = ServerConfig()
        let fromFile = try #require(throws: ServerConfig.Invalid.self) { try config.apply(file: file.path) }
        #expect(fromFile.source == "\(file.path):4")
        #expect(fromFile.key == "durability")
        let fromEnvironment = try #require(throws: ServerConfig.Invalid.self) {
            try config.apply(environment: ["ADUAN_MAX_BODY_BYTES": "12"])
        }
        #expect(fromEnvironment.source == "environment ADUAN_MAX_BODY_BYTES")
        #expect(fromEnvironment.key == "max_body_bytes")
    }
}

@Suite("The shipped example config")
struct ExampleConfigTests {
    @Test("config/aduan-server.example.conf loads and states the defaults")
    func exampleLoads() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../config/aduan-server.example.conf").standardized.path
        var config = ServerConfig()
        try config.apply(file: file)
        #expect(config == ServerConfig())
    }
}
