import AduanStore
import Hummingbird

/// Liveness and readiness for systemd, load balancers and monitors.
struct HealthController<Context: RequestContext> {
    let store: Store

    func addRoutes(to router: Router<Context>) {
        // Liveness: the process answers. Kept free of I/O so that it measures the server itself.
        router.get("healthz") { _, _ in try Response.json(HealthStatus(status: "ok")) }
        router.get("readyz") { _, _ in
            do {
                try await self.store.ping()
            } catch {
                throw Problem(.notReady)
            }
            return try Response.json(HealthStatus(status: "ready"))
        }
    }
}
