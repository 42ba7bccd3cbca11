import Foundation

/// Matching of Danish names as users type them.
public enum DanishText {
    /// A key that is equal for "Samsø", "samso", "SAMSOE" and "Samsø Kommune"-less variants:
    /// lowercased, æ/ø/å and their transliterations (ae, oe, aa) folded to a/o/a, other accents
    /// dropped, and everything but letters and digits removed.
    public static func fold(_ text: String) -> String {
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
