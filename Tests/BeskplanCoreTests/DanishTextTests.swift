import Testing
@testable import BeskplanCore

@Suite("Danish name matching")
struct DanishTextTests {
    @Test("The plain fold gives the same key as Foundation's for every area spelling and typed variants")
    func plainFoldMatchesFoundation() {
        var texts = AreaCatalog.standard.all.flatMap { [$0.code.rawValue, $0.slug, $0.name] + $0.aliases }
        texts += ["SAMSOE", "Samsø Kommune", "Aarhus", "Århus", "Hele landet", "All Denmark", "Lyngby-Taarbæk", "  Frederiksberg ", "Æbelø 2"]
        for text in texts {
            let plain = DanishText.foldPlain(text)
            #expect(plain == DanishText.foldWithFoundation(text), "\(text)")
        }
        #expect(DanishText.fold("Samsø") == DanishText.fold("SAMSOE"))
    }

    @Test("Other accents go through Foundation and are dropped")
    func otherAccents() {
        #expect(DanishText.foldPlain("Café") == nil)
        #expect(DanishText.fold("Café") == "cafe")
    }
}
