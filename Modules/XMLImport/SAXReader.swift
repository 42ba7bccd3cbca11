import BeskplanCore
import CLibXML2
import Foundation

/// A streaming pull reader over libxml2's SAX2 push parser, for SDMX: the nodes `XMLReader`
/// gives, at well under half of its cost. `xmlTextReader` builds and frees a tree node for every
/// element and attribute; here the parser's callbacks keep only what the scanner reads. Held as
/// safely as `XMLReader`:
///
/// - `XML_PARSE_NONET`; never `NOENT`, `DTDLOAD`, `DTDVALID`, `XINCLUDE` or `HUGE`, so entities are
///   not expanded, no DTD is loaded, and libxml2's own size and depth limits stay on;
/// - no entity declaration is kept, and a `<!DOCTYPE …>` stops the parser where it starts;
/// - libxml2's messages come back as one `ImportError` (`file:line:col: message`).
///
/// The parser is fed 16 KB at a time. The nodes a piece gives are kept, names as libxml2's
/// interned pointers and attribute values and text in one buffer, and handed out one by one;
/// memory does not grow with the file. Like `xmlTextReader` with `XML_PARSE_NOBLANKS`, it gives
/// an element that closes itself (`<a/>`) as one node (`isEmptyElement`, no end node), and no
/// text of whitespace alone.
final class SAXReader {
    typealias Node = XMLReader.Node

    let file: String
    private let input: FileSegmentReader
    /// Whether `input` is the whole file (its end can then be looked at when the parser fails).
    private let whole: Bool
    private var parser: xmlParserCtxtPtr!
    private let chunk: UnsafeMutableRawPointer
    private static let chunkSize = 1 << 14

    /// The nodes of the pieces parsed last; `cursor` is the current one.
    private var nodes: [Parsed] = []
    private var cursor = -1
    private var attributeList: [Attribute] = []
    private var bytes = Arena()
    /// The local names of the elements open where the parser is.
    private var open: [UnsafePointer<UInt8>] = []
    private var root: UnsafePointer<UInt8>?
    private var finished = false
    /// The first error, libxml2's or a refusal of this reader's: thrown once the nodes parsed
    /// before it have been read.
    private let errors = ErrorCollector()
    private var started = false
    /// The line and column of the node read last, for an error after the last node.
    private var lastPosition: (line: Int32, column: Int32) = (0, 0)

    private struct Parsed {
        var node: Node
        var name: UnsafePointer<UInt8>?
        var attributes: Range<Int> = 0..<0
        /// Where a text node's text starts in `bytes`.
        var text = -1
        var isEmpty = false
        /// A start tag written `<a/>`.
        var closesItself = false
        var depth: Int
        var line: Int32
        var column: Int32
    }

    private struct Attribute {
        let name: UnsafePointer<UInt8>
        let value: Int
    }

    /// Opens `path` for streaming.
    convenience init(path: String, displayName: String? = nil) throws(ImportError) {
        try self.init(segment: try FileSegment.whole(path: path, displayName: displayName), file: displayName ?? path, whole: true)
    }

    /// Opens one segment of a document (see `XMLSegment`) as a document of its own.
    convenience init(segment: FileSegment) throws(ImportError) {
        try self.init(segment: segment, file: segment.path, whole: false)
    }

    private init(segment: FileSegment, file: String, whole: Bool) throws(ImportError) {
        LibXML.setUp()
        self.file = file
        self.whole = whole
        input = try FileSegmentReader(segment, displayName: file)
        chunk = .allocate(byteCount: Self.chunkSize, alignment: 1)
        // libxml2 copies the handler into the parser.
        var handler = xmlSAXHandler()
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        handler.startElementNs = Self.startElement
        handler.endElementNs = Self.endElement
        handler.characters = Self.characters
        handler.cdataBlock = Self.characters
        handler.internalSubset = Self.docType
        handler.serror = Self.error
        parser = xmlCreatePushParserCtxt(&handler, Unmanaged.passUnretained(self).toOpaque(), nil, 0, file)
        guard parser != nil else { throw ImportError(file: file, line: 0, column: 0, message: "cannot open the file as XML") }
        xmlCtxtUseOptions(parser, Int32(XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue))
    }

