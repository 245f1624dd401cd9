import AduanStore
import CoreMetrics
import Foundation
import Hummingbird
import Prometheus

/// The server's metrics: swift-metrics instruments backed by one Prometheus registry, which `/metrics` renders. Each
/// application has its own registry (tests build many); `aduan-server` also makes it the process's swift-metrics
/// backend, so that libraries' metrics land in it too.
public final class AppMetrics: Sendable {
    public let factory: PrometheusMetricsFactory
    let registry: PrometheusCollectorRegistry
    /// Latency buckets for requests: from a cached read to a slow photo upload.
    static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(50),
        .milliseconds(100), .milliseconds(200), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10),
    ]

    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.latencyBuckets
        factory.valueHistogramBuckets["aduan_submission_batch_size"] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
        self.factory = factory
        self.registry = registry
    }

    /// One answered request: counted by route, method and status, and timed by route and method.
    func request(route: String, method: String, status: Int, duration: Duration) {
        Counter(
            label: "aduan_http_requests_total", dimensions: [("route", route), ("method", method), ("status", String(status))],
            factory: self.factory
        ).increment()
        CoreMetrics.Timer(
            label: "aduan_http_request_duration_seconds", dimensions: [("route", route), ("method", method)], factory: self.factory
        )
        .recordNanoseconds(duration.nanoseconds)
    }

    /// A filed complaint, by channel (`v1`, `open311`), counted when its 201 is sent.
    func submitted(channel: String) {
        Counter(label: "aduan_submissions_total", dimensions: [("channel", channel)], factory: self.factory).increment()
    }

    func batch(size: Int) {
        Recorder(label: "aduan_submission_batch_size", factory: self.factory).record(size)
    }

    /// One SLA monitor pass: how long it took, and the longest it held the write lock at once.
    func slaPass(_ outcome: Store.SweepOutcome, duration: Duration) {
        CoreMetrics.Timer(label: "aduan_sla_monitor_pass_seconds", factory: self.factory).recordNanoseconds(duration.nanoseconds)
        CoreMetrics.Timer(label: "aduan_sla_monitor_hold_seconds", factory: self.factory).recordNanoseconds(outcome.longestHold.nanoseconds)
        self.gauge("aduan_sla_monitor_last_pass_seconds", [], Double(duration.nanoseconds) / 1e9)
        self.gauge("aduan_sla_monitor_last_changed", [], Double(outcome.changed))
    }

    func gauge(_ label: String, _ dimensions: [(String, String)] = [], _ value: Double) {
        Gauge(label: label, dimensions: dimensions, factory: self.factory).record(value)
    }

    /// The Prometheus text of every metric.
    func render() -> [UInt8] { self.registry.emitToBuffer() }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

/// Counts and times every request by its route (the pattern, such as `/v1/complaints/{ticket}`, never the ticket
/// itself: one series per route, not per complaint).
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: AppMetrics
    /// The routes that file a complaint (a 201 to a POST), and the channel each is.
    static var filingRoutes: [String: String] { ["/v1/complaints": "v1", "/open311/v2/requests.{format}": "open311"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let method = request.method.rawValue
        do {
            let response = try await next(request, context)
            let route = context.endpointPath ?? "unmatched"
            self.metrics.request(route: route, method: method, status: response.status.code, duration: .now - start)
            if response.status == .created, request.method == .post, let channel = Self.filingRoutes[route] {
                self.metrics.submitted(channel: channel)
            }
            return response
        } catch let error as any HTTPResponseError {
            self.metrics.request(
                route: context.endpointPath ?? "unmatched", method: method, status: error.status.code, duration: .now - start)
            throw error
        } catch {
            self.metrics.request(route: context.endpointPath ?? "unmatched", method: method, status: 500, duration: .now - start)
            throw error
        }
    }
}
