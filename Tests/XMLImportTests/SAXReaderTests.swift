import BeskplanCore
import Foundation
import MappingFormat
import Testing
@testable import XMLImport

/// The SDMX scanner reads through `SAXReader`: the nodes `XMLReader` gives, and the same refusals.
@Suite("SAX reader")
struct SAXReaderTests {
    /// What a scanner sees of one node (columns aside: the SAX reader gives the tag's own).
    struct Seen: Equatable, CustomStringConvertible {
        let node: XMLReader.Node
        let name: String
        let depth: Int
        let empty: Bool
        let attributes: [String]
        let text: String?
        let line: Int

        var description: String { "\(line): \(node) \(name) depth \(depth)\(empty ? " empty" : "") \(attributes) \(text ?? "")" }
    }

    /// The nodes as the scanner reads them. Where `xmlTextReader` tells more than the scanner uses,
    /// that is left out: comments (`.other`), the root's namespace declarations (among its
    /// attributes there), a text node's name (`#text`), and an end node's attributes and line
    /// (its start tag's, there; the end tag's own in `SAXReader`).
    static func seen(
        read: () throws -> Bool, node: () -> XMLReader.Node, name: () -> String, depth: () -> Int, empty: () -> Bool,
        attributes: () -> [(name: String, value: String)], value: () -> UnsafePointer<UInt8>?, line: () -> Int
    ) throws -> [Seen] {
        var all: [Seen] = []
        while try read() {
            switch node() {
            case .element:
                all.append(Seen(
                    node: .element, name: name(), depth: depth(), empty: empty(),
                    attributes: depth() == 0 ? [] : attributes().map { "\($0.name)=\($0.value)" }, text: nil, line: line()))
            case .endElement:
                all.append(Seen(node: .endElement, name: name(), depth: depth(), empty: false, attributes: [], text: nil, line: 0))
            case .text:
                all.append(Seen(node: .text, name: "", depth: depth(), empty: false, attributes: [], text: value().map { String(cString: $0) }, line: line()))
            case .docType, .other:
                continue
            }
        }
        return all
    }

    static func seen(_ r: XMLReader) throws -> [Seen] {
        try seen(
            read: r.read, node: { r.node }, name: { r.localNameString }, depth: { r.depth }, empty: { r.isEmptyElement },
            attributes: r.attributes, value: { r.value }, line: { r.line })
    }

    static func seen(_ r: SAXReader) throws -> [Seen] {
        try seen(
            read: r.read, node: { r.node }, name: { r.localNameString }, depth: { r.depth }, empty: { r.isEmptyElement },
            attributes: r.attributes, value: { r.value }, line: { r.line })
    }

    static let fixtures = [
        "compact20.xml", "crosssectional20.xml", "generic20.xml", "generic21-flat.xml", "generic21-series.xml", "generic21-xs.xml",
        "messagegroup20.xml", "structurespecific21-xs.xml", "structurespecific21.xml", "valid-feed.xml",
    ]

    @Test("Every fixture reads as the same nodes, attributes, texts and lines through both readers", arguments: fixtures)
    func sameNodes(file: String) throws {
        let expected = try Self.seen(XMLReader(path: Fixture.path(file)))
        let actual = try Self.seen(SAXReader(path: Fixture.path(file)))
        #expect(expected.count > 10)
        #expect(actual == expected, "\(zip(actual, expected).first { $0 != $1 }.map { "\($0) ≠ \($1)" } ?? "lengths \(actual.count), \(expected.count)")")
    }

