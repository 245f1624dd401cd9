import AduanCore
import AsyncHTTPClient
import Foundation
import NIOCore

/// Fetches the photos an Open311 app links to (`media_url`), so that they are kept as the reporter's photos and
/// outlive the link. Only public addresses (unless the operator allows private ones, as for webhooks), at most a few
/// redirects, each checked the same way, a deadline, and no more bytes than a photo may have.
public struct MediaFetcher: Sendable {
    public var allowPrivate = false
    public var timeout: TimeAmount = .seconds(10)
    public var maxBytes = 10 << 20
    public var maxRedirects = 3

    public init(allowPrivate: Bool = false, maxBytes: Int = 10 << 20) {
        self.allowPrivate = allowPrivate
        self.maxBytes = maxBytes
    }

    /// Why a link gave no photo, in words for the client.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public func fetch(_ link: String) async throws(Failure) -> ByteBuffer {
        var url = link
        for _ in 0...self.maxRedirects {
            do {
                try ReceiverAddress.check(url, allowPrivate: self.allowPrivate)
            } catch {
                throw Failure(description: "\(error)")
            }
            let response: HTTPClientResponse
            do {
                var request = HTTPClientRequest(url: url)
                request.headers.add(name: "User-Agent", value: "Aduan (Open311 media)")
                response = try await mediaClient.execute(request, timeout: self.timeout)
            } catch {
                throw Failure(description: "\(url) did not answer (\(error))")
            }
            if [301, 302, 303, 307, 308].contains(response.status.code), let location = response.headers.first(name: "location"),
                let next = URL(string: location, relativeTo: URL(string: url))?.absoluteString
            {
                url = next
                continue
            }
            guard response.status == .ok else { throw Failure(description: "\(url) answered \(response.status.code)") }
            // The deadline covers the body too: a link that trickles its bytes does not hold the request.
            let maxBytes = self.maxBytes, timeout = self.timeout
            do {
                return try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
                    group.addTask { try await response.body.collect(upTo: maxBytes) }
                    group.addTask {
                        try await Task.sleep(nanoseconds: UInt64(timeout.nanoseconds))
                        return nil
                    }
                    defer { group.cancelAll() }
                    guard let first = try await group.next(), let body = first else { throw CancellationError() }
                    return body
                }
            } catch is CancellationError {
                throw Failure(description: "\(url) did not send the photo within \(timeout.nanoseconds / 1_000_000_000) s")
            } catch {
                throw Failure(description: "\(url) sent more than \(self.maxBytes) bytes, or broke off")
            }
        }
        throw Failure(description: "\(link) redirects more than \(self.maxRedirects) times")
    }
}

/// One client for all fetches, following no redirect by itself: each hop is checked before it is taken. It lives as
/// long as the process.
private let mediaClient: HTTPClient = {
    var configuration = HTTPClient.Configuration()
    configuration.redirectConfiguration = .disallow
    configuration.timeout = .init(connect: .seconds(5), read: .seconds(10))
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
}()
