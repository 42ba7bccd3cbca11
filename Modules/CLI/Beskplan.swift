import ArgumentParser

/// `beskplan`: the analyst's command line.
public struct Beskplan: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "beskplan",
        abstract: "Employment plans (beskæftigelsesplaner) as data: import statistics, hold plans, evaluate targets.",
        subcommands: [
            KommunerCommand.self,
            PluginsCommand.self,
            DBCommand.self,
            UsersCommand.self,
            TokensCommand.self,
            ObservationsCommand.self,
            MeasuresCommand.self,
            TemplateCommand.self,
            ImportCommand.self,
            FetchCommand.self,
            PlanCommand.self,
            EvaluateCommand.self,
            AssessCommand.self,
            ReportCommand.self,
            DemoCommand.self,
        ]
    )

    public init() {}

    /// Runs the command line. Shared options given before the subcommand (`beskplan --db X
    /// import …`) are moved after it, where argument-parser looks for them.
    public static func run(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) async {
        await main(SharedOptions.movedAfterSubcommand(arguments))
    }
}

/// Options every database command shares, which a user may also write before the subcommand.
enum SharedOptions {
    static let withValue: Set<String> = ["--db"]

    /// `--db X` (or `--db=X`) from before the first subcommand word, moved to the end (before a
    /// `--` terminator, if any). Everything else keeps its order.
    static func movedAfterSubcommand(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var rest = arguments[...]
        while let first = rest.first, first.hasPrefix("-"), first != "--" {
            let name = String(first.split(separator: "=", maxSplits: 1)[0])
            guard withValue.contains(name) else { break }
            rest = rest.dropFirst()
            leading.append(first)
            if !first.contains("="), let value = rest.first {
                leading.append(value)
                rest = rest.dropFirst()
            }
        }
        guard !leading.isEmpty else { return arguments }
        var moved = Array(rest)
        let end = moved.firstIndex(of: "--") ?? moved.endIndex
        moved.insert(contentsOf: leading, at: end)
        return moved
    }
}