    deinit {
        if let parser { xmlFreeParserCtxt(parser) }
        chunk.deallocate()
        bytes.free()
    }

    /// The file's size in bytes, for progress.
    var totalBytes: Int64 { input.segment.size }

    /// Bytes of the file handed to the parser so far.
    var bytesConsumed: Int64 { input.position }

    /// Moves to the next node; `false` at the end of the document.
    func read() throws(ImportError) -> Bool {
        cursor += 1
        while cursor >= nodes.count {
            if let error = errors.first { throw thrown(error) }
            if finished { return false }
            try parseMore()
        }
        lastPosition = (nodes[cursor].line, nodes[cursor].column)
        if nodes[cursor].node == .docType {
            throw failure("a DOCTYPE is not allowed (DTDs and entities are refused)")
        }
        return true
    }

    var node: Node { nodes[cursor].node }

    /// The local name, interned in the parser's dictionary (compare with `is(_:)`).
    var localName: UnsafePointer<UInt8>? { nodes[cursor].name }

    var localNameString: String { localName.map { String(cString: $0) } ?? "" }

    var depth: Int { nodes[cursor].depth }

    var isEmptyElement: Bool { nodes[cursor].isEmpty }

    /// Text of a text node.
    var value: UnsafePointer<UInt8>? {
        let text = nodes[cursor].text
        return text < 0 ? nil : UnsafePointer(bytes.base! + text)
    }

    /// A name interned in the parser's dictionary, for pointer-fast comparisons.
    func intern(_ name: String) -> UnsafePointer<UInt8> { xmlDictLookup(parser.pointee.dict, name, -1) }

    /// Whether the current node's local name is `name` (an interned name).
    @inline(__always)
    func `is`(_ name: UnsafePointer<UInt8>) -> Bool { nodes[cursor].name == name }

    /// Calls `body` with each attribute's local name and value (C strings valid until the next `read`).
    @inline(__always)
    func forEachAttribute(_ body: (UnsafePointer<UInt8>, UnsafePointer<UInt8>) throws(ImportError) -> Void) throws(ImportError) {
        for i in nodes[cursor].attributes {
            let attribute = attributeList[i]
            try body(attribute.name, UnsafePointer(bytes.base! + attribute.value))
        }
    }

    /// The attributes of the current element as strings (for headers, not hot paths).
    func attributes() -> [(name: String, value: String)] {
        nodes[cursor].attributes.map { i in
            (String(cString: attributeList[i].name), String(cString: bytes.base! + attributeList[i].value))
        }
    }

    /// The line of the current node: where its tag ends.
    var line: Int { Int(nodes[cursor].line) }

    /// The column of the current node: where an element's start tag begins.
    var column: Int { Int(nodes[cursor].column) }

    /// An error at the current node (after the last one, at the last one).
    func failure(_ message: String) -> ImportError {
        ImportError(file: file, line: Int(lastPosition.line), column: Int(lastPosition.column), message: message)
    }

    // MARK: Parsing

    /// Parses pieces of the input until there are nodes to hand out (and the last is not text,
    /// which the next piece may go on), the document ends, or libxml2 reports an error.
    private func parseMore() throws(ImportError) {
        nodes.removeAll(keepingCapacity: true)
        attributeList.removeAll(keepingCapacity: true)
        bytes.count = 0
        cursor = 0
        if !started {
            // libxml2 keeps its generic error handler per thread; the first read may be on another than `init`'s.
            LibXML.silenceGlobalErrors()
            started = true
        }
        while !finished, errors.first == nil, nodes.isEmpty || nodes.last?.node == .text {
            let count = input.read(into: chunk, count: Self.chunkSize)
            guard count >= 0 else { throw ImportError(file: file, line: 0, column: 0, message: "cannot read the file") }
            finished = count == 0
            let result = xmlParseChunk(parser, chunk.assumingMemoryBound(to: CChar.self), Int32(count), finished ? 1 : 0)
            if result != 0 {
                errors.keep("the document is not well-formed", line: Int(position.line), column: Int(position.column), isParserError: true)
            }
        }
    }

