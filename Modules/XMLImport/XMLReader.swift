import BeskplanCore
import CLibXML2
import Foundation

/// A streaming pull reader over libxml2's `xmlTextReader`, configured so that hostile XML cannot
/// reach the network, the file system or unbounded memory:
///
/// - `XML_PARSE_NONET`; never `NOENT`, `DTDLOAD`, `DTDVALID`, `XINCLUDE` or `HUGE`, so entities are
///   not expanded, no DTD is loaded, and libxml2's own size and depth limits stay on;
/// - an external-entity loader that always refuses;
/// - any `<!DOCTYPE …>` is refused as soon as the reader meets it;
/// - libxml2's messages go to a structured handler and come back as one `ImportError`
///   (`file:line:col: message`), never raw to stderr.
///
/// Memory does not grow with the file: the reader keeps only the current node.
final class XMLReader {
    enum Node {
        case element, endElement, text, docType, other
    }

    let file: String
    private let reader: xmlTextReaderPtr
    private let errors: ErrorCollector
    /// The bytes a segment reader reads from (kept alive for libxml2's callbacks).
    private let stream: SegmentStream?
    private var total: Int64
    private var started = false
    /// The file read whole (not a segment), to look at its end when the parser fails.
    private var wholePath: String?

    /// The options every reader is opened with. `NOBLANKS` drops the indentation between
    /// elements, which carries nothing in data files and would be every other node.
    static let options = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_COMPACT.rawValue | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_NOBLANKS.rawValue)

    /// Opens `path` for streaming; with a schema, the document is validated while it is read.
    convenience init(path: String, displayName: String? = nil, schema: XMLSchema? = nil) throws(ImportError) {
        LibXML.setUp()
        let file = displayName ?? path
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value
        guard let size else { throw ImportError(file: file, line: 0, column: 0, message: "cannot read the file") }
        LibXML.silenceGlobalErrors()
        guard let reader = xmlReaderForFile(path, nil, Self.options) else {
            throw ImportError(file: file, line: 0, column: 0, message: "cannot open the file as XML")
        }
        try self.init(reader: reader, file: file, size: size, stream: nil, schema: schema)
        wholePath = path
    }

    /// Opens one segment of a document (see `XMLSegment`) as a document of its own.
    convenience init(segment: FileSegment, schema: XMLSchema? = nil) throws(ImportError) {
        LibXML.setUp()
        LibXML.silenceGlobalErrors()
        let stream = try SegmentStream(segment)
        let context = Unmanaged.passUnretained(stream).toOpaque()
        guard let reader = xmlReaderForIO(SegmentStream.read, SegmentStream.close, context, nil, nil, Self.options) else {
            throw ImportError(file: segment.path, line: 0, column: 0, message: "cannot open the file as XML")
        }
        try self.init(reader: reader, file: segment.path, size: segment.size, stream: stream, schema: schema)
    }

    private init(
        reader: xmlTextReaderPtr, file: String, size: Int64, stream: SegmentStream?, schema: XMLSchema?
    ) throws(ImportError) {
        self.reader = reader
        self.file = file
        self.stream = stream
        total = size
        errors = ErrorCollector()
        xmlTextReaderSetStructuredErrorHandler(reader, ErrorCollector.handler, Unmanaged.passUnretained(errors).toOpaque())
        if let schema, xmlTextReaderSetSchema(reader, schema.pointer) != 0 {
            throw ImportError(file: file, line: 0, column: 0, message: "cannot attach the schema")
        }
    }

    deinit {
        xmlFreeTextReader(reader)
    }

    /// The file's size in bytes, for progress.
    var totalBytes: Int64 { total }

    /// Bytes of the file the parser has consumed so far.
    var bytesConsumed: Int64 { Int64(xmlTextReaderByteConsumed(reader)) }

    /// Moves to the next node; `false` at the end of the document.
    func read() throws(ImportError) -> Bool {
        if !started {
            // The first read may happen on another thread than `init` (an import pipeline).
            LibXML.silenceGlobalErrors()
            started = true
        }
        let result = xmlTextReaderRead(reader)
        // libxml2 says "Premature end of data", "Extra content at the end of the document" or
        // nothing at all for a file cut short: said plainly, with the element it ended inside.
        if errors.first?.isParserError ?? (result < 0), endsEarly() {
            throw failure("the file ends early\(openElement.map { ", inside <\($0)>" } ?? ""): it was cut off (truncated?)")
        }
        if let error = errors.first { throw error.located(in: file) }
        if result < 0 { throw failure("the document is not well-formed") }
        guard result == 1 else {
            return false
        }
        if xmlTextReaderNodeType(reader) == Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue) {
            throw failure("a DOCTYPE is not allowed (DTDs and entities are refused)")
        }
        return true
    }

    var node: Node {
        switch xmlTextReaderNodeType(reader) {
        case Int32(XML_READER_TYPE_ELEMENT.rawValue): .element
        case Int32(XML_READER_TYPE_END_ELEMENT.rawValue): .endElement
        case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue): .text
        case Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue): .docType
        default: .other
        }
    }

    /// The local name, interned in the reader's dictionary (compare with `is(_:)`).
    var localName: UnsafePointer<UInt8>? { xmlTextReaderConstLocalName(reader) }

    var localNameString: String { localName.map { String(cString: $0) } ?? "" }

    /// The name as written, with its prefix (`generic:Series`).
    var qualifiedName: String { xmlTextReaderConstName(reader).map { String(cString: $0) } ?? "" }

    var namespaceURI: String? { xmlTextReaderConstNamespaceUri(reader).map { String(cString: $0) } }

    var depth: Int { Int(xmlTextReaderDepth(reader)) }

    var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

    /// Text of a text node.
    var value: UnsafePointer<UInt8>? { xmlTextReaderConstValue(reader) }

    /// A name interned in this reader's dictionary, for pointer-fast comparisons.
    func intern(_ name: String) -> UnsafePointer<UInt8> { xmlTextReaderConstString(reader, name) }

    /// Whether the current node's local name is `name` (an interned name). libxml2 keeps every
    /// element and attribute name in the reader's dictionary, so equal names are equal pointers.
    @inline(__always)
    func `is`(_ name: UnsafePointer<UInt8>) -> Bool {
        xmlTextReaderConstLocalName(reader) == name
    }

    /// Calls `body` with each attribute's local name and value (C strings valid during the call).
    @inline(__always)
    func forEachAttribute(_ body: (UnsafePointer<UInt8>, UnsafePointer<UInt8>) throws(ImportError) -> Void)
        throws(ImportError)
    {
        guard xmlTextReaderMoveToFirstAttribute(reader) == 1 else { return }
        repeat {
            if let name = xmlTextReaderConstLocalName(reader), let value = xmlTextReaderConstValue(reader) {
                try body(name, value)
            }
        } while xmlTextReaderMoveToNextAttribute(reader) == 1
        xmlTextReaderMoveToElement(reader)
    }

    /// The attributes of the current element as strings (for headers and inspection, not hot paths).
    func attributes() -> [(name: String, value: String)] {
        var result: [(String, String)] = []
        try? forEachAttribute { name, value in result.append((String(cString: name), String(cString: value))) }
        return result
    }

    /// Whether the file stops before its root element is closed.
    private func endsEarly() -> Bool {
        var node = xmlTextReaderCurrentNode(reader)
        var root: String?
        while let current = node {
            if current.pointee.type == XML_ELEMENT_NODE { root = current.pointee.name.map { String(cString: $0) } }
            node = current.pointee.parent
        }
        guard let wholePath, let root else { return false }
        return Self.endsEarly(path: wholePath, root: root)
    }

    /// Whether the file at `path` stops before its root element (local name `root`) is closed:
    /// its last tag is not the root's end tag.
    static func endsEarly(path: String, root: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 512 ? size - 512 : 0)
        let tail = String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard tail.hasSuffix(">"), let close = tail.range(of: "</", options: .backwards) else { return true }
        let name = tail[close.upperBound...].dropLast().trimmingCharacters(in: .whitespaces)
        return name.split(separator: ":").last.map(String.init) != root
    }

    /// The innermost element still open at the reader's position (read only for an error).
    private var openElement: String? {
        var node = xmlTextReaderCurrentNode(reader)
        // An element that closed itself (`<obs …/>`) or has just ended is not open.
        if xmlTextReaderIsEmptyElement(reader) == 1 || xmlTextReaderNodeType(reader) == Int32(XML_READER_TYPE_END_ELEMENT.rawValue) {
            node = node?.pointee.parent
        }
        while let current = node, current.pointee.type != XML_ELEMENT_NODE { node = current.pointee.parent }
        return node.flatMap { $0.pointee.name.map { String(cString: $0) } }
    }

    /// The line of the current node (the parser itself may have read further ahead).
    var line: Int {
        if let node = xmlTextReaderCurrentNode(reader) {
            let line = Int(xmlGetLineNo(node))
            if line > 0 { return line }
        }
        return Int(xmlTextReaderGetParserLineNumber(reader))
    }

    /// The parser's column, where it is on the node's line; else 1 (libxml2 keeps no node columns).
    var column: Int {
        Int(xmlTextReaderGetParserLineNumber(reader)) == line ? Int(xmlTextReaderGetParserColumnNumber(reader)) : 1
    }

    /// An error at the reader's current position.
    func failure(_ message: String) -> ImportError {
        ImportError(file: file, line: line, column: column, message: message)
    }
}

