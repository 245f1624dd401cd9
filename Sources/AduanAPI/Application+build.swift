import AduanCore
import AduanPhotos
import AduanReport
import AduanServices
import AduanStore
import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import ServiceLifecycle

/// Builds the router with every route and middleware; the one seam used by `aduan-server` and by the tests. Fails when
/// libvips cannot start or the photo directory cannot be made.
public func buildRouter(
    config: ServerConfig, store: Store, catalog: LiveCatalog, logger: Logger = Logger(label: "aduan"),
    metrics: AppMetrics = AppMetrics(), now: @escaping @Sendable () -> Date = Date.init
) throws -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
    store.observeSubmissionBatches { metrics.batch(size: $0) }
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.add(middleware: ClientAddressMiddleware(trustedProxies: config.trustedProxies))
    let limiter = RateLimiter(limits: config.rateLimits, now: now)
    router.add(middleware: RateLimitMiddleware(limiter: limiter))
    HealthController(store: store, catalog: catalog, minFreeDiskBytes: config.readyMinFreeDiskBytes).addRoutes(to: router)
    OpenAPIController().addRoutes(to: router)
    let v1 = router.group("v1")
    let library = try PhotoLibrary(directory: config.photoDirectory(besideDatabase: store.path))
    let photoIntake = PhotoIntake(
        processor: try PhotoProcessor(limits: config.photoLimits), library: library,
        limiter: WorkLimiter(concurrency: config.photoWorkers, waiting: config.photoQueue),
        budget: ByteBudget(limit: config.photoMemoryBudget),
        timeZone: catalog.current.calendar.timeZone)
    let evidenceChecks = EvidenceChecks(maxDistance: config.evidenceMaxDistance)
    MetricsController(metrics: metrics, store: store, catalog: catalog, photoIntake: photoIntake, allowed: config.metricsAllowed)
        .addRoutes(to: router)
    let key = try SealingKey.load(path: config.secretKeyPath(besideDatabase: store.path), create: true)
    let idempotencyKeys = IdempotencyKeyHasher(key)
    let sessions = CitizenSessions(store: store, rules: config.signIn, now: now)
    // The feed's and similar's routes come first: `complaints/similar` must not be taken for a ticket.
    NeighbourhoodController(
        store: store, catalog: catalog, sessions: sessions, similarRadius: config.similarRadius, similarDays: config.similarDays, now: now
    ).addRoutes(to: v1)
    ComplaintsController(
        store: store, catalog: catalog, maxBodyBytes: config.maxBodyBytes, photoIntake: photoIntake, evidenceChecks: evidenceChecks,
        sessions: sessions, idempotencyKeys: idempotencyKeys, identitySeal: IdentitySeal(key),
        reporterCommentsPerDay: config.reporterCommentsPerDay, now: now
    ).addRoutes(to: v1)
    PhotosController(store: store, catalog: catalog, library: library, sessions: sessions).addRoutes(to: v1)
    CatalogController(catalog: catalog).addRoutes(to: v1)
    let staffAuthenticator = StaffAuthenticator<AppRequestContext>(store: store, tokenLifetime: config.staffTokenLifetime, now: now)
    StaffController(
        store: store, authenticator: staffAuthenticator, catalog: catalog, maxBodyBytes: config.maxBodyBytes, photoIntake: photoIntake,
        evidenceChecks: evidenceChecks,
        similarRadius: config.similarRadius, similarDays: config.similarDays, now: now
    ).addRoutes(to: v1)
    SignInController(
        store: store, catalog: catalog, sessions: sessions,
        sender: SignInCodeSender(
            gateway: try config.dispatcherSettings().gateway, timeout: config.dispatcher.requestTimeout, logger: logger, now: now),
        codes: KeyedHasher(key, purpose: "sign-in code"), clients: KeyedHasher(key, purpose: "client address"),
        maxBodyBytes: config.maxBodyBytes, now: now
    ).addRoutes(to: v1)
    MeController(store: store, catalog: catalog, sessions: sessions, maxBodyBytes: config.maxBodyBytes).addRoutes(to: v1)
    ReportsController(
        store: store, authenticator: staffAuthenticator, catalog: catalog, complianceTarget: config.reportComplianceTarget,
        runs: SingleFlight(), rakorRuns: SingleFlight(), now: now
    ).addRoutes(to: v1)
    Open311Controller(
        store: store, catalog: catalog, settings: config.open311, maxBodyBytes: config.maxBodyBytes, photoIntake: photoIntake,
        mediaFetcher: MediaFetcher(allowPrivate: config.dispatcher.allowPrivateAddresses, maxBytes: config.photoLimits.maxBytes),
        evidenceChecks: evidenceChecks, idempotencyKeys: idempotencyKeys, identitySeal: IdentitySeal(key), limiter: limiter,
        now: now
    ).addRoutes(to: router)
    return router
}

/// Builds the application: the router served on the configured address, with the background services. Fails also when
/// the key file cannot be used or the messaging gateway is half configured.
public func buildApplication(
    config: ServerConfig, store: Store, catalog: LiveCatalog, logger: Logger, metrics: AppMetrics = AppMetrics(),
    now: @escaping @Sendable () -> Date = Date.init,
    onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    var services: [any Service] = [
        CalendarRefresher(store: store, catalog: catalog, interval: .seconds(config.calendarRefreshInterval), logger: logger),
        PhotoSweeper(
            store: store, library: try PhotoLibrary(directory: config.photoDirectory(besideDatabase: store.path)),
            logger: logger),
        Housekeeping(store: store, logger: logger, now: now),
    ]
    if store.checkpointsInBackground { services.append(Checkpointer(store: store, logger: logger)) }
    let settings = try config.dispatcherSettings()
    if config.dispatch {
        services.append(
            Dispatcher(
                store: store, catalog: catalog,
                key: try SealingKey.load(path: config.secretKeyPath(besideDatabase: store.path), create: true), settings: settings,
                logger: logger, now: now))
    }
    if config.slaCheckInterval > 0 {
        services.append(
            SLAMonitor(store: store, catalog: catalog, interval: .seconds(config.slaCheckInterval), now: now, logger: logger) {
                metrics.slaPass($0, duration: $1)
            })
    }
    let connections = ConnectionCount(limit: config.maxConnections)
    return Application(
        router: try buildRouter(config: config, store: store, catalog: catalog, logger: logger, metrics: metrics, now: now),
        server: .http1(
            configuration: .init(
                additionalChannelHandlers: [
                    ConnectionCap(count: connections),
                    RequestReadDeadline(timeout: .seconds(Int64(config.readTimeout)), limit: .seconds(Int64(config.requestTimeLimit))),
                    ExpectContinueHandler(),
                ],
                idleTimeout: .seconds(Int64(config.idleTimeout)))),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "aduan"),
        services: services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? config.port) },
        logger: logger)
}
