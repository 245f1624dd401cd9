import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers `Expect: 100-continue` with `100 Continue` as soon as the request head arrives. Clients that ask before
/// sending a large body (curl, and libcurl-based URLSession on Linux, for a photo form) otherwise wait a second for an
/// answer that never comes before they send it. The body is then read and judged like any other (413, 422, 503).
final class ExpectContinueHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(var request) = self.unwrapInboundIn(data),
            let expect = request.headerFields[.expect], expect.lowercased() == "100-continue"
        {
            context.writeAndFlush(self.wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
            // Answered here: the application sees an ordinary request.
            request.headerFields[.expect] = nil
            context.fireChannelRead(self.wrapInboundOut(.head(request)))
            return
        }
        context.fireChannelRead(data)
    }
}
