import AduanCore
import AduanStore
import AduanWire
import Foundation
import Hummingbird

/// Liveness and readiness for systemd, load balancers and monitors.
struct HealthController<Context: RequestContext> {
    let store: Store
    let catalog: LiveCatalog
    /// Below this much free disk the server is not ready: filings would soon fail.
    let minFreeDiskBytes: Int64

    func addRoutes(to router: Router<Context>) {
        // Liveness: the process answers. Kept free of I/O so that it measures the server itself.
        router.get("healthz") { _, _ in try Response.json(HealthStatus(status: "ok")) }
        router.get("readyz") { _, _ in
            // Ready means able to take a complaint: the writer can write, and the disk has room.
            do {
                try await self.store.checkWritable()
            } catch {
                throw Problem(.notReady, context: "the database cannot be written", retryAfter: 5)
            }
            if let free = try? self.store.freeDiskBytes(), free < self.minFreeDiskBytes {
                throw Problem(
                    .notReady, context: "\(free >> 20) MiB free on the database's disk, below \(self.minFreeDiskBytes >> 20) MiB",
                    retryAfter: 30)
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
