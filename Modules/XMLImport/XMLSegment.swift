import BeskplanCore
import CLibXML2
import Foundation

/// Cutting a large XML document into `FileSegment`s at its records: each segment is the
/// document's head (everything before the first record), a run of whole records, and closing
/// tags for the elements that enclose the records, so it parses as a document of its own.
public enum XMLSegment {
    /// Cuts the file at `path` into up to `parts` segments of about equal size at start tags of
    /// records: children of the element named `container` with one of the local names `records`.
    /// Returns `nil` when the file is smaller than `minimumSize` or has no usable cuts. Reads
    /// only the head and a window around each cut.
    public static func split(
        path: String, container: String, records: Set<String>, parts: Int, minimumSize: Int64
    ) throws(ImportError) -> [FileSegment]? {
        guard parts > 1, let file = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? file.close() }
        let size = (try? file.seekToEnd()).map(Int64.init) ?? 0
        guard size >= minimumSize, let layout = try RecordLayout.find(path: path, container: container, records: records)
        else {
            return nil
        }
        let marker = Array("<\(layout.record)".utf8)
        guard let first = search(file, for: marker, from: 0, size: size), first > 0 else { return nil }
        let head = read(file, from: 0, count: Int(first))
        let cuts = FileSegment.cuts(size: size, parts: parts, from: first) { search(file, for: marker, from: $0, size: size) }
        guard cuts.count > 1 else { return nil }
        let tail = Array(layout.enclosing.reversed().map { "</\($0)>" }.joined().utf8) + [UInt8(ascii: "\n")]
        return cuts.indices.map { i in
            FileSegment(
                path: path,
                head: i == 0 ? [] : head,
                range: (i == 0 ? 0 : cuts[i])..<(i + 1 < cuts.count ? cuts[i + 1] : size),
                tail: i + 1 < cuts.count ? tail : [])
        }
    }

    /// The offset of the first `marker` at or after `offset` that is followed by a character
    /// that ends an element name.
    private static func search(_ file: FileHandle, for marker: [UInt8], from offset: Int64, size: Int64) -> Int64? {
        let window = 1 << 20
        var start = offset
        while start < size {
            let bytes = read(file, from: start, count: window + marker.count)
            guard bytes.count > marker.count else { return nil }
            let found = bytes.withUnsafeBytes { buffer -> Int? in
                var from = 0
                while from + marker.count < buffer.count {
                    guard let hit = memmem(
                        buffer.baseAddress! + from, buffer.count - from, marker, marker.count)
                    else { return nil }
                    let index = buffer.baseAddress!.distance(to: hit)
                    // A marker that ends the window is found again at the start of the next.
                    guard index + marker.count < buffer.count else { return nil }
                    switch buffer[index + marker.count] {
                    case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"),
                        UInt8(ascii: ">"), UInt8(ascii: "/"):
                        return index
                    default:
                        from = index + 1
                    }
                }
                return nil
            }
            if let found, found < window { return start + Int64(found) }
            start += Int64(window)
        }
        return nil
    }

    private static func read(_ file: FileHandle, from offset: Int64, count: Int) -> [UInt8] {
        guard (try? file.seek(toOffset: UInt64(offset))) != nil, let data = try? file.read(upToCount: count) else {
            return []
        }
        return [UInt8](data)
    }
}

/// How records sit in a document: the qualified name of the first record, and the qualified
/// names of the elements enclosing it, outermost first.
private struct RecordLayout {
    let record: String
    let enclosing: [String]

    /// Reads the document from the start to its first record (a plain reader, no schema).
    static func find(path: String, container: String, records: Set<String>) throws(ImportError) -> RecordLayout? {
        let reader = try XMLReader(path: path)
        var open: [String] = []
        while try reader.read(), reader.bytesConsumed < 1 << 20 {
            switch reader.node {
            case .element:
                let depth = reader.depth
                open.removeLast(max(0, open.count - depth))
                if depth > 0, open.count == depth, open.last.map(localName) == container,
                    records.contains(reader.localNameString)
                {
                    return RecordLayout(record: reader.qualifiedName, enclosing: open)
                }
                if !reader.isEmptyElement { open.append(reader.qualifiedName) }
            case .endElement:
                _ = open.popLast()
            default:
                continue
            }
        }
        return nil
    }

    private static func localName(_ qualified: String) -> String {
        qualified.split(separator: ":").last.map(String.init) ?? qualified
    }
}

/// Feeds libxml2 a segment's bytes through libxml2's I/O callbacks.
final class SegmentStream {
    let reader: FileSegmentReader

    init(_ segment: FileSegment) throws(ImportError) {
        reader = try FileSegmentReader(segment)
    }

    static let read: xmlInputReadCallback = { context, buffer, length in
        guard let context, let buffer else { return -1 }
        let stream = Unmanaged<SegmentStream>.fromOpaque(context).takeUnretainedValue()
        return Int32(stream.reader.read(into: buffer, count: Int(length)))
    }

    /// The stream is owned by its `XMLReader`, which outlives libxml2's use of it.
    static let close: xmlInputCloseCallback = { _ in 0 }
}
