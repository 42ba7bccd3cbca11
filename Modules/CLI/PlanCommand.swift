import AppSupport
import ArgumentParser
import Foundation
import PlanFormat
import Storage

/// `beskplan plan …`: plans as data.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Validate, store, list, show, export, compare, approve and carry forward plans (YAML).",
        discussion: "The plan language is described in docs/plan-language.md.",
        subcommands: [
            Validate.self, Import.self, List.self, Show.self, Export.self, Diff.self, New.self, Approve.self, Template.self,
        ])

    /// KOMMUNE and YEAR, as every plan subcommand takes them.
    struct PlanRef: ParsableArguments {
        @Argument(help: "Kommune: code (741), slug (samsoe) or name (Samsø).")
        var kommune: String

        @Argument(help: "Plan year.")
        var year: Int
    }

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate", abstract: "Check plan files; print every problem with its line.")

        @Argument(help: "Plan files (YAML).")
        var files: [String]

        func run() async throws {
            let service = PlanService(try await AppEnvironment.open(database: .memory))
            var failed = false
            for file in files {
                do {
                    let plan = try service.validate(path: file)
                    print("\(file): valid — \(plan.goals.count) goals, \(plan.targets.count) targets")
                } catch {
                    failed = true
                    FileHandle.standardError.write(Data("\(error)\n".utf8))
                }
            }
            if failed { throw ExitCode(1) }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Validate plan files and store each as a new version.",
            discussion: """
                The rules the server keeps hold here too: no version follows an approved one, and a plan is \
                approved by 'beskplan plan approve'. A file that says godkendt is refused, unless --approved \
                says it is a plan adopted outside beskplan: then it is stored as the year's first version.
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "Plan files (YAML).")
        var files: [String]

        @Option(help: "Author recorded with the version. Default: $USER.")
        var author: String?

        @Flag(help: "The files' plans that say godkendt were adopted outside beskplan: store each as its year's first version.")
        var approved = false

        func run() async throws {
            let service = PlanService(try await database.environment())
            for file in files {
                let info: PlanVersionInfo
                do {
                    info = try await service.importPlan(path: file, adopted: approved, author: author ?? ImportOrigin.defaultActor)
                } catch let refusal as Refusal where refusal.kind == .approveSeparately {
                    throw UserError("\(file): \(refusal) En plan, der er vedtaget uden for beskplan, importeres med --approved.")
                }
                print("\(file): stored \(info.kommune)/\(info.year) version \(info.version) (\(info.status.rawValue))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the stored plans (current versions).")

        @OptionGroup var database: DatabaseOptions

        @Option(help: "Output format: table, csv or json.")
        var format: OutputFormat = .table

        func run() async throws {
            let env = try await database.environment()
            let rows = try await PlanService(env).all().map { p in
                [p.kommune.rawValue, env.areas[p.kommune]?.name ?? "", String(p.year), String(p.version), p.status.rawValue, p.title, p.author, p.savedAt]
            }
            guard !rows.isEmpty else { return print("No plans stored.") }
            print(try Listing(headers: ["kommune", "name", "year", "version", "status", "title", "author", "saved"], rows: rows).render(format))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a stored plan: approvals, goals and targets.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var ref: PlanRef

        @Option(help: "A version other than the current one.")
        var version: Int?

        func run() async throws {
            let env = try await database.environment()
            let stored = try await PlanLookup.plan(env, ref.kommune, ref.year, version: version)
            print(PlanText.render(stored, ministermaal: env.ministermaal))
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "Write a stored plan as YAML.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var ref: PlanRef

        @Option(help: "A version other than the current one.")
        var version: Int?

        @Option(help: "Output file (default: standard output).")
        var out: String?

        func run() async throws {
            let env = try await database.environment()
            let stored = try await PlanLookup.plan(env, ref.kommune, ref.year, version: version)
            try Output.write(try PlanFile.yaml(stored.plan), to: out)
        }
    }

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "What changed between two plans, goal by goal.",
            discussion: "OLD and NEW are a year (2020, the current version) or a year and version (2021v1).")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "Kommune: code, slug or name.")
        var kommune: String

        @Argument(help: "The older plan: YEAR or YEARvN.")
        var old: String

        @Argument(help: "The newer plan: YEAR or YEARvN.")
        var new: String

        func run() async throws {
            let env = try await database.environment()
            let a = try await PlanLookup.plan(env, kommune, ref: old)
            let b = try await PlanLookup.plan(env, kommune, ref: new)
            let changes = PlanDiff.changes(from: a.plan, to: b.plan)
            print("\(a.plan.kommune) \(a.info.year) v\(a.info.version) → \(b.info.year) v\(b.info.version): \(changes.count) changes")
            changes.forEach { print($0) }
        }
    }

    struct New: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract: "Start a year's plan from last year's: goals videreført, the new year's ministermål set.",
            discussion: """
                Every change the new year's rules force is listed on standard error: 'Ændret:' for what the carry \
                changed (a ministermål goal made local, a RAR comparison made the region's), 'Tjek:' for what it \
                leaves to you (wording that names the jobcenter, the 75 % rule, target groups, proposals not enacted). \
                From a plan over several years, the targets of the --from year are carried.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var ref: PlanRef

        @Option(help: "The year to carry forward (a plan over several years: any year in it).")
        var from: Int

        @Option(help: "The last year of a new plan over several years (YEAR–THROUGH); each target is given once per year.")
        var through: Int?

        @Option(help: "Write the YAML here (default: standard output).")
        var out: String?

        @Flag(help: "Also store the new plan as a version.")
        var save = false

        func run() async throws {
            if let through, through <= ref.year || through - ref.year > 9 {
                throw UserError("--through \(through): the last year of the period comes after \(ref.year), at most 9 years after")
            }
            let env = try await database.environment()
            let scope = try env.scope(ref.kommune)
            guard save else {
                let previous = try await PlanLookup.plan(env, ref.kommune, from, version: nil)
                let carried = PlanCarryForward.carry(
                    from: previous.plan, year: from, to: ref.year, through: through, ministermaal: env.ministermaal)
                try Output.write(try PlanFile.yaml(carried.plan), to: out)
                return Self.tell(carried.changes)
            }
            // Stored by the workflow's own step, as the API and the plan page carry a plan forward.
            let (info, changes) = try await PlanWorkflow(env).carryForward(
                scope, from: from, to: ref.year, through: through, author: ImportOrigin.defaultActor)
            let stored = try await PlanService(env).require(scope, year: ref.year)
            try Output.write(try PlanFile.yaml(stored.plan), to: out)
            FileHandle.standardError.write(Data("stored \(info.kommune)/\(info.year) version \(info.version)\n".utf8))
            Self.tell(changes)
        }

        /// The forced changes, one a line, on standard error (standard output may be the YAML).
        private static func tell(_ changes: [ForcedChange]) {
            let text = changes.isEmpty
                ? "The new year's rules forced no change.\n"
                : "The new year's rules forced \(changes.count) change\(changes.count == 1 ? "" : "s"):\n"
                    + changes.map { "  \($0)\n" }.joined()
            FileHandle.standardError.write(Data(text.utf8))
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "approve",
            abstract: "Approve (adopt) the current version: it is stored again as godkendt, and frozen.",
            discussion: "As the plan page's and the API's approval: the body's approval is dated, added to the chain if it is not in it.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var ref: PlanRef

        @Option(help: "The body that adopts the plan. Default: the last of the plan's chain, else Kommunalbestyrelsen.")
        var body: String?

        @Option(help: "The date of the adoption (YYYY-MM-DD). Default: today.")
        var date: String?

        @Option(help: "Author recorded with the version. Default: $USER.")
        var author: String?

        func run() async throws {
            let env = try await database.environment()
            let scope = try env.scope(ref.kommune)
            let current = try await PlanService(env).require(scope, year: ref.year)
            let day = try date.map { try DateInput.day($0, name: "--date") } ?? env.clock.today
            let info = try await PlanWorkflow(env).approve(current, body: body, date: day, author: author ?? ImportOrigin.defaultActor)
            print("\(scope.name) \(info.year): version \(info.version) approved")
        }
    }
}

