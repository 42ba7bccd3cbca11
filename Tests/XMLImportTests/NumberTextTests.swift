import Foundation
import TestSupport
import Testing
@testable import XMLImport

@Suite("Numbers in XML attributes")
struct NumberTextTests {
    /// The fast path must give strtod's double, bit for bit, or step aside.
    @Test("Plain decimals read exactly as strtod reads them")
    func plainDecimalsMatchStrtod() {
        var generator = SeededGenerator(for: "plain decimals against strtod")
        var texts = ["0", "-0", "0.1", "330.3", "-2.5", "999999999999999", "0.000000000000001", "1234567.891"]
        for _ in 0..<20_000 {
            let digits = Int.random(in: 1...15, using: &generator)
            let body = String((0..<digits).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
            let point = Int.random(in: 0...digits, using: &generator)
            let text = point == digits ? body : "\(body.prefix(point).isEmpty ? "0" : String(body.prefix(point))).\(body.dropFirst(point))"
            texts.append(Bool.random(using: &generator) ? "-" + text : text)
        }
        for text in texts {
            let fast = text.withCString { $0.withMemoryRebound(to: UInt8.self, capacity: text.utf8.count + 1, NumberText.plainDecimal) }
            let reference = strtod(text, nil)
            if text.filter(\.isNumber).count <= 15 {
                #expect(fast?.bitPattern == reference.bitPattern, "\(text)")
            } else {
                #expect(fast == nil, "\(text) has more digits than the fast path takes")
            }
        }
    }

    @Test("Other forms go to strtod, and text that is no number is refused")
    func otherForms() {
        func read(_ text: String) -> Double? {
            text.withCString { $0.withMemoryRebound(to: UInt8.self, capacity: text.utf8.count + 1, NumberText.double) }
        }
        #expect(read("1e3") == 1000)
        #expect(read("12.") == 12)
        #expect(read("1234567890123456789") == 1.2345678901234568e18)
        #expect(read(" 7 ") == 7)
        #expect(read("1,5") == nil)
        #expect(read("abc") == nil)
        #expect(read("") == nil)
    }
}
