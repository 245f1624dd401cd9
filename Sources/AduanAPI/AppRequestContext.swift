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
    /// Who the client is for rate limits: its IPv4 address, or the /64 network of an IPv6 one (a single subscriber holds
    /// a whole /64); "unknown" when there is none (a test channel). Behind a reverse proxy this is the proxy: trusting
    /// `X-Forwarded-For` from configured proxies belongs with the rate limits of every public write.
    var clientAddress: String {
        guard let address = self.remoteAddress, let ip = address.ipAddress else { return "unknown" }
        guard case .v6(let v6) = address else { return ip }
        let network = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0.prefix(8)) }
        return "v6:" + Secrets.hex(network) + "/64"
    }
}
