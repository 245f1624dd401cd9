import Foundation

/// A signing key in the form Standard Webhooks 1.0 gives it to receivers: `whsec_` and the base64 of its bytes.
public struct WebhookSecret: Sendable, Hashable {
    public let bytes: [UInt8]
    static let prefix = "whsec_"
    /// What a signing key sealed with the server's key is bound to: it opens as nothing else.
    public static let sealingContext = "aduan webhook signing key"

    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// A new random key of 32 bytes.
    public static func generate() -> WebhookSecret { WebhookSecret(bytes: Secrets.randomBytes(32)) }

    /// Reads `whsec_<base64>` (the prefix may be left out); nil when it is not one.
    public init?(_ string: String) {
        let base64 = string.hasPrefix(Self.prefix) ? String(string.dropFirst(Self.prefix.count)) : string
        guard let data = Data(base64Encoded: base64), data.count >= 24, data.count <= 64 else { return nil }
        self.bytes = Array(data)
    }

    public var encoded: String { Self.prefix + Data(self.bytes).base64EncodedString() }
}

/// Standard Webhooks 1.0 signatures: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, several separated by spaces
/// while an old key still signs beside a new one.
public enum WebhookSignature {
    public static func sign(id: String, timestamp: Int, body: some Collection<UInt8>, secret: WebhookSecret) -> String {
        var message = Array("\(id).\(timestamp).".utf8)
        message.append(contentsOf: body)
        return "v1," + Data(Secrets.hmacSHA256(key: secret.bytes, message)).base64EncodedString()
    }

    /// The `webhook-signature` header: one signature per key in force.
    public static func header(id: String, timestamp: Int, body: some Collection<UInt8>, secrets: [WebhookSecret]) -> String {
        secrets.map { self.sign(id: id, timestamp: timestamp, body: body, secret: $0) }.joined(separator: " ")
    }

    /// Whether `header` holds a valid signature by `secret`, with a timestamp within `tolerance` of `now` (what a
    /// receiver checks; the tests' receiver does).
    public static func verify(
        header: String, id: String, timestamp: Int, body: some Collection<UInt8>, secret: WebhookSecret,
        now: Date = Date(), tolerance: TimeInterval = 300
    ) -> Bool {
        guard abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { return false }
        let expected = Array(self.sign(id: id, timestamp: timestamp, body: body, secret: secret).utf8)
        return header.split(separator: " ").contains { Secrets.constantTimeEqual(Array($0.utf8), expected) }
    }
}
