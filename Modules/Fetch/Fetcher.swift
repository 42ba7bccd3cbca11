import AsyncHTTPClient
import BeskplanCore
import Foundation
import NIOCore
import NIOHTTP1

/// Sends requests to the sources over async-http-client and writes each answer to a
/// temporary file: with timeouts, and with retries (backoff doubling) on 429, 5xx and dropped
/// connections, then a clear error. The key goes in the `Authorization` header only.
public final class Fetcher: Sendable {
    /// What came back: where it is on disk, and what the source said about it.
    public struct Answer: Sendable {
        public let request: SourceRequest
        /// A temporary file (mode 0600) the caller removes.
        public let path: String
        public let bytes: Int64
        public let fetchedAt: Date
        /// The answer's `Last-Modified` header, when the source sends one.
        public let lastModified: String?
        public let attempts: Int
    }

    public struct Settings: Sendable {
        public var attempts: Int
        /// The first wait between attempts; each next one is twice as long (a `Retry-After` up
        /// to a minute is honoured instead).
        public var backoff: Duration
        public var timeout: Duration
        public var maxBytes: Int64

        public init(attempts: Int = 3, backoff: Duration = .seconds(1), timeout: Duration = .seconds(120), maxBytes: Int64 = 1 << 30) {
            self.attempts = attempts
            self.backoff = backoff
            self.timeout = timeout
            self.maxBytes = maxBytes
        }
    }

    private let client: HTTPClient
    private let settings: Settings
    /// Called before each retry, with the request's line, the attempt and why (for progress).
    private let onRetry: @Sendable (SourceRequest, Int, String) -> Void

    public init(settings: Settings = Settings(), onRetry: @escaping @Sendable (SourceRequest, Int, String) -> Void = { _, _, _ in }) {
        self.settings = settings
        self.onRetry = onRetry
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .follow(max: 3, allowCycles: false),
            timeout: .init(connect: .seconds(10), read: .seconds(Int64(settings.timeout.components.seconds))))
        // A connection that cannot be made fails at once; `fetch` tries again with its own backoff.
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Ends the client; call once, after the last fetch.
    public func shutdown() async {
        try? await client.shutdown()
    }

    /// Sends the request (with `key` in its `Authorization` header) until an answer comes back
    /// whole, and writes it to a temporary file.
    public func fetch(_ request: SourceRequest, key: APIKey? = nil) async throws(FetchError) -> Answer {
        if request.source == .jobindsats, Jobindsats.isVersionTwo(request.url) { throw .versionTwo(url: request.url) }
        var last = ""
        for attempt in 1...max(1, settings.attempts) {
            var wait = settings.backoff * (1 << (attempt - 1))
            do {
                switch try await send(request, key: key, attempt: attempt) {
                case .done(let answer): return answer
                case .retry(let reason, let retryAfter):
                    last = reason
                    if let retryAfter { wait = min(retryAfter, .seconds(60)) }
                }
            } catch let error as FetchError {
                throw error
            } catch {
                last = Self.describe(error)
            }
            guard attempt < settings.attempts, !Task.isCancelled else { break }
            onRetry(request, attempt + 1, last)
            try? await Task.sleep(for: wait)
        }
        throw .gaveUp(url: request.url, attempts: max(1, settings.attempts), last: last)
    }

    private enum Outcome {
        case done(Answer)
        case retry(String, after: Duration?)
    }

    private func send(_ request: SourceRequest, key: APIKey?, attempt: Int) async throws -> Outcome {
        var http = HTTPClientRequest(url: request.url)
        http.method = HTTPMethod(rawValue: request.method)
        http.headers.add(name: "Accept", value: "application/json, text/csv, */*")
        http.headers.add(name: "User-Agent", value: "beskplan")
        if let key { http.headers.add(name: "Authorization", value: request.source == .jobindsats ? "Bearer \(key.value)" : key.value) }
        if let body = request.body {
            http.headers.add(name: "Content-Type", value: "application/json")
            http.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await client.execute(http, timeout: .seconds(Int64(settings.timeout.components.seconds)))
        let status = Int(response.status.code)
        if status == 429 || (500...599).contains(status) {
            let retryAfter = response.headers.first(name: "Retry-After").flatMap(Int64.init).map { Duration.seconds($0) }
            return .retry("\(status) \(response.status.reasonPhrase)", after: retryAfter)
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-fetch-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw FetchError.cannotWrite("cannot write a temporary file in \(FileManager.default.temporaryDirectory.path)") }
        var bytes: Int64 = 0
        do {
            defer { try? handle.close() }
            for try await buffer in response.body {
                bytes += Int64(buffer.readableBytes)
                guard bytes <= settings.maxBytes else { throw FetchError.tooLarge(url: request.url, limit: settings.maxBytes) }
                try handle.write(contentsOf: Data(buffer.readableBytesView))
            }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        if request.source == .jobindsats {
            try Self.checkJobindsats(path: path, status: status, url: request.url)
        }
        guard (200...299).contains(status) else {
            let detail = (try? String(contentsOfFile: path, encoding: .utf8)).map { String($0.prefix(200)) } ?? ""
            try? FileManager.default.removeItem(atPath: path)
            throw FetchError.refused(url: request.url, status: status, detail: detail.clippedForMessage())
        }
        return .done(Answer(
            request: request, path: path, bytes: bytes, fetchedAt: Date(),
            lastModified: response.headers.first(name: "Last-Modified"), attempts: attempt))
    }

    /// Jobindsats v3 says what went wrong as `{code, cause, request_id}`: a 401 is the key; an
    /// answer in version 2's words is refused as such. The file is removed when it throws.
    static func checkJobindsats(path: String, status: Int, url: String) throws(FetchError) {
        let head = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: path)))
            .flatMap { handle in defer { try? handle.close() }; return try? handle.read(upToCount: 4096) } ?? Data()
        let text = String(decoding: head, as: UTF8.self)
        let problem = (200...299).contains(status) ? nil : (try? JSONSerialization.jsonObject(with: head)) as? [String: Any]
        let requestID = problem?["request_id"] as? String
        var error: FetchError?
        if text.contains(Jobindsats.retiredBadKeyAnswer) || text.hasPrefix("[{\"Variables\"") {
            error = .versionTwo(url: url)
        } else if status == 401 {
            error = .badKey(source: "Jobindsats", requestID: requestID)
        } else if let problem, let cause = problem["cause"] as? String {
            error = .jobindsats(url: url, code: (problem["code"] as? Int) ?? status, cause: cause, requestID: requestID)
        }
        if let error {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    /// A transport error in a few words (never a header).
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .remoteConnectionClosed: return "the connection was dropped"
            case .readTimeout, .deadlineExceeded: return "no answer in time"
            case .connectTimeout: return "no connection in time"
            case .bodyLengthMismatch: return "the answer ended early"
            default: return "\(error)"
            }
        }
        let text = "\(error)"
        if text.contains("Connection refused") { return "the connection was refused" }
        if text.contains("NIOConnectionError") || text.contains("connectTimeout") { return "no connection could be made" }
        return text.clippedForMessage()
    }
}
