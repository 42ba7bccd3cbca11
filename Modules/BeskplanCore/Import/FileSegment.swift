import Foundation

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

extension FileSegment {
    /// What to add to a line counted in this segment (head included) to get the file's line:
    /// the line breaks before the range, less those in the head. Reads the file up to the range,
    /// so it is asked only for a segment that has something to report.
    public func lineOffset() -> Int {
        guard range.lowerBound > 0, let file = FileHandle(forReadingAtPath: path) else { return 0 }
        defer { try? file.close() }
        var breaks = 0
        var remaining = range.lowerBound
        while remaining > 0, let block = try? file.read(upToCount: Int(min(remaining, 1 << 20))), !block.isEmpty {
            breaks += block.withUnsafeBytes { $0.reduce(0) { $1 == 10 ? $0 + 1 : $0 } }
            remaining -= Int64(block.count)
        }
        return breaks - head.reduce(0) { $1 == 10 ? $0 + 1 : $0 }
    }

    /// The whole file at `path` as one segment.
    public static func whole(path: String, displayName: String? = nil) throws(ImportError) -> FileSegment {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value else {
            throw ImportError(file: displayName ?? path, line: 0, column: 0, message: "cannot read the file")
        }
        return FileSegment(path: path, head: [], range: 0..<size, tail: [])
    }
}

/// Reads a segment's bytes in order (head, the file's range, tail), for the importers' readers.
public final class FileSegmentReader {
    public let segment: FileSegment
    /// Bytes handed out so far.
    public private(set) var position: Int64 = 0
    private let file: FileHandle

    public init(_ segment: FileSegment, displayName: String? = nil) throws(ImportError) {
        guard let file = FileHandle(forReadingAtPath: segment.path) else {
            throw ImportError(file: displayName ?? segment.path, line: 0, column: 0, message: "cannot read the file")
        }
        self.segment = segment
        self.file = file
    }

    deinit { try? file.close() }

    /// Copies up to `count` bytes into `buffer`: the number copied, 0 at the end, -1 when the
    /// file cannot be read.
    public func read(into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        let head = Int64(segment.head.count)
        let body = Int64(segment.range.count)
        var written = 0
        while written < count, position < segment.size {
            let room = count - written
            let copied: Int
            if position < head {
                copied = Self.copy(segment.head, from: Int(position), into: buffer + written, room: room)
            } else if position < head + body {
                let offset = segment.range.lowerBound + position - head
                copied = pread(file.fileDescriptor, buffer + written, min(room, Int(head + body - position)), off_t(offset))
                guard copied > 0 else { return -1 }
            } else {
                copied = Self.copy(segment.tail, from: Int(position - head - body), into: buffer + written, room: room)
            }
            written += copied
            position += Int64(copied)
        }
        return written
    }

    private static func copy(_ bytes: [UInt8], from start: Int, into buffer: UnsafeMutableRawPointer, room: Int) -> Int {
        let count = min(room, bytes.count - start)
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress! + start, byteCount: count) }
        return count
    }
}
