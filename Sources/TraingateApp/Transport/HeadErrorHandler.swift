import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import StrictDocuments

/// Answers a request head that NIO's parser refuses (`Content-Length` with `Transfer-Encoding`,
/// a bad header line) with the same problem+json every other error gets, then closes: the bytes
/// that follow cannot be framed. Hummingbird would answer those with an empty 400. A parse error
/// inside a body is left to travel on, so that the route reading the body fails with it (and
/// `ProblemMapping` answers it with the request's id).
final class HeadErrorHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    private var readingRequest = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: readingRequest = true
        case .end: readingRequest = false
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError, !readingRequest else {
            context.fireErrorCaught(error)
            return
        }
        let problem = ProblemDetails(.malformedRequest, detail: FramingMiddleware.describe(parserError))
        let id = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let body = CanonicalJSON.encode(.object(problem.members(["request_id": .string(id)])))
        let head = HTTPResponse(
            status: problem.status,
            headerFields: [
                .contentType: "application/problem+json", .contentLength: "\(body.count)", .connection: "close",
                RequestIDMiddleware.outgoing: id,
            ])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }
}
