import Foundation
import Testing
import TestSupport

/// `beskplan fetch` as an analyst runs it, against the local stand-in for the sources.
@Suite("beskplan fetch")
struct FetchCommandTests {
    static let key = "nøgle-HEMMELIG-0815"

    @Test("--dry-run lists the plan's requests and sends none; a fetch imports them; the key shows nowhere, a bad one is one line")
    func fetchPlan() async throws {
        let db = Binary.temporaryPath("fetch.sqlite")
        let server = SourceServer(key: Self.key)
        try await server.run { base in
            let options = ["--plan", "vesthimmerland", "2020", "--db", db, "--jobindsats-base-url", base, "--dst-base-url", base, "--backoff", "0.02"]
            let dry = try Binary.beskplan.run(["fetch", "--dry-run"] + options)
            #expect(dry.status == 0, "\(dry.stderr)")
            #expect(dry.stdout.contains("1 request (dry run: nothing sent)") && dry.stdout.contains("\(base)/v2/data/ptv_a02/json"), "\(dry.stdout)")
            #expect(dry.stdout.contains("\"area\":[\"Region Nordjylland\",\"Vesthimmerlands\"]"), "\(dry.stdout)")
            #expect(await server.received.isEmpty, "a dry run sends nothing")

            let run = try Binary.beskplan.run(["fetch"] + options, environment: ["BESKPLAN_JOBINDSATS_KEY": Self.key])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("1 of 1 requests imported"), "\(run.stdout)")
            #expect(run.stdout.contains("\(base)/v2/data/ptv_a02/json: Jobindsats JSON"), "the summary names the address, not a temporary file: \(run.stdout)")
            let observations = try Binary.beskplan.run(["observations", "--measure", "ydelse.fuldtidspersoner", "--area", "vesthimmerland", "--db", db])
            #expect(observations.stdout.contains("2020M06"), "\(observations.stdout)")

            let bad = try Binary.beskplan.run(["fetch"] + options, environment: ["BESKPLAN_JOBINDSATS_KEY": "forkert-HEMMELIG"])
            #expect(bad.status == 1)
            #expect(bad.stderr.contains("refused the API key") && bad.stderr.contains("BESKPLAN_JOBINDSATS_KEY"), "\(bad.stderr)")
            let none = try Binary.beskplan.run(["fetch"] + options, environment: ["BESKPLAN_JOBINDSATS_KEY": "", "HOME": Binary.temporaryPath("home")])
            #expect(none.status != 0 && none.stderr.contains("BESKPLAN_JOBINDSATS_KEY"), "\(none.stderr)")
            for output in [dry, run, bad, none] {
                #expect(!(output.stdout + output.stderr).contains("HEMMELIG"), "the key was printed")
            }
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: db))
        #expect(bytes.range(of: Data("HEMMELIG".utf8)) == nil, "the key is in the database")
    }
}
