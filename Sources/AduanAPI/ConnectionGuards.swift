import HTTPTypes
import NIOCore
import NIOHTTPTypes
import Synchronization

/// The connections open now, shared by every connection's `ConnectionCap`.
public final class ConnectionCount: Sendable {
    let open = Atomic<Int>(0)
    public let limit: Int

    public init(limit: Int) { self.limit = limit }

    public var current: Int { self.open.load(ordering: .relaxed) }
}

/// Caps the connections held at once, so that many idle or slow clients cannot use up the server's file descriptors
/// and memory: a connection beyond the cap has its first request answered `503` with `Retry-After` and is closed.
final class ConnectionCap: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let count: ConnectionCount
    private var counted = false
    private var refusing = false

    init(count: ConnectionCount) { self.count = count }

    func handlerAdded(context: ChannelHandlerContext) {
        // Added to a connection already accepted and active.
        let now = self.count.open.add(1, ordering: .relaxed).newValue
        self.counted = true
        self.refusing = now > self.count.limit
    }

    func handlerRemoved(context: ChannelHandlerContext) { self.release() }

    func channelInactive(context: ChannelHandlerContext) {
        self.release()
        context.fireChannelInactive()
    }

    private func release() {
        if self.counted {
            self.counted = false
            self.count.open.subtract(1, ordering: .relaxed)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard self.refusing else { return context.fireChannelRead(data) }
        guard case .head = self.unwrapInboundIn(data) else { return }
        let body = #"{"type":"/problems/unavailable","title":"Service busy","status":503,"detail":"Too many connections; try again."}"#
        var head = HTTPResponse(status: .serviceUnavailable)
        head.headerFields = [
            .contentType: "application/problem+json", .retryAfter: "2", .connection: "close",
            .contentLength: String(body.utf8.count),
        ]
        context.write(self.wrapOutboundOut(.head(head)), promise: nil)
        context.write(self.wrapOutboundOut(.body(context.channel.allocator.buffer(string: body))), promise: nil)
        context.writeAndFlush(self.wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
        self.refusing = false
        self.release()
    }
}

/// Closes a connection whose request, once its head has arrived, stalls: no part of its body for `timeout`, or not
/// read whole within `limit` at all. A client trickling its body (slowloris) would otherwise hold a request, and the
/// server's shutdown, open for ever; a slow phone uploading photos keeps sending and is not cut off. A request that
/// never completes its head is the idle timeout's.
final class RequestReadDeadline: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let timeout: TimeAmount
    let limit: TimeAmount
    private var stalled: Scheduled<Void>?
    private var overall: Scheduled<Void>?

    init(timeout: TimeAmount, limit: TimeAmount) {
        self.timeout = timeout
        self.limit = limit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let loop = context.eventLoop.assumeIsolated()
        switch self.unwrapInboundIn(data) {
        case .head:
            self.cancel()
            self.overall = loop.scheduleTask(in: self.limit) { context.close(promise: nil) }
            self.stalled = loop.scheduleTask(in: self.timeout) { context.close(promise: nil) }
        case .body:
            self.stalled?.cancel()
            self.stalled = loop.scheduleTask(in: self.timeout) { context.close(promise: nil) }
        case .end:
            self.cancel()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // An answer sent before the body was read (413, 401) ends the wait too: the server will not read on.
        if case .end = self.unwrapOutboundIn(data) { self.cancel() }
        context.write(data, promise: promise)
    }

    func handlerRemoved(context: ChannelHandlerContext) { self.cancel() }

    private func cancel() {
        self.stalled?.cancel()
        self.overall?.cancel()
        self.stalled = nil
        self.overall = nil
    }
}
