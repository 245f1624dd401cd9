import AduanAPI
import AduanCore
import AduanStore
import ArgumentParser
import CoreMetrics
import Foundation
import Hummingbird
import Logging
import NIOCore

/// `aduan-server`: serves the Aduan API. With no arguments: 127.0.0.1:8080, ./data/aduan.sqlite, the bundled catalog.
@main
struct AduanServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aduan-server",
        abstract: "Serve the Aduan complaint API.",
        discussion: """
            Settings come from, in increasing precedence: built-in defaults, the config file (--config or ADUAN_CONFIG),
            the environment (ADUAN_HOST, ADUAN_PORT, ADUAN_DB, ADUAN_DATABASE_URL, ADUAN_CATALOG, ADUAN_MAX_BODY_BYTES,
            ADUAN_DURABILITY, ADUAN_LOG_LEVEL, ADUAN_SLA_CHECK_INTERVAL, ADUAN_CALENDAR_REFRESH_INTERVAL) and these flags. The
            database is created and migrated on first start: the SQLite file, or with --database-url a PostgreSQL
            database that several servers share.
            """)

    @Option(help: "Address to listen on (default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default 8080; 0 picks a free port).") var port: Int?
    @Option(help: "SQLite database file (default ./data/aduan.sqlite; with --database-url, photos and the key go beside it).")
    var db: String?
    @Option(help: "A PostgreSQL database instead of the SQLite file: postgres://USER@HOST[:PORT]/DATABASE[?sslmode=…].")
    var databaseURL: String?
    @Option(help: "Config file in key = value form (see config/aduan-server.example.conf).") var config: String?
    @Option(help: "Catalog directory to use instead of the bundled Lampung catalog.") var catalog: String?

    func run() async throws {
        // Photo uploads allocate and free buffers of megabytes on many threads. glibc would keep freed ones in
        // per-thread arenas (measured: 16 uploads of 3 MB at once peaked about a quarter higher); allocations from
        // 128 KiB up get their own mappings, returned to the system when freed.
        #if canImport(Glibc)
            _ = glibcMallopt(-3, 128 * 1024)  // M_MMAP_THRESHOLD
            _ = glibcMallopt(-8, 4)  // M_ARENA_MAX
        #endif
        let environment = ProcessInfo.processInfo.environment
        var settings = ServerConfig()
        do {
            if let file = self.config ?? environment["ADUAN_CONFIG"] { try settings.apply(file: file) }
            try settings.apply(environment: environment)
            if let host { try settings.set("host", host, source: "--host") }
            if let port { try settings.set("port", String(port), source: "--port") }
            if let db { try settings.set("db", db, source: "--db") }
            if let databaseURL { try settings.set("database_url", databaseURL, source: "--database-url") }
            if let catalog { try settings.set("catalog", catalog, source: "--catalog") }
        } catch let error as ServerConfig.Invalid {
            throw Fatal("invalid configuration: \(error)")
        }

        if settings.logFormat == .json { LoggingSystem.bootstrap { JSONLogHandler(label: $0) } }
        var logger = Logger(label: "aduan")
        logger.logLevel = Logger.Level(rawValue: settings.logLevel) ?? .info

        let catalog: Catalog
        let database: ServerDatabase
        do {
            let base = try CatalogLoader.load(directoryOrBundled: settings.catalogDirectory)
            database = try await ServerDatabase.open(settings, logger: logger)
            let store = database.store
            // The operators' calendar changes kept in the database (aduan-admin calendar add|remove).
            catalog = try await store.catalogInForce(base)
            // The monthly counters count the catalog's months (a database counted in another zone is recounted once).
            try await store.useCounterZone(catalog.calendar.timeZone)
            // Anonymous reporters filed before schema 9 are sealed now; afterwards this finds nothing to do.
            let sealed = try await store.sealAnonymousReporters(
                with: IdentitySeal(try SealingKey.load(path: settings.secretKeyPath, create: true)))
            if sealed > 0 { logger.notice("sealed the identities of earlier anonymous reporters", metadata: ["complaints": "\(sealed)"]) }
        } catch {
            throw Fatal("refusing to start: \(error)")
        }
        logger.info(
            "starting aduan-server",
            metadata: [
                "address": "\(settings.host):\(settings.port)", "db": "\(database.location)", "engine": "\(database.store.engineName)",
                "catalog": "\(settings.catalogDirectory ?? "bundled Lampung")", "durability": "\(settings.durability.rawValue)",
                "photos": "\(settings.photoDirectoryPath)",
                "regions": "\(catalog.regions.count)", "opds": "\(catalog.opds.count)", "rules": "\(catalog.rules.count)",
                "calendar":
                    "\(catalog.holidays.count) days off to \(catalog.calendarReach?.description ?? "-"), \(catalog.calendarVersion == 0 ? "as bundled" : "change \(catalog.calendarVersion)")",
            ])
        if let warning = catalog.calendarCoverageWarning(now: Date()) { logger.warning("\(warning)") }
        if (try? settings.dispatcherSettings().gateway) == nil {
            // Fine on a developer's machine; on a public server anyone reading the log could sign in as anyone.
            logger.warning(
                "no messaging gateway: sign-in codes and messages to reporters are written to this log (development only); set messaging_gateway_url and messaging_gateway_secret"
            )
        }
        let host = settings.host
        let metrics = AppMetrics()
        MetricsSystem.bootstrap(metrics.factory)
        let app = try Fatal.wrapping("cannot set up photos in \(settings.photoDirectoryPath)") {
            try buildApplication(
                config: settings, store: database.store, catalog: LiveCatalog(catalog), logger: logger, metrics: metrics,
                onServerRunning: { port in
                    // One machine-readable line on stdout, for scripts and tests that start the server on port 0.
                    FileHandle.standardOutput.write(Data("aduan-server listening on http://\(host):\(port)\n".utf8))
                })
        }
        do {
            try await app.runService()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            await database.close()
            throw Fatal("cannot listen on \(settings.host):\(settings.port): the address is already in use (another server?)")
        }
        await database.close()
        logger.info("aduan-server stopped")
    }
}

/// A start-up failure: one line on stderr and a non-zero exit, never a crash.
struct Fatal: Error, CustomStringConvertible {
    let description: String

    /// Runs `body`, turning its error into a one-line start-up failure that names what could not be done.
    static func wrapping<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw Fatal("\(what): \(error)") }
    }
    init(_ message: String) { self.description = message }
}

extension Fatal: LocalizedError {
    var errorDescription: String? { self.description }
}

#if canImport(Glibc)
    /// glibc's `mallopt` (malloc.h, which Swift's Glibc module does not export).
    @_silgen_name("mallopt") func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
