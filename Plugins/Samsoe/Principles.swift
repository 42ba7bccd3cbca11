import PluginKit

/// Samsø's seven local principles on four pillars, as a table in place of the plan's prose
/// section. The wording is a summary, not the plan's text.
enum Principles {
    static let pillars: [(pillar: String, principles: [String])] = [
        ("Virksomhederne", ["Virksomhederne er aktive partnere i opkvalificeringen af borgerne."]),
        ("Borgerne", [
            "Borgerne får en håndholdt indsats med råd og vejledning inden for lovens rammer.",
            "Borgerne mødes respektfuldt og ligeværdigt, og deres ønsker og forudsætninger indgår i planen.",
        ]),
        ("Jobcentret", [
            "Jobcentret hjælper borgerne videre og skaber det gode møde mellem borger og virksomhed.",
            "Jobcentret gør sin kerneopgave tydelig for virksomhederne.",
            "Jobcentret giver borgerne overblik over de lokale beskæftigelsesmuligheder.",
        ]),
        ("Civilsamfundet", ["Netværk åbner døre til job; jobcentret er i løbende dialog med civilsamfundet."]),
    ]

    static func section() -> ReportSection {
        ReportSection(.replacing(.planSection("principper")), blocks: [
            .heading(Heading(level: 1, text: "Lokale beskæftigelsespolitiske principper", anchor: "principper")),
            .paragraph("Social- og Beskæftigelsesudvalget har fastsat syv principper, bygget på de fire søjler, der bærer beskæftigelsesindsatsen på Samsø."),
            .table(ReportTable(
                caption: "Syv principper på fire søjler", header: ["Søjle", "Princip"],
                rows: pillars.flatMap { p in p.principles.map { [p.pillar, $0] } })),
        ])
    }
}