extension PlanCommand {
    struct Template: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "template",
            abstract: "Write a goal to paste into a plan's goals: list (YAML).",
            discussion: """
                75procent: the 75 % rule (from 1 July 2026) — the share of the ledige close to the labour market with \
                jobsamtaler and at least one tilbud in their first 6 months (at least 75 %), and the share the kommune \
                exempted (at most 25 %). No public table publishes either: type them in on the data page or import \
                them (beskplan template KOMMUNE YEAR writes the file). The share is not met while more than 25 % is exempted.
                """)

        enum Name: String, ExpressibleByArgument, CaseIterable {
            case procent75 = "75procent"
        }

        @Argument(help: "The template: 75procent.")
        var name: Name

        @Option(help: "The plan year the goal is for.")
        var year: Int

        func run() throws {
            guard year >= 2026 else { throw UserError("the 75 % rule applies from 1 July 2026; \(year) has the four-conversation rule") }
            let yaml = try PlanFile.yaml(Plan(kommune: "000", year: year, title: "", goals: [SeventyFivePercent.goal(year: year)]))
            // The goal alone, as an item of a plan's goals: list.
            guard let start = yaml.range(of: "goals:\n") else { return print(yaml) }
            print(yaml[start.upperBound...], terminator: "")
        }
    }
}

