import AduanCore
import AduanStore
import AduanWire
import Foundation
import Hummingbird

/// Liveness and readiness for systemd, load balancers and monitors.
struct HealthController<Context: RequestContext> {
    let store: Store
    let catalog: LiveCatalog

    func addRoutes(to router: Router<Context>) {
        // Liveness: the process answers. Kept free of I/O so that it measures the server itself.
        router.get("healthz") { _, _ in try Response.json(HealthStatus(status: "ok")) }
        router.get("readyz") { _, _ in
            do {
                try await self.store.ping()
            } catch {
                throw Problem(.notReady)
            }
            let catalog = self.catalog.current
            return try Response.json(
                Readiness(
                    status: "ready",
                    calendar: CalendarReach(
                        reach: catalog.calendarReach?.description, version: catalog.calendarVersion,
                        days_off: catalog.holidays.count, warning: catalog.calendarCoverageWarning(now: Date()))))
        }
    }
}
