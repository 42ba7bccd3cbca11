import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore

/// Gives a small answer of known length to the server as one buffer. The OpenAPI transport hands
/// every body over as a stream, which the server writes as head, body and end: a system call
/// each. One buffer goes out with its head in one write, and a cached read is mostly that write.
/// Streams of unknown length and large bodies (downloads) are left streaming.
struct WholeBody: RouterMiddleware {
    /// The largest body gathered; larger ones stream.
    static let limit = 1 << 20

    func handle(
        _ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        guard let length = response.body.contentLength, length > 0, length <= Self.limit else { return response }
        response.body = ResponseBody(byteBuffer: try await Self.gather(response.body, length: length))
        return response
    }

    /// A body of known length, as one buffer.
    static func gather(_ body: ResponseBody, length: Int) async throws -> ByteBuffer {
        let gathered = Gathered(capacity: length)
        try await body.write(gathered)
        return gathered.buffer.withLockedValue { $0 }
    }

    /// A body writer that keeps what it is given.
    private struct Gathered: ResponseBodyWriter {
        let buffer: NIOLockedValueBox<ByteBuffer>

        init(capacity: Int) { buffer = NIOLockedValueBox(ByteBufferAllocator().buffer(capacity: capacity)) }

        mutating func write(_ part: ByteBuffer) async throws {
            var part = part
            _ = buffer.withLockedValue { $0.writeBuffer(&part) }
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
