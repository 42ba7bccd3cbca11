/// One part of a large input file that reads as a file of its own: bytes before (a document's
/// head, a CSV header line), a byte range of the file, bytes after (closing tags). Importers cut
/// large files into segments at record boundaries so that several cores read them at once.
///
/// A cut is found by searching bytes, so it can land where no record starts (inside a comment,
/// a quoted field); then the segment before it does not read cleanly. Segments are therefore
/// trusted only when every one of them reads without error; otherwise the file is read whole,
/// which also gives an error its true line.
public struct FileSegment: Sendable, Hashable {
    public let path: String
    /// Bytes before the range (empty for the first segment).
    public let head: [UInt8]
    /// The file's bytes this segment reads.
    public let range: Range<Int64>
    /// Bytes after the range (empty for the last segment).
    public let tail: [UInt8]

    public init(path: String, head: [UInt8], range: Range<Int64>, tail: [UInt8]) {
        self.path = path
        self.head = head
        self.range = range
        self.tail = tail
    }

    /// The number of bytes a reader of this segment sees.
    public var size: Int64 { Int64(head.count) + Int64(range.count) + Int64(tail.count) }

    /// Cut points near `parts` equal shares of `size`, each moved forward to where `boundary`
    /// finds a record start at or after it (`nil`: none); duplicates and misses are dropped.
    public static func cuts(size: Int64, parts: Int, from first: Int64, boundary: (Int64) -> Int64?) -> [Int64] {
        var cuts: [Int64] = [first]
        for k in 1..<max(parts, 1) {
            let target = max(size * Int64(k) / Int64(parts), cuts.last! + 1)
            guard target < size, let cut = boundary(target), cut < size, cut > cuts.last! else { break }
            cuts.append(cut)
        }
        return cuts
    }
}