/// A compiled XML Schema, shared read-only by the readers that validate against it.
final class XMLSchema: @unchecked Sendable {
    // Unchecked: libxml2 documents a parsed xmlSchema as usable by many validation contexts
    // at once; it is never mutated after `init`.
    let pointer: xmlSchemaPtr

    /// Compiles the schema at `path`. It is read into memory first: loading it by name would go
    /// through the external-entity loader, which refuses everything.
    init(path: String) throws(ImportError) {
        LibXML.setUp()
        LibXML.silenceGlobalErrors()
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportError(file: path, line: 0, column: 0, message: "cannot read the schema")
        }
        let context = data.withUnsafeBytes { bytes in
            xmlSchemaNewMemParserCtxt(bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        }
        guard let context else {
            throw ImportError(file: path, line: 0, column: 0, message: "cannot read the schema")
        }
        defer { xmlSchemaFreeParserCtxt(context) }
        guard let schema = xmlSchemaParse(context) else {
            throw ImportError(file: path, line: 0, column: 0, message: "the schema does not compile")
        }
        pointer = schema
    }

    deinit { xmlSchemaFree(pointer) }
}

/// One-time libxml2 set-up for the process.
enum LibXML {
    private static let initialized: Bool = {
        xmlInitParser()
        xmlSetExternalEntityLoader(refusingLoader)
        return true
    }()

