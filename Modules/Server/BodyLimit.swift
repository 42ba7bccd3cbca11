import Hummingbird

/// Reads a request's body up to the context's `maxUploadSize` before any handler sees it, so an
/// oversized body is a 413 however it arrives (with a length or chunked): the generated API
/// code would otherwise collect a JSON body of any size. Streaming uploads, when they come, get
/// a route of their own with their own limit.
struct BodyLimit: RouterMiddleware {
    func handle(
        _ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response
    ) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > context.maxUploadSize {
            throw Problem.tooLarge(limit: context.maxUploadSize)
        }
        var request = request
        _ = try await request.collectBody(upTo: context.maxUploadSize)
        return try await next(request, context)
    }
}
