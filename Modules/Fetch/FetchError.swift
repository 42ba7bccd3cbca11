/// Why a fetch brought nothing. No message holds a key: keys travel in headers, which no
/// message repeats. What Jobindsats itself says (its `cause` and `request_id`) is said in Danish,
/// with the request id, so that STAR's support can find the request.
public enum FetchError: Error, CustomStringConvertible, Sendable, Equatable {
    /// No key to send (`BESKPLAN_JOBINDSATS_KEY`, the config file).
    case noKey(String)
    /// The source refused the key (Jobindsats v3: 401).
    case badKey(source: String, requestID: String?)
    /// The source answered with an error that trying again will not mend.
    case refused(url: String, status: Int, detail: String)
    /// Jobindsats answered `{code, cause, request_id}`.
    case jobindsats(url: String, code: Int, cause: String, requestID: String?)
    /// Every attempt failed: too many requests, a server error, a dropped connection.
    case gaveUp(url: String, attempts: Int, last: String)
    /// The answer is larger than any answer should be.
    case tooLarge(url: String, limit: Int64)
    /// The answer could not be written to a temporary file.
    case cannotWrite(String)
    /// An address or an answer of Jobindsats' retired version 2.
    case versionTwo(url: String)
    /// The answer is not of the shape asked for.
    case unexpected(url: String, detail: String)
    /// A name the catalogue uses is not among a Jobindsats table's values.
    case unknownName(table: String, dimension: String, name: String, nearest: [String])

    public var description: String {
        switch self {
        case .noKey(let text): text
        case .badKey(let source, let requestID):
            "\(source) afviste API-nøglen (401): den er forkert eller udløbet. Hent en ny nøgle på jobindsats.dk "
                + "(log ind, siden om API'et), og sæt den i BESKPLAN_JOBINDSATS_KEY eller nøglefilen (docs/fetch.md)"
                + Self.request(requestID) + "; intet blev importeret"
        case .refused(let url, let status, let detail): "\(url) answered \(status)\(detail.isEmpty ? "" : ": \(detail)"); nothing was imported"
        case .jobindsats(let url, let code, let cause, let requestID):
            "Jobindsats afviste \(url) (\(code)): \(cause.clippedForMessage(200))" + Self.request(requestID) + "; intet blev importeret"
        case .gaveUp(let url, let attempts, let last): "\(url) failed \(attempts) times (last: \(last)); nothing was imported — try again later"
        case .tooLarge(let url, let limit): "\(url) sent more than \(limit >> 20) MB; nothing was imported"
        case .cannotWrite(let text): text
        case .versionTwo(let url): "\(url): \(Jobindsats.versionTwoRetired); intet blev hentet"
        case .unexpected(let url, let detail): "\(url): \(detail); nothing was imported"
        case .unknownName(let table, let dimension, let name, let nearest):
            "Jobindsats' tabel \(table) har ikke '\(name)' i dimensionen \(dimension)"
                + (nearest.isEmpty ? "" : "; nærmeste navne: \(nearest.map { "'\($0)'" }.joined(separator: ", "))")
                + " (ret navnet i målekataloget eller mappingen); intet blev hentet fra \(table)"
        }
    }

    private static func request(_ id: String?) -> String { id.map { " (request id \($0))" } ?? "" }
}
