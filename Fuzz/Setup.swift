import BeskplanCore
import Foundation

// Globals of a library-mode file are made on first use: main.swift holds only the entry libFuzzer calls.

/// What every input is read with: the measures and areas shipped, and one mapping that fits the fixtures.
let catalog = ImportCatalog(measures: .standard)
let mapping = ImportMapping(
    name: "fuzz", measure: "ydelse.fuldtidspersoner", area: .init(from: "OMRÅDE"), period: .init(from: "TID"),
    dimensions: ["ydelse": .init(from: "YDELSESTYPE", codes: ["KON": "kontanthjaelp", "SYG": "sygedagpenge"])],
    select: ["KØN": "TOT"], ignore: ["ContentsCode"])
let format = ProcessInfo.processInfo.environment["BESKPLAN_FUZZ_FORMAT"] ?? "px"
let path = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-fuzz-\(getpid())").path