    /// The error to throw: a file cut short said plainly, with the element it ended inside.
    private func thrown(_ error: ErrorCollector.Captured) -> ImportError {
        if error.isParserError, whole, let root, XMLReader.endsEarly(path: input.segment.path, root: String(cString: root)) {
            let inside = open.last.map { ", inside <\(String(cString: $0))>" } ?? ""
            return ImportError(file: file, line: error.line, column: error.column, message: "the file ends early\(inside): it was cut off (truncated?)")
        }
        return error.located(in: file)
    }

    private var position: (line: Int32, column: Int32) {
        guard let input = parser.pointee.input else { return (0, 0) }
        return (input.pointee.line, input.pointee.col)
    }

    /// The line and column of the start tag the parser has just read (it stands on its `>`): the
    /// column of its `<`, or 1 where the tag spans lines.
    private var tagStart: (line: Int32, column: Int32) {
        guard let input = parser.pointee.input, var at = input.pointee.cur, let base = input.pointee.base else { return position }
        let end = at
        while at > base, at.pointee != UInt8(ascii: "<") {
            if at.pointee == 0x0A { return (input.pointee.line, 1) }
            at -= 1
        }
        return (input.pointee.line, max(1, input.pointee.col - Int32(end - at)))
    }

    /// What libxml2 refuses when it builds a tree (`xmlTextReader`), which its SAX interface leaves
    /// to the caller: elements nested deeper than this, and a text longer than `maxText`.
    static let maxDepth = 256
    static let maxText = 10_000_000

    private func refuse(_ message: String) {
        let (line, column) = position
        errors.keep(message, line: Int(line), column: Int(column))
        xmlStopParser(parser)
    }

    private func start(_ name: UnsafePointer<UInt8>, _ count: Int, _ attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?) {
        dropBlankText()
        guard open.count < Self.maxDepth else {
            return refuse("elements are nested deeper than \(Self.maxDepth) levels (the depth limit)")
        }
        let first = attributeList.count
        if let attributes {
            for i in 0..<count {
                // Five pointers each: local name, prefix, namespace, value, end of value.
                guard let local = attributes[5 * i], let value = attributes[5 * i + 3], let end = attributes[5 * i + 4] else { continue }
                attributeList.append(Attribute(name: local, value: bytes.attributeValue(value, count: end - value)))
            }
        }
        let (line, column) = tagStart
        // The parser stands on the tag's `/>` or `>`.
        let closesItself = parser.pointee.input?.pointee.cur?.pointee == UInt8(ascii: "/")
        nodes.append(Parsed(
            node: .element, name: name, attributes: first..<attributeList.count, closesItself: closesItself, depth: open.count,
            line: line, column: column))
        if open.isEmpty { root = name }
        open.append(name)
    }

    private func end(_ name: UnsafePointer<UInt8>) {
        dropBlankText()
        _ = open.popLast()
        // `<a/>` is one node, as `xmlTextReader` gives it.
        if let last = nodes.indices.last, nodes[last].node == .element, nodes[last].closesItself, nodes[last].depth == open.count {
            nodes[last].isEmpty = true
            return
        }
        let (line, column) = position
        nodes.append(Parsed(node: .endElement, name: name, depth: open.count, line: line, column: column))
    }

    private func text(_ characters: UnsafePointer<UInt8>, _ count: Int) {
        if let last = nodes.last, last.node == .text {
            guard bytes.count - last.text + count <= Self.maxText else {
                return refuse("a text of more than \(Self.maxText) bytes")
            }
            bytes.extendLast(characters, count: count)
        } else {
            let (line, column) = position
            nodes.append(Parsed(node: .text, text: bytes.append(characters, count: count), depth: open.count, line: line, column: column))
        }
    }

