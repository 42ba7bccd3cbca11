import CLI

/// The `beskplan` executable: everything lives in the CLI module.
@main
enum BeskplanMain {
    static func main() async {
        await Beskplan.run()
    }
}
