import AduanCore
import Hummingbird
import HummingbirdAuth
import NIOCore

/// The context of every request: on the staff routes it carries the authenticated member (`identity`), and on every
/// route the client's address, which rate limits what anyone may ask for.
public struct AppRequestContext: AuthRequestContext, RemoteAddressRequestContext, ClientRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: StaffMember?
    public let remoteAddress: SocketAddress?
    /// The peer's address, or the client a trusted proxy forwards for (`ClientAddressMiddleware`): its bytes, and its
    /// name for rate limits.
    public var clientBytes: [UInt8]?
    public var clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.remoteAddress = source.channel.remoteAddress
        self.clientBytes = ClientName.bytes(of: self.remoteAddress)
        self.clientAddress = self.clientBytes.map(ClientName.of) ?? "unknown"
    }
}
