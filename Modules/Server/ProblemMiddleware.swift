import Hummingbird
import Logging
import NIOCore
import OpenAPIRuntime

/// Turns every error into problem details, and logs each request once with its id. The
/// outermost middleware: nothing a handler throws reaches the client except as a `Problem`.
struct ProblemMiddleware: RouterMiddleware {
    func handle(
        _ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = Self.problem(for: error, context: context).response()
        }
        response.headers[.init("X-Request-ID")!] = context.id
        // Answers carry sessions' CSRF tokens and kommuner's data: never cached, never sniffed.
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        response.headers[.init("X-Content-Type-Options")!] = "nosniff"
        context.logger.info("\(request.method) \(request.uri.path) \(response.status.code)")
        return response
    }

    static func problem(for error: any Error, context: ServerContext) -> Problem {
        if let problem = Problem.from(error) { return problem }
        switch error {
        case let error as ServerError:
            if let problem = Problem.from(error.underlyingError) { return problem }
            if error.httpStatus.code < 500 {
                // The generated code's own checks: a missing or malformed parameter or body, a wrong content type.
                context.logger.debug("request refused by the contract: \(error.underlyingError)")
                return Problem(
                    error.httpStatus, "invalid-request", title: "Forespørgslen kan ikke bruges",
                    detail: "\(error.httpStatus.reasonPhrase): tjek parametre, indhold og Content-Type mod /api/v1/openapi.yaml.")
            }
            return internalError(error.underlyingError, context: context)
        case let error as HTTPError:
            return Problem(error.status, "http-\(error.status.code)", title: error.status.reasonPhrase, detail: error.body)
        case is NIOTooManyBytesError:
            return .tooLarge(limit: context.maxUploadSize)
        default:
            return internalError(error, context: context)
        }
    }

    /// An unexpected error: logged in full, answered with only the request id.
    static func internalError(_ error: any Error, context: ServerContext) -> Problem {
        context.logger.error("request failed: \(String(reflecting: error))")
        return Problem(
            .internalServerError, "internal", title: "Der opstod en fejl på serveren",
            detail: "Opgiv forespørgslens id \(context.id), hvis du kontakter driften.")
    }
}
