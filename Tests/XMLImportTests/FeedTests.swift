import BeskplanCore
import Foundation
import Storage
import Testing
import XMLImport

@Suite("Native feed")
struct FeedTests {
    @Test("A valid feed yields its series; missing values are skipped and counted, never 0")
    func validFeed() throws {
        let source = try FeedSource(path: Fixture.path("valid-feed.xml"), catalog: Fixture.catalog)
        let observations = try drain(source)
        #expect(observations.count == 4)
        let kontanthjaelp = observations.filter { $0.series.dimensions["ydelse"] == "kontanthjaelp" }
        #expect(kontanthjaelp.map(\.value) == [432, 391])
        #expect(kontanthjaelp.map(\.period) == [.quarter(2018, 2), .quarter(2019, 2)])
        let ledighed = observations.filter { $0.series.measure == "ledighed.procent" }
        #expect(ledighed.map(\.period) == [.month(2019, 7), .month(2019, 8)])
        #expect(ledighed.first?.series.area == "081")
        #expect(source.skipped.total == 3)  // NaN, no value, status M
        #expect(source.header["note"] == "test fixture")
    }

    @Test(
        "Content errors name file, line and what was expected",
        arguments: [
            (#"<series measure="ydelse.fuldtidspersonr" area="820"><dim name="ydelse" value="kontanthjaelp"/></series>"#,
             "did you mean 'ydelse.fuldtidspersoner'?"),
            (#"<series measure="ydelse.fuldtidspersoner" area="999"><dim name="ydelse" value="kontanthjaelp"/></series>"#,
             "unknown area code '999'"),
            (#"<series measure="ydelse.fuldtidspersoner" area="820"><dim name="ydelse" value="kontanthjalp"/></series>"#,
             "did you mean 'kontanthjaelp'?"),
            (#"<series measure="ydelse.fuldtidspersoner" area="820"></series>"#, "needs a value for dimension 'ydelse'"),
            (#"<series measure="ledighed.procent" area="820"><obs period="2019K5" value="1"/></series>"#, "2019K5"),
            (#"<series measure="ledighed.procent" area="820"><obs value="1"/></series>"#, "period"),
            (#"<series measure="ledighed.procent" area="820"><obs period="2019K1" value="abc"/></series>"#, "abc"),
            (#"<series area="820"/>"#, "measure"),
            (#"<serie measure="ledighed.procent" area="820"/>"#, "serie"),
        ])
    func contentErrors(series: String, expected: String) throws {
        let path = try Fixture.write("bad.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="urn:beskplan:feed:1" source="test">
            \(series)
            </feed>
            """)
        do {
            _ = try drain(try FeedSource(path: path, displayName: "bad.xml", catalog: Fixture.catalog))
            Issue.record("expected an error mentioning \(expected)")
        } catch {
            let text = String(describing: error)
            #expect(text.hasPrefix("bad.xml:3:"), "\(text)")
            #expect(text.contains(expected), "\(text)")
            #expect(!text.contains("\n"))
        }
    }

    @Test("A feed in another namespace is refused at its root")
    func wrongNamespace() throws {
        let path = try Fixture.write("other.xml", #"<feed xmlns="urn:other" source="x"/>"#)
        #expect(throws: ImportError.self) { try drain(try FeedSource(path: path, catalog: Fixture.catalog)) }
    }
}
