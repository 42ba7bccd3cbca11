/// A DST area code: three digits. `000` is the whole country, `081`–`085` the regions,
/// everything else a kommune (`741` Samsø).
public struct AreaCode: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            // YAML and JSON writers drop leading zeros (`kommune: 741` is fine, `81` means 081).
            rawValue = String(format: "%03d", number)
        } else {
            rawValue = try container.decode(String.self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func < (lhs: AreaCode, rhs: AreaCode) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }

    /// The whole country.
    public static let country: AreaCode = "000"
}

/// What level of the administrative geography an area is.
public enum AreaKind: String, Sendable, Codable, CaseIterable {
    case country, region, kommune
}

/// A kommune, a region or the whole country, as listed in `Resources/areas.json`.
public struct Area: Hashable, Sendable, Codable, Identifiable {
    public let code: AreaCode
    public let kind: AreaKind
    /// The Danish name as Danmarks Statistik writes it ("Samsø", "Region Nordjylland").
    public let name: String
    /// ASCII slug for URLs and command lines (`samsoe`, `aeroe`, `region-nordjylland`).
    public let slug: String
    /// The region a kommune belongs to; `nil` for regions and the country.
    public let region: AreaCode?
    /// Other spellings that name the area ("All Denmark", "Copenhagen", "Samsø Kommune").
    public let aliases: [String]

    public var id: AreaCode { code }

    public init(
        code: AreaCode, kind: AreaKind, name: String, slug: String,
        region: AreaCode? = nil, aliases: [String] = []
    ) {
        self.code = code
        self.kind = kind
        self.name = name
        self.slug = slug
        self.region = region
        self.aliases = aliases
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decode(AreaCode.self, forKey: .code)
        kind = try c.decode(AreaKind.self, forKey: .kind)
        name = try c.decode(String.self, forKey: .name)
        slug = try c.decode(String.self, forKey: .slug)
        region = try c.decodeIfPresent(AreaCode.self, forKey: .region)
        aliases = try c.decodeIfPresent([String].self, forKey: .aliases) ?? []
    }
}

/// A row label the statistics print that is no kommune, region or the country: one of the 11
/// landsdele, "Abroad", "Not stated municipality", Christiansø. Importers skip such rows and say
/// so; any other text they cannot place is an error. Listed in `Resources/areas.json`.
public struct NonArea: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case landsdel, uoplyst, udlandet, udenfor, christiansoe
        /// DST's codes for abroad, outside Denmark and not stated, which differ between tables.
        case uoplystKode

        /// What the kind is, for skip reasons.
        public var description: String {
            switch self {
            case .landsdel: "a landsdel, not a kommune"
            case .uoplyst: "not a kommune (kommune not stated)"
            case .udlandet: "not a kommune (abroad)"
            case .udenfor: "not a kommune (outside Denmark)"
            case .christiansoe: "not a kommune (Christiansø belongs to none)"
            case .uoplystKode: "DST's code for abroad, outside Denmark or not stated"
            }
        }
    }

    public let kind: Kind
    /// The source's codes for it (`01`–`11` for the landsdele).
    public let codes: [String]
    /// Every text the sources print for it, Danish and English; the first is the Danish name.
    public let texts: [String]

    public init(kind: Kind, codes: [String], texts: [String]) {
        self.kind = kind
        self.codes = codes
        self.texts = texts
    }

    /// The Danish name.
    public var name: String { texts.first ?? codes.first ?? kind.rawValue }
}
