import Foundation

/// All 98 kommuner, the five regions and the whole country, loaded once from `areas.json`.
///
/// Lookups accept a code (`741`, `81`), a slug (`samsoe`) or a name in any common spelling:
/// case and the æ/ø/å transliterations do not matter ("Samsø", "samso", "SAMSOE", "Samsø Kommune").
public struct AreaCatalog: Sendable {
    /// Every area, country first, then regions, then kommuner by code.
    public let all: [Area]
    private let byCode: [AreaCode: Area]
    private let byKey: [String: Area]
    /// Each area by its slug as written, the form every address uses: found without folding.
    private let bySlug: [String: Area]
    /// Names and aliases exactly as written, lowercased: what a source file must print.
    private let byText: [String: Area]
    /// What the sources print for rows that are no area of ours: landsdele, abroad, not stated.
    public let nonAreas: [NonArea]
    private let nonAreaByText: [String: NonArea]
    private let nonAreaByCode: [Int: NonArea]

    /// The reference data shipped with beskplan.
    public static let standard: AreaCatalog = {
        do {
            return try AreaCatalog(resource: ReferenceResource.load("areas"))
        } catch {
            preconditionFailure("areas.json is bundled with BeskplanCore and must decode: \(error)")
        }
    }()

    struct File: Decodable {
        let areas: [Area]
        let nonAreas: [NonArea]
    }

    init(resource data: Data) throws {
        let file = try JSONDecoder().decode(File.self, from: data)
        try self.init(areas: file.areas, nonAreas: file.nonAreas)
    }

    /// Builds a catalog; fails if two areas (or an area and a non-area) share a code or a folded name.
    public init(areas: [Area], nonAreas: [NonArea] = []) throws {
        all = areas
        var codes: [AreaCode: Area] = [:]
        var keys: [String: Area] = [:]
        var texts: [String: Area] = [:]
        for area in areas {
            guard codes.updateValue(area, forKey: area.code) == nil else {
                throw CatalogError.duplicate("area code \(area.code)")
            }
            for spelling in [area.code.rawValue, area.slug, area.name] + area.aliases {
                let key = DanishText.fold(spelling)
                if let other = keys[key], other.code != area.code {
                    throw CatalogError.duplicate("area name '\(spelling)' (\(other.code) and \(area.code))")
                }
                keys[key] = area
            }
            for text in [area.name] + area.aliases { texts[text.lowercased()] = area }
        }
        var nonAreaTexts: [String: NonArea] = [:]
        var nonAreaCodes: [Int: NonArea] = [:]
        for nonArea in nonAreas {
            for text in nonArea.texts {
                let key = DanishText.fold(text)
                if let area = keys[key] {
                    throw CatalogError.duplicate(
                        "area name '\(text)' (\(area.code) and the \(nonArea.kind.rawValue) \(nonArea.name))")
                }
                nonAreaTexts[text.lowercased()] = nonArea
            }
            for code in nonArea.codes.compactMap({ Int($0) }) {
                guard codes[AreaCode(String(format: "%03d", code))] == nil,
                    nonAreaCodes.updateValue(nonArea, forKey: code) == nil
                else {
                    throw CatalogError.duplicate("area code \(code)")
                }
            }
        }
        byCode = codes
        byKey = keys
        bySlug = Dictionary(areas.map { ($0.slug, $0) }, uniquingKeysWith: { first, _ in first })
        byText = texts
        self.nonAreas = nonAreas
        nonAreaByText = nonAreaTexts
        nonAreaByCode = nonAreaCodes
    }

    public var kommuner: [Area] { all.filter { $0.kind == .kommune } }
    public var regions: [Area] { all.filter { $0.kind == .region } }
    public var country: Area { byCode[.country]! }

    public subscript(code: AreaCode) -> Area? { byCode[code] }

    /// The area a user named, or `nil`.
    public func find(_ text: String) -> Area? {
        if let area = bySlug[text] { return area }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let number = Int(trimmed), trimmed.count <= 3 {
            return byCode[AreaCode(String(format: "%03d", number))]
        }
        return byKey[DanishText.fold(trimmed)]
    }

    /// What a source's area text or code names: one of our areas, a known non-area (a landsdel,
    /// abroad, not stated), or nothing known, with the closest known text.
    public enum Match: Equatable, Sendable {
        case area(Area)
        case nonArea(NonArea)
        case unknown(suggestion: String?)
    }

    /// Places a text or code from a source file (`Vesthimmerlands`, `820`, `Province Fyn`, `07`).
    ///
    /// Stricter than `find`, which forgives what people type: a file must print an area's name
    /// or one of its aliases as the sources write it (any case), or its code. `Lasø` or
    /// `Kobenhavn Kommune` is no text a source prints, so it is refused with the closest one,
    /// rather than taken for Læsø and København unseen.
    public func match(_ text: String, suggest: Bool = true) -> Match {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.allSatisfy(\.isASCII), let number = Int(trimmed), trimmed.count <= 3 {
            if let area = byCode[AreaCode(String(format: "%03d", number))] { return .area(area) }
            if let nonArea = nonAreaByCode[number] { return .nonArea(nonArea) }
        }
        if let area = byText[trimmed.lowercased()] { return .area(area) }
        if let nonArea = nonAreaByText[trimmed.lowercased()] { return .nonArea(nonArea) }
        // No area text is longer than 40 characters: a longer field is no misspelling of one.
        guard suggest, trimmed.count <= 60 else { return .unknown(suggestion: nil) }
        let texts = all.flatMap { [$0.name] + $0.aliases } + nonAreas.flatMap(\.texts)
        return .unknown(suggestion: DanishText.closest(to: trimmed, among: texts))
    }

    /// The area a user named, or an error that suggests the closest spelling.
    public func lookup(_ text: String) throws(LookupError) -> Area {
        if let area = find(text) { return area }
        let names = all.flatMap { [$0.name, $0.slug] }
        throw LookupError(kind: "area", name: text, suggestion: DanishText.closest(to: text, among: names))
    }

    /// The region a kommune is compared with in a given plan year.
    ///
    /// Kommuner have kept their region since the 2007 reform; the year is part of the question
    /// because the regional labour-market bodies changed in 2025 (RAR → regionale
    /// beskæftigelsesråd), and a future change belongs here, as data, not in callers.
    public func region(of kommune: AreaCode, in year: Int) -> Area? {
        byCode[kommune]?.region.flatMap { byCode[$0] }
    }
}

/// Reference data that failed its own invariants.
public enum CatalogError: Error, CustomStringConvertible, Equatable {
    case duplicate(String)
    /// A measure that says neither where it is published, nor how it is computed, nor who delivers it.
    case noSource(MeasureID)
    public var description: String {
        switch self {
        case .duplicate(let what): "duplicate \(what) in reference data"
        case .noSource(let id): "measure \(id) names no source: give it origins (a public table), derived (a formula) or office (who in the kommune delivers it)"
        }
    }
}

/// A name that matched nothing, with the closest known spelling.
public struct LookupError: Error, CustomStringConvertible, Equatable {
    public let kind: String
    public let name: String
    public let suggestion: String?

    public init(kind: String, name: String, suggestion: String?) {
        self.kind = kind
        self.name = name
        self.suggestion = suggestion
    }

    public var description: String {
        var text = "unknown \(kind) '\(name)'"
        if let suggestion { text += "; did you mean '\(suggestion)'?" }
        return text
    }
}