    /// Drops the text before a tag if it is only whitespace (indentation).
    private func dropBlankText() {
        guard let last = nodes.last, last.node == .text, bytes.isBlank(from: last.text) else { return }
        nodes.removeLast()
        bytes.count = last.text
    }

    private func docType() {
        let (line, column) = position
        nodes.append(Parsed(node: .docType, depth: open.count, line: line, column: column))
        xmlStopParser(parser)
    }

    private static let startElement: startElementNsSAX2Func = { context, name, _, _, _, _, count, _, attributes in
        guard let context, let name else { return }
        Unmanaged<SAXReader>.fromOpaque(context).takeUnretainedValue().start(name, Int(count), attributes)
    }

    private static let endElement: endElementNsSAX2Func = { context, name, _, _ in
        guard let context, let name else { return }
        Unmanaged<SAXReader>.fromOpaque(context).takeUnretainedValue().end(name)
    }

    private static let characters: charactersSAXFunc = { context, characters, count in
        guard let context, let characters else { return }
        Unmanaged<SAXReader>.fromOpaque(context).takeUnretainedValue().text(characters, Int(count))
    }

    private static let docType: internalSubsetSAXFunc = { context, _, _, _ in
        guard let context else { return }
        Unmanaged<SAXReader>.fromOpaque(context).takeUnretainedValue().docType()
    }

    private static let error: xmlStructuredErrorFunc = { context, error in
        guard let context, let error else { return }
        Unmanaged<SAXReader>.fromOpaque(context).takeUnretainedValue().errors.keep(error)
    }
}

/// One growing buffer of NUL-terminated strings, emptied for each piece the parser reads.
/// Hand-written: the strings are handed to C-string readers by pointer, which a Swift array
/// cannot give outside a closure.
private struct Arena {
    var base: UnsafeMutablePointer<UInt8>?
    var count = 0
    private var capacity = 0

    /// Stores `count` bytes and a NUL; returns where they start.
    mutating func append(_ source: UnsafePointer<UInt8>, count length: Int) -> Int {
        reserve(length + 1)
        let start = count
        (base! + start).update(from: source, count: length)
        base![start + length] = 0
        count += length + 1
        return start
    }

    /// Adds to the string stored last.
    mutating func extendLast(_ source: UnsafePointer<UInt8>, count length: Int) {
        count -= 1
        _ = append(source, count: length)
    }

    /// An attribute value as the parser gives it. Without entity substitution (never asked for),
    /// libxml2 hands on an `&` (written `&amp;` or `&#38;`) as `&#38;`: it is stored as `&`.
    mutating func attributeValue(_ source: UnsafePointer<UInt8>, count length: Int) -> Int {
        let start = append(source, count: length)
        guard memchr(source, Int32(UInt8(ascii: "&")), length) != nil else { return start }
        var read = start
        var write = start
        let end = start + length
        while read < end {
            if base![read] == UInt8(ascii: "&"), read + 5 <= end, memcmp(base! + read, "&#38;", 5) == 0 {
                base![write] = UInt8(ascii: "&")
                read += 5
            } else {
                base![write] = base![read]
                read += 1
            }
            write += 1
        }
        base![write] = 0
        count = write + 1
        return start
    }

    /// Whether the string from `start` to the end is spaces, tabs and line breaks only.
    func isBlank(from start: Int) -> Bool {
        var i = start
        while i < count - 1 {
            switch base![i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return false
            }
        }
        return true
    }

    private mutating func reserve(_ more: Int) {
        guard count + more > capacity else { return }
        capacity = max(1 << 16, (count + more) * 2)
        guard let grown = realloc(base, capacity) else { fatalError("out of memory for \(capacity) bytes") }
        base = grown.assumingMemoryBound(to: UInt8.self)
    }

    func free() {
        if let base { Foundation.free(base) }
    }
}
