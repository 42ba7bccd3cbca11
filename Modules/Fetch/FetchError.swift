/// Why a fetch brought nothing. No message holds a key: keys travel in headers, which no
/// message repeats.
public enum FetchError: Error, CustomStringConvertible, Sendable, Equatable {
    /// No key to send (`BESKPLAN_JOBINDSATS_KEY`, the config file).
    case noKey(String)
    /// The source refused the key.
    case badKey(source: String)
    /// The source answered with an error that trying again will not mend.
    case refused(url: String, status: Int, detail: String)
    /// Every attempt failed: too many requests, a server error, a dropped connection.
    case gaveUp(url: String, attempts: Int, last: String)
    /// The answer is larger than any answer should be.
    case tooLarge(url: String, limit: Int64)
    /// The answer could not be written to a temporary file.
    case cannotWrite(String)

    public var description: String {
        switch self {
        case .noKey(let text): text
        case .badKey(let source):
            "\(source) refused the API key (wrong or expired): get a new key at jobindsats.dk (log in, then the API page) "
                + "and set BESKPLAN_JOBINDSATS_KEY or the key file (docs/fetch.md); nothing was imported"
        case .refused(let url, let status, let detail): "\(url) answered \(status)\(detail.isEmpty ? "" : ": \(detail)"); nothing was imported"
        case .gaveUp(let url, let attempts, let last): "\(url) failed \(attempts) times (last: \(last)); nothing was imported — try again later"
        case .tooLarge(let url, let limit): "\(url) sent more than \(limit >> 20) MB; nothing was imported"
        case .cannotWrite(let text): text
        }
    }
}
