import BeskplanCore
import Foundation

// Globals of a library-mode file are made on first use: main.swift holds only the entry libFuzzer calls.

/// What every input is read with: the measures and areas shipped, and one mapping that fits the fixtures.
let catalog = ImportCatalog(measures: .standard)
let mapping = ImportMapping(
    name: "fuzz", measure: "ydelse.fuldtidspersoner", area: .init(from: "OMRÅDE"), period: .init(from: "TID"),
    dimensions: ["ydelse": .init(from: "YDELSESTYPE", codes: ["KON": "kontanthjaelp", "SYG": "sygedagpenge"])],
    select: ["KØN": "TOT"], ignore: ["ContentsCode"])
/// Jobindsats' answers: the measures are columns named by their labels (`jobindsats-y60a02`).
var jobindsatsMapping: ImportMapping {
    var m = ImportMapping(
        name: "fuzz-jobindsats", measure: nil, area: .init(from: "Område"), period: .init(from: "Periode"),
        dimensions: ["ydelse": .init(value: "i_alt")], missing: .init(values: ["..", "-"]))
    m.measures = ["Antal personer": "ydelse.personer", "Antal fuldtidspersoner": "ydelse.fuldtidspersoner"]
    return m
}
let format = ProcessInfo.processInfo.environment["BESKPLAN_FUZZ_FORMAT"] ?? "px"
let path = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-fuzz-\(getpid())").path

