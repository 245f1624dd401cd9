import AduanAPI
import AduanCore
import AduanStore
import AduanWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("HTTP API: /metrics in Prometheus format, for the operator's scraper only")
struct MetricsTests {
    @Test("requests by route and status, latencies, filings, batch sizes, queues, open complaints per office, outbox and database size")
    func content() async throws {
        try await withLiveAPI { client async throws in
            let filed = try await file(client)
            _ = try await client.execute(uri: "/v1/complaints/\(filed.ticket)", method: .get)
            _ = try await client.execute(uri: "/v1/nothing-here", method: .get)
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(buffer: response.body)
            let expected = [
                #"aduan_http_requests_total{route="/v1/complaints",method="POST",status="201"} 1"#,
                // One series per route, not per ticket.
                #"aduan_http_requests_total{route="/v1/complaints/{ticket}",method="GET",status="200"} 1"#,
                #"aduan_http_requests_total{route="NotFound",method="GET",status="404"} 1"#,
                #"aduan_http_request_duration_seconds_bucket{route="/v1/complaints",method="POST",le="+Inf"} 1"#,
                #"aduan_submissions_total{channel="v1"} 1"#,
                #"aduan_submission_batch_size_count 1"#,
                #"aduan_open_complaints{opd="DLH-1871"} 1"#,
                #"aduan_open_complaints{opd="PUPR-1871"} 0"#,
                #"aduan_breached_complaints{opd="DLH-1871"} 0"#,
                #"aduan_queue_depth{queue="submissions"} 0"#,
                #"aduan_queue_depth{queue="photos"} 0"#,
                #"aduan_outbox_pending_deliveries "#,
                #"aduan_database_bytes "#,
            ]
            for line in expected { #expect(text.contains(line), "\(line)") }
            #expect(!text.contains(filed.ticket))
        }
    }

    @Test("only from metrics_allow: another address, or the public through a trusted proxy, gets 404")
    func access() async throws {
        try await withLiveAPI(configure: { $0.metricsAllowed = NetworkList() }) { client async throws in
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .notFound)
        }
        // The default: loopback may, but a proxy on loopback forwarding the public may not.
        try await withLiveAPI { client async throws in
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .ok)
            let forwarded = try await client.execute(
                uri: "/metrics", method: .get, headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.9"])
            #expect(forwarded.status == .notFound)
        }
    }
}
