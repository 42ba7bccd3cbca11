import BeskplanCore
import Foundation
import Storage
import Testing
import XMLImport

/// Hostile XML: each case gives a one-line `file:line:col:` error and leaves the database as it was.
@Suite("Hostile XML")
struct SecurityTests {
    static let feedOpen = #"<feed xmlns="urn:beskplan:feed:1" source="x">"#

    static var cases: [(String, Data)] {
        var list: [(String, Data)] = []
        func text(_ name: String, _ s: String) { list.append((name, Data(s.utf8))) }
        text("xxe.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            \(feedOpen)<series measure="ledighed.procent" area="820"><obs period="2019M01" value="&xxe;"/></series></feed>
            """)
        text("billion-laughs.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE feed [
             <!ENTITY lol "lol">
             <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
             <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
             <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
             <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
             <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
             <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
             <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
             <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
             <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
            ]>
            \(feedOpen)<series measure="ledighed.procent" area="820"><obs period="2019M01" value="&lol9;"/></series></feed>
            """)
        let big = String(repeating: "x", count: 50_000)
        text("quadratic.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE feed [<!ENTITY a "\(big)">]>
            \(feedOpen)<series measure="ledighed.procent" area="820"><obs period="2019M01" value="\(String(repeating: "&a;", count: 5_000))"/></series></feed>
            """)
        text("external-dtd.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE feed SYSTEM "http://127.0.0.1:9/feed.dtd">
            \(feedOpen)</feed>
            """)
        text("deep.xml", "<?xml version=\"1.0\"?>\n" + feedOpen + String(repeating: "<a>", count: 10_000)
            + String(repeating: "</a>", count: 10_000) + "</feed>")
        var garbage = Data("\u{89}PNG\r\n".utf8)
        var seed: UInt64 = 42
        for _ in 0..<4096 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1
            garbage.append(UInt8(truncatingIfNeeded: seed >> 33))
        }
        list.append(("garbage.bin", garbage))
        text("truncated.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            \(feedOpen)<series measure="ledighed.procent" area="820"><obs period="2019M01" value="3.2"/><obs per
            """)
        // Declares UTF-8 but holds a Latin-1 'ø' (0xF8).
        var lying = Data("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\(feedOpen)<series measure=\"ledighed.procent\" area=\"820\"><obs period=\"2019M01\" value=\"1\"/></series>\n<!-- Sams".utf8)
        lying.append(0xF8)
        lying.append(contentsOf: Data(" -->\n</feed>\n".utf8))
        list.append(("lying-encoding.xml", lying))
        text("lying-utf16.xml", "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n\(feedOpen)</feed>\n")
        return list
    }

    @Test("Each attack is refused with a located one-line error and writes nothing", arguments: cases.map(\.0))
    func refused(name: String) async throws {
        let bytes = try #require(Self.cases.first { $0.0 == name }?.1)
        let path = try Fixture.write(name, bytes)
        let store = try await storeWithOneObservation()
        let before = try await everything(store)
        do {
            let source = try FeedSource(path: path, displayName: name, catalog: Fixture.catalog)
            try await store.importObservations(ImportOrigin(source: "feed", file: name), from: source, dryRun: false)
            Issue.record("\(name) was imported")
        } catch {
            let text = String(describing: error)
            #expect(text.hasPrefix("\(name):"), "\(text)")
            #expect(text.split(separator: ":").count >= 4, "\(text)")
            #expect(!text.contains("\n"), "\(text)")
            #expect(!text.contains("root:"), "leaked file content: \(text)")
        }
        #expect(try await everything(store) == before)
    }

    @Test("SDMX, read without a schema, is held by libxml2's depth limit")
    func deepSDMX() throws {
        let root = #"<CompactData xmlns="http://www.SDMX.org/resources/SDMXML/schemas/v2_0/message"><DataSet>"#
        let path = try Fixture.write("deep-sdmx.xml", root + String(repeating: "<a>", count: 10_000)
            + String(repeating: "</a>", count: 10_000) + "</DataSet></CompactData>")
        let source = try SDMXSource(path: path, kind: .sdmx20Compact, mapping: try Fixture.mapping, catalog: Fixture.catalog)
        #expect {
            try drain(source)
        } throws: { error in
            let text = String(describing: error)
            return text.contains("deep-sdmx.xml:1:") && text.lowercased().contains("depth")
        }
    }

    @Test("A truncated file says that it ends early, and inside which element")
    func truncated() throws {
        let path = try Fixture.write("cut.xml", "<?xml version=\"1.0\"?>\n\(Self.feedOpen)<series measure=\"ledighed.procent\" area=\"820\"><obs per")
        let error = #expect(throws: ImportError.self) { try drain(try FeedSource(path: path, catalog: Fixture.catalog)) }
        #expect(error?.message.contains("the file ends early, inside <series>") == true, "\(error?.message ?? "-")")
        // Cut between two elements, where libxml2 would say "Extra content at the end of the document".
        let between = try Fixture.write("cut2.xml", "<?xml version=\"1.0\"?>\n\(Self.feedOpen)<series measure=\"ledighed.procent\" area=\"820\"><obs period=\"2019M01\" value=\"3.2\"/>\n")
        let second = #expect(throws: ImportError.self) { try drain(try FeedSource(path: between, catalog: Fixture.catalog)) }
        #expect(second?.message.contains("the file ends early, inside <series>") == true, "\(second?.message ?? "-")")
    }

    @Test("Detection also refuses a DOCTYPE before naming the format")
    func detectionRefusesDoctype() throws {
        let path = try Fixture.write("x.xml", "<?xml version=\"1.0\"?><!DOCTYPE feed [<!ENTITY a \"b\">]><feed xmlns=\"urn:beskplan:feed:1\" source=\"x\"/>")
        #expect(throws: ImportError.self) { try XMLDocumentKind.detect(path: path) }
    }
}
