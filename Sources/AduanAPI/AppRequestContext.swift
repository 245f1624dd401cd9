import AduanCore
import Hummingbird
import HummingbirdAuth
import NIOCore

/// The context of every request: on the staff routes it carries the authenticated member (`identity`), and on every
/// route the client's address, which rate limits what anyone may ask for (sign-in codes).
public struct AppRequestContext: AuthRequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: StaffMember?
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.remoteAddress = source.channel.remoteAddress
    }
}

extension RemoteAddressRequestContext {
    /// The client's IP address, or "unknown" (a test channel has none).
    var clientAddress: String { self.remoteAddress?.ipAddress ?? "unknown" }
}
