import AduanCore
import AsyncHTTPClient
import NIOCore

/// A POST signed as Standard Webhooks sign: `webhook-id`, `webhook-timestamp` and `webhook-signature` over the JSON
/// body. Webhooks, reporters' messages and sign-in codes all leave this way, so a receiver verifies them alike.
enum SignedPost {
    static func request(url: String, id: String, timestamp: Int, body: String, secrets: [WebhookSecret]) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Aduan-Webhooks/1")
        request.headers.add(name: "webhook-id", value: id)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(
            name: "webhook-signature", value: WebhookSignature.header(id: id, timestamp: timestamp, body: Array(body.utf8), secrets: secrets))
        request.body = .bytes(ByteBuffer(string: body))
        return request
    }
}
