import Logging
import ServiceLifecycle

/// The loop of a background service: a pass every `interval` until the server shuts down, optionally one at once. A
/// failing pass (a busy or failing database) is logged and the next one retries: it never stops the service.
func everyInterval(
    _ interval: Duration, passAtStart: Bool, logger: Logger, failure: String, _ pass: () async throws -> Void
) async {
    var first = passAtStart
    while !Task.isCancelled && !Task.isShuttingDownGracefully {
        if !first {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
        first = false
        do {
            try await pass()
        } catch {
            logger.error("\(failure)", metadata: ["error": "\(error)"])
        }
    }
}