    static func setUp() { _ = initialized }

    /// libxml2 keeps its generic error handler per thread: route this thread's to nowhere, so
    /// nothing reaches stderr; readers report through their own structured handler.
    static func silenceGlobalErrors() {
        xmlSetStructuredErrorFunc(nil, ignoreError)
    }
}

/// Never loads an external entity or DTD: returning nil makes libxml2 report an error.
private let refusingLoader: xmlExternalEntityLoader = { _, _, _ in nil }

private let ignoreError: xmlStructuredErrorFunc = { _, _ in }

/// Keeps the first error libxml2 reports for one reader (`XMLReader`, `SAXReader`).
final class ErrorCollector {
    struct Captured {
        let line: Int
        let column: Int
        let message: String
        /// The XML parser's own error (not a schema's or an encoding's).
        var isParserError = false

        func located(in file: String) -> ImportError {
            ImportError(file: file, line: line, column: column, message: message)
        }
    }

    var first: Captured?

    static let handler: xmlStructuredErrorFunc = { context, error in
        guard let context, let error else { return }
        Unmanaged<ErrorCollector>.fromOpaque(context).takeUnretainedValue().keep(error)
    }

    /// Keeps `error` if it is the first error (not a warning).
    func keep(_ error: UnsafePointer<xmlError>) {
        guard first == nil, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let message = error.pointee.message.map { String(cString: $0) } ?? "XML error \(error.pointee.code)"
        first = Captured(
            line: Int(error.pointee.line), column: Int(error.pointee.int2),
            message: message.trimmingCharacters(in: .whitespacesAndNewlines),
            isParserError: error.pointee.domain == Int32(XML_FROM_PARSER.rawValue))
    }

    /// Keeps a refusal of the reader's own, if no error came first.
    func keep(_ message: String, line: Int, column: Int, isParserError: Bool = false) {
        if first == nil { first = Captured(line: line, column: column, message: message, isParserError: isParserError) }
    }
}
