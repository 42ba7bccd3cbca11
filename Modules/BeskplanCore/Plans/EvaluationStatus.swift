/// A target's status at a date.
public enum EvaluationStatus: String, Sendable, Codable, CaseIterable {
    case opfyldt
    case paaVej = "paa_vej"
    case iRisiko = "i_risiko"
    case ikkeOpfyldt = "ikke_opfyldt"
    /// A target judged from figures whose figures are not there.
    case manglerData = "mangler_data"
    /// A target judged by a person (a milestone) that no one has assessed yet: not missing data.
    case afventerVurdering = "afventer_vurdering"
    /// Assessed by hand (a milestone).
    case vurderet

    /// The Danish word shown to users.
    public var label: String {
        switch self {
        case .opfyldt: "opfyldt"
        case .paaVej: "på vej"
        case .iRisiko: "i risiko"
        case .ikkeOpfyldt: "ikke opfyldt"
        case .manglerData: "mangler data"
        case .afventerVurdering: "afventer vurdering"
        case .vurderet: "vurderet"
        }
    }
}
