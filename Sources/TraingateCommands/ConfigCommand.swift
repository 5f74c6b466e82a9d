import ArgumentParser
import TraingateApp

/// `traingate config example`: the documented config file, every setting with its default.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with the configuration.", subcommands: [Example.self])

    struct Example: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "example",
            abstract: "Print a config file with every setting at its default, its environment variable and flag (config/traingate.yaml).")

        func run() {
            print(AppConfiguration.documentedYAML, terminator: "")
        }
    }
}
