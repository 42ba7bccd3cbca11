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
            ObservationsCommand.self,
            MeasuresCommand.self,
            ImportCommand.self,
            PlanCommand.self,
            EvaluateCommand.self,
            AssessCommand.self,
            DemoCommand.self,
        ]
    )

    public init() {}
}
