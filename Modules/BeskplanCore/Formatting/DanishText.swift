import Foundation

/// Matching of Danish names as users type them.
public enum DanishText {
    /// A key that is equal for "Samsø", "samso", "SAMSOE" and "Samsø Kommune"-less variants:
    /// lowercased, æ/ø/å and their transliterations (ae, oe, aa) folded to a/o/a, other accents
    /// dropped, and everything but letters and digits removed.
    public static func fold(_ text: String) -> String {
        foldPlain(text) ?? foldWithFoundation(text)
    }

    /// `fold` for text of ASCII and æ/ø/å only (every area name, most of what users type),
    /// without Foundation's string searches: building the area catalog folds some 700 names.
    static func foldPlain(_ text: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x61...0x7A, 0x30...0x39: bytes.append(UInt8(scalar.value))
            case 0x41...0x5A: bytes.append(UInt8(scalar.value) | 0x20)
            case 0xE6, 0xC6, 0xE5, 0xC5: bytes.append(UInt8(ascii: "a"))
            case 0xF8, 0xD8: bytes.append(UInt8(ascii: "o"))
            case 0...0x7F: continue
            default: return nil
            }
        }
        // The transliterations, in the order `foldWithFoundation` replaces them.
        let transliterations: [(Unicode.Scalar, Unicode.Scalar, Unicode.Scalar)] = [("a", "e", "a"), ("o", "e", "o"), ("a", "a", "a")]
        for (first, second, into) in transliterations {
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var i = 0
            while i < bytes.count {
                if i + 1 < bytes.count, bytes[i] == UInt8(first.value), bytes[i + 1] == UInt8(second.value) {
                    out.append(UInt8(into.value))
                    i += 2
                } else {
                    out.append(bytes[i])
                    i += 1
                }
            }
            bytes = out
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `fold` for any text, through Foundation's case and diacritic folding.
    static func foldWithFoundation(_ text: String) -> String {
        var s = text.lowercased()
            .replacingOccurrences(of: "æ", with: "a")
            .replacingOccurrences(of: "ø", with: "o")
            .replacingOccurrences(of: "å", with: "a")
            .folding(options: [.diacriticInsensitive], locale: nil)
        s = String(s.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
        return s
            .replacingOccurrences(of: "ae", with: "a")
            .replacingOccurrences(of: "oe", with: "o")
            .replacingOccurrences(of: "aa", with: "a")
    }

    /// The candidate closest to `text` by edit distance over folded spellings, if any is close.
    /// A text that misspells the start of a longer name (`samsoe.opkvalifisering`) counts as
    /// close to it: the distance to the candidate's prefix of the same length, plus one.
    /// Items as a Danish sentence lists them: "a", "a og b", "a, b og c".
    public static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " og " + items[items.count - 1]
    }

    public static func closest(to text: String, among candidates: [String]) -> String? {
        let target = Array(fold(text))
        guard !target.isEmpty else { return nil }
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let folded = Array(fold(candidate))
            var d = editDistance(target, folded)
            if folded.count > target.count + 2 {
                d = min(d, editDistance(target, Array(folded.prefix(target.count))) + 1)
            }
            if d < (best?.distance ?? .max) { best = (candidate, d) }
        }
        guard let best, best.distance <= max(2, target.count / 3) else { return nil }
        return best.candidate
    }

    /// Up to `count` candidates nearest to `text` by edit distance over folded spellings, nearest
    /// first: what an error lists when a name is not among a source's names.
    public static func nearest(to text: String, among candidates: [String], count: Int = 3) -> [String] {
        let folded = fold(text)
        let target = Array(folded)
        // A candidate that holds the text whole (`Norddjurs Kommune` for `Norddjurs`) is nearest of all.
        return candidates.map { c in (c, !folded.isEmpty && fold(c).contains(folded) ? 0 : editDistance(target, Array(fold(c)))) }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(count).map(\.0)
    }

    /// Levenshtein distance; the inputs are short names, so the quadratic table is fine.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

extension String {
    /// "juni 2019" → "Juni 2019", for table headers and sentence starts.
    public func capitalizedFirst() -> String {
        guard let first else { return self }
        return first.uppercased() + dropFirst()
    }

    /// "Andel …" → "andel …", for a name inside a sentence.
    public func lowercasedFirst() -> String {
        guard let first else { return self }
        return first.lowercased() + dropFirst()
    }
}
