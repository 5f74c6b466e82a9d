import ArgumentParser

/// `traingate`: the compliance gate for AI training data.
@main
struct TraingateCommand: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "traingate",
        abstract: "A compliance gate in front of AI training data: lawful basis, residency, age, special categories, opt-outs.",
        version: version,
        subcommands: [ServeCommand.self, PolicyCommand.self, AuditCommand.self, ConfigCommand.self, VersionCommand.self])
}
