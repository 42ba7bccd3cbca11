@testable import AppSupport
import Testing
import Storage

/// The figures printed in the seed plans, imported from the plugins' demo feeds.
@Suite("Demo feeds")
struct DemoFeedTests {
    static func importedEnvironment() async throws -> AppEnvironment {
        let env = try await AppEnvironment.open(database: .memory)
        let importer = FileImporter(env)
        for entry in env.registry.entries {
            for feed in entry.plugin.demoFeeds {
                let summary = try await importer.importFile(feed.path)
                let expected = ["jammerbugt-2021.xml": 27, "morsoe-2021.xml": 6, "samsoe-2024.xml": 6, "vesthimmerland-2019.xml": 226]
                #expect(summary.result.observations == expected[feed.lastPathComponent], "\(feed.lastPathComponent)")
                #expect(summary.result.replaced == 0, "\(feed.lastPathComponent) gives a key twice")
            }
        }
        return env
    }

    func value(
        _ env: AppEnvironment, _ measure: String, _ area: AreaCode, _ period: Period, _ dims: [String: String] = [:]
    ) async throws -> Double? {
        try await env.store.observations(ObservationQuery(measure: measure, areas: [area], dimensions: dims))
            .first { $0.period == period }?.value
    }

    @Test("Four seed kommuner ship demo feeds; Norddjurs' plan prints no figures")
    func feedsShipped() throws {
        let registry = try AppEnvironment.builtInPlugins()
        let withFeeds = registry.entries.filter { !$0.plugin.demoFeeds.isEmpty }.map(\.kommune.code)
        #expect(withFeeds == ["741", "773", "820", "849"])
    }

    @Test("Vesthimmerland's tables 1–3 and section 7 read back as printed")
    func vesthimmerland() async throws {
        let env = try await Self.importedEnvironment()
        let kontant = ["ydelse": "kontanthjaelp"]
        #expect(try await value(env, "ydelse.fuldtidspersoner", "820", .quarter(2019, 2), kontant) == 391)
        #expect(try await value(env, "ydelse.fuldtidspersoner", "820", .quarter(2018, 2), kontant) == 432)
        #expect(try await value(env, "ydelse.fuldtidspersoner", "820", .quarter(2019, 2), ["ydelse": "i_alt"]) == 4720)
        #expect(try await value(env, "ydelse.andel_befolkning", "820", .quarter(2019, 2), ["ydelse": "i_alt"]) == 20.5)
        #expect(try await value(env, "ydelse.andel_arbejdsstyrke", "820", .quarter(2019, 2), ["ydelse": "sygedagpenge"]) == 2.8)
        #expect(try await value(env, "ydelse.andel_arbejdsstyrke", "081", .quarter(2019, 2), ["ydelse": "i_alt"]) == 26.2)
        #expect(try await value(env, "ydelse.fuldtidspersoner.udvikling", "081", .quarter(2019, 2), ["ydelse": "sygedagpenge"]) == 2.77)
        #expect(try await value(env, "ydelse.ordinaere_timer_andel", "820", .month(2019, 6), kontant) == 11.6)
        #expect(try await value(env, "ydelse.ordinaere_timer_andel", "081", .month(2019, 6), kontant) == 10.0)
        #expect(try await value(env, "virksomheder.samarbejdsgrad", "820", .month(2017, 7)) == 26.8)
        #expect(try await value(env, "virksomheder.samarbejdsgrad", "081", .month(2019, 7)) == 29.7)
        #expect(try await value(env, "befolkning.antal", "820", .quarter(2019, 2)) == 22990)
        // Landstallet for ledighed is printed only as a difference from the region: not stored.
        #expect(try await value(env, "ledighed.procent", "000", .month(2019, 7)) == nil)
    }

    @Test("Samsø's sygedagpenge weeks, Mors' forecast and Jammerbugt's måltal read back as printed")
    func otherSeeds() async throws {
        let env = try await Self.importedEnvironment()
        #expect(try await value(env, "ydelse.personer", "741", .week(2023, 44), ["ydelse": "sygedagpenge"]) == 41)
        #expect(try await value(env, "ydelse.personer", "741", .week(2021, 44), ["ydelse": "sygedagpenge"]) == 64)
        #expect(try await value(env, "fremskrivning.arbejdsstyrke", "773", .year(2021)) == 8890)
        #expect(try await value(env, "fremskrivning.beskaeftigede", "773", .year(2020)) == 8500)
        #expect(try await value(env, "jammerbugt.budget_maaltal", "849", .year(2021), ["ydelse": "i_alt"]) == 3704)
        #expect(try await value(env, "jammerbugt.budget_estimat", "849", .year(2020), ["ydelse": "foertidspension"]) == 1537)
    }
}
