import AduanCore
import AduanWire
import AsyncHTTPClient
import Foundation
import Logging

/// The messaging gateway could not take a sign-in code: the citizen should ask again shortly.
public struct SignInCodeNotSent: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { "the sign-in code was not sent: \(self.reason)" }
}

/// Sends sign-in codes to phones through the messaging gateway, at once and while the citizen waits: a code is never
/// stored in clear (not even in the outbox), so it cannot wait for the dispatcher. Without a gateway (development) the
/// code goes to the log.
public struct SignInCodeSender: Sendable {
    let gateway: MessagingGateway?
    let timeout: Duration
    let logger: Logger
    let now: @Sendable () -> Date

    public init(gateway: MessagingGateway?, timeout: Duration, logger: Logger, now: @escaping @Sendable () -> Date = Date.init) {
        self.gateway = gateway
        self.timeout = timeout
        self.logger = logger
        self.now = now
    }

    public func send(_ message: CitizenMessage, to phone: PhoneNumber) async throws {
        guard let gateway = self.gateway else {
            self.logger.notice(
                "sign-in code (no messaging gateway configured: development only)",
                metadata: ["to": "\(phone.masked)", "text": "\(message.text)"])
            return
        }
        let body = DeliveryRenderer.json(
            GatewayMessage(to: phone.international, template: message.template, params: message.params, ticket: nil, text: message.text))
        let request = SignedPost.request(
            url: gateway.url, id: DeliveryRenderer.newMessageID(), timestamp: Int(self.now().timeIntervalSince1970), body: body,
            secrets: [gateway.secret])
        let status: Int
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(self.timeout.components.seconds))
            _ = try? await response.body.collect(upTo: 64 << 10)
            status = Int(response.status.code)
        } catch {
            self.logger.warning("sign-in code not sent", metadata: ["error": "\(Dispatcher.describe(error))"])
            throw SignInCodeNotSent(reason: Dispatcher.describe(error))
        }
        guard (200..<300).contains(status) else {
            self.logger.warning("sign-in code refused by the gateway", metadata: ["status": "\(status)"])
            throw SignInCodeNotSent(reason: "the gateway answered \(status)")
        }
    }
}
