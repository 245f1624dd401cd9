import AduanCore
import AduanStore
import Foundation
import HTTPTypes
import Hummingbird

/// `GET /metrics`: Prometheus text for the operator's scraper, from the addresses in `metrics_allow` only (loopback by
/// default). Behind a trusted proxy the forwarded client is judged, so the public cannot reach it through the proxy.
struct MetricsController {
    typealias Context = AppRequestContext
    let metrics: AppMetrics
    let store: Store
    let catalog: LiveCatalog
    let photoIntake: PhotoIntake
    let allowed: NetworkList

    func addRoutes(to router: Router<Context>) {
        router.get("metrics", use: self.scrape)
    }

    @Sendable func scrape(_ request: Request, context: Context) async throws -> Response {
        guard let client = context.clientBytes, self.allowed.contains(client) else { throw Problem(.notFound) }
        let gauges = try await self.store.gauges()
        // Every office is written, so that one whose last open complaint closed drops to 0 rather than keeping its value.
        for opd in self.catalog.current.opds.keys.sorted() {
            let counts = gauges.offices[opd] ?? (0, 0, 0)
            self.metrics.gauge("aduan_open_complaints", [("opd", opd)], Double(counts.open))
            self.metrics.gauge("aduan_at_risk_complaints", [("opd", opd)], Double(counts.atRisk))
            self.metrics.gauge("aduan_breached_complaints", [("opd", opd)], Double(counts.breached))
        }
        self.metrics.gauge("aduan_outbox_pending_deliveries", [], Double(gauges.pendingDeliveries))
        self.metrics.gauge("aduan_database_bytes", [], Double(gauges.databaseBytes))
        self.metrics.gauge("aduan_queue_depth", [("queue", "submissions")], Double(gauges.submissionsWaiting))
        self.metrics.gauge("aduan_queue_depth", [("queue", "photos")], Double(await self.photoIntake.limiter.waitingCount))
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: self.metrics.render())))
    }
}