    @Test("An attribute's &amp; and &#38; are an &, a text cut between two pieces of the parser's input is one text")
    func entitiesAndLongText() throws {
        // The ID starts a few bytes before the parser's first 16 KB piece ends.
        let padding = String(repeating: " ", count: 16_384 - 120)
        let id = String(repeating: "ABCDEFGH", count: 40)
        let path = try Fixture.write("amp.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <message:GenericData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">\(padding)
              <message:Header><message:ID>\(id)</message:ID></message:Header>
              <message:DataSet><Series><SeriesKey><Value id="YDELSE" value="A &amp; B &#38; C"/></SeriesKey></Series></message:DataSet>
            </message:GenericData>
            """)
        let nodes = try Self.seen(SAXReader(path: path))
        #expect(nodes.filter { $0.node == .text }.map(\.text) == [id])
        #expect(nodes.first { $0.name == "Value" }?.attributes == ["id=YDELSE", "value=A & B & C"])
        #expect(nodes == (try Self.seen(XMLReader(path: path))))
    }

    @Test("An element written open and closed, and one holding only whitespace, read as through XMLReader")
    func emptyShapes() throws {
        let path = try Fixture.write("shapes.xml", """
            <?xml version="1.0"?>
            <message:GenericData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">
              <message:Header><message:ID></message:ID><message:Test> </message:Test><message:Sender id="S"/></message:Header>
              <message:DataSet><Series><SeriesKey></SeriesKey></Series></message:DataSet>
            </message:GenericData>
            """)
        let nodes = try Self.seen(SAXReader(path: path))
        #expect(nodes.filter { $0.name == "ID" }.map(\.node) == [.element, .endElement], "<ID></ID> is not <ID/>")
        #expect(!nodes.contains { $0.node == .text }, "whitespace alone is no text, as with XML_PARSE_NOBLANKS")
        let expected = try Self.seen(XMLReader(path: path))
        #expect(nodes == expected, "\(nodes.map(\.description).joined(separator: "\n")) ≠\n\(expected.map(\.description).joined(separator: "\n"))")
    }

    @Test("A namespace declared on a series is not one of its components")
    func namespaceOnSeries() throws {
        let fixture = try String(contentsOfFile: Fixture.path("structurespecific21.xml"), encoding: .utf8)
        let declared = fixture.replacingOccurrences(of: "<Series ", with: #"<Series xmlns:x="urn:example:x" "#)
        #expect(declared != fixture)
        let path = try Fixture.write("declared.xml", declared)
        let source = try SDMXSource(path: path, kind: .sdmx21StructureSpecific, mapping: try Fixture.mapping, catalog: Fixture.catalog)
        let plain = try SDMXSource(
            path: Fixture.path("structurespecific21.xml"), kind: .sdmx21StructureSpecific, mapping: try Fixture.mapping, catalog: Fixture.catalog)
        #expect(try drain(source) == (try drain(plain)))
    }

    @Test("A message in ISO-8859-1 reads as the same text as through XMLReader, its ø an ø")
    func latin1() throws {
        var bytes = Data(#"<?xml version="1.0" encoding="ISO-8859-1"?><CompactData><DataSet><Series OMR"#.utf8)
        bytes.append(0xC5)  // Å
        bytes.append(contentsOf: Data(#"DE="Mors"#.utf8))
        bytes.append(0xF8)  // ø
        bytes.append(contentsOf: Data(#""/></DataSet></CompactData>"#.utf8))
        let path = try Fixture.write("latin1.xml", bytes)
        let nodes = try Self.seen(SAXReader(path: path))
        #expect(nodes.first { $0.name == "Series" }?.attributes == ["OMRÅDE=Morsø"])
        #expect(nodes == (try Self.seen(XMLReader(path: path))))
    }

    @Test("A DOCTYPE, a file cut short and nesting past the depth limit are refused at their line, as XMLReader refuses them")
    func refusals() throws {
        let root = #"<CompactData xmlns="http://www.SDMX.org/resources/SDMXML/schemas/v2_0/message">"#
        let cases: [(String, String, [String])] = [
            ("laughs.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE CompactData [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>\n\(root)<DataSet><Series A=\"&b;\"/></DataSet></CompactData>",
             ["laughs.xml:2:", "a DOCTYPE is not allowed"]),
            ("cut.xml", "<?xml version=\"1.0\"?>\n\(root)<DataSet>\n<Series A=\"1\"><Obs TIME_PERIOD=\"2020\" OBS_VAL", ["cut.xml:3:", "the file ends early, inside <Series>"]),
            ("deep.xml", root + String(repeating: "<a>", count: 300) + String(repeating: "</a>", count: 300) + "</CompactData>", ["deep.xml:1:", "depth limit"]),
        ]
        for (name, text, said) in cases {
            let path = try Fixture.write(name, text)
            let sax = #expect(throws: ImportError.self) { try Self.seen(SAXReader(path: path, displayName: name)) }
            #expect(sax.map { error in said.allSatisfy { String(describing: error).contains($0) } } == true, "\(name): \(sax.map { String(describing: $0) } ?? "-")")
            #expect(throws: ImportError.self, "\(name): XMLReader refuses it too") { try Self.seen(XMLReader(path: path, displayName: name)) }
        }
    }
}
