import ArgumentParser

/// `traingate`: the compliance gate for AI training data.
public struct TraingateCommand: AsyncParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "traingate",
        abstract: "A compliance gate in front of AI training data: lawful basis, residency, age, special categories, opt-outs.",
        version: version,
        subcommands: [
            ServeCommand.self, KeysCommand.self, PolicyCommand.self, AuditCommand.self, BackupCommand.self, RestoreCommand.self,
            ConfigCommand.self, VersionCommand.self,
        ])

    public init() {}
}
