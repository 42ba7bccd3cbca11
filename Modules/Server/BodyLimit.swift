import Hummingbird

/// Reads a request's body up to the context's `maxUploadSize` before any handler sees it, so an
/// oversized body is a 413 however it arrives (with a length or chunked): the generated API
/// code would otherwise collect a JSON body of any size. Imports are the exception: their body
/// streams to disk in the handler, which holds it to `importSize`; a declared length past that
/// is refused here before a byte is read.
struct BodyLimit: RouterMiddleware {
    let importSize: Int64

    func handle(
        _ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response
    ) async throws -> Response {
        let length = request.headers[.contentLength].flatMap(Int64.init)
        if request.method == .post, Self.isImport(request.uri.path) {
            if let length, length > importSize { throw Problem.tooLarge(limit: Int(clamping: importSize)) }
            return try await next(request, context)
        }
        if let length, length > Int64(context.maxUploadSize) {
            throw Problem.tooLarge(limit: context.maxUploadSize)
        }
        // A read that declares no body has none to read: no wait for its end.
        if [.get, .head].contains(request.method), length == nil || length == 0, request.headers[.transferEncoding] == nil {
            return try await next(request, context)
        }
        var request = request
        _ = try await request.collectBody(upTo: context.maxUploadSize)
        return try await next(request, context)
    }

    /// `/api/v1/imports`, `/api/v1/kommuner/{kommune}/imports` and the data page's
    /// `/kommuner/{kommune}/{year}/data/upload[/{upload}]`.
    static func isImport(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        if parts.count >= 5, parts.count <= 6, parts[0] == "kommuner", parts[3] == "data", parts[4] == "upload" { return true }
        return parts.starts(with: ["api", "v1"])
            && (parts.dropFirst(2) == ["imports"] || (parts.count == 5 && parts[2] == "kommuner" && parts[4] == "imports"))
    }
}
