import ArgumentParser
import PolicyEngine

/// `traingate version`: the program version and the embedded default policy's version.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")

    func run() {
        print("traingate \(TraingateCommand.version)")
        print("default policy \(DefaultPolicy.policy.id) \(DefaultPolicy.policy.version)")
    }
}