/// Finds stored plans by what users type.
enum PlanLookup {
    static func plan(_ env: AppEnvironment, _ kommune: String, _ year: Int, version: Int?) async throws -> StoredPlan {
        let scope = try env.scope(kommune)
        let plans = PlanService(env)
        if let version {
            guard let stored = try await plans.version(scope, year: year, version: version) else {
                throw UserError("no version \(version) of \(scope.name)'s \(year) plan")
            }
            return stored
        }
        return try await plans.require(scope, year: year)
    }

    /// `2021` or `2021v3`.
    static func plan(_ env: AppEnvironment, _ kommune: String, ref: String) async throws -> StoredPlan {
        let parts = ref.lowercased().split(separator: "v", maxSplits: 1)
        guard let year = parts.first.flatMap({ Int($0) }) else { throw UserError("'\(ref)': expected YEAR or YEARvN") }
        let version = parts.count == 2 ? Int(parts[1]) : nil
        if parts.count == 2 && version == nil { throw UserError("'\(ref)': expected YEAR or YEARvN") }
        return try await plan(env, kommune, year, version: version)
    }
}

enum Output {
    static func write(_ text: String, to path: String?) throws {
        guard let path else { return print(text, terminator: text.hasSuffix("\n") ? "" : "\n") }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}

/// A plan as text for the terminal.
enum PlanText {
    static func render(_ stored: StoredPlan, ministermaal: MinistermaalCatalog) -> String {
        let p = stored.plan
        var lines = [
            "\(p.title) — \(p.kommune) \(p.year), \(p.status.rawValue), version \(stored.info.version) (\(stored.info.author), \(stored.info.savedAt))",
        ]
        for a in p.approvals { lines.append("  godkendelse: \(a.body) \(a.date ?? "(afventer)")") }
        for goal in p.goals {
            let serves = goal.serves.compactMap { ministermaal.goal($0, in: p.year).map { "ministermål \($0.number)" } }
            let tag = ([goal.kind.rawValue] + serves + [goal.mark?.rawValue].compactMap { $0 }).joined(separator: ", ")
            lines.append("Mål \(goal.id): \(goal.title) [\(tag)]")
            for action in goal.actions { lines.append("  • \(action)") }
            for t in goal.targets {
                lines.append("  \(t.id) \(t.follows): \(RuleText.summary(t.rule))")
            }
        }
        return lines.joined(separator: "\n")
    }
}
