import ArgumentParser
import TraingateApp

/// `traingate policy test PATH`.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Work with policies.", subcommands: [Test.self])

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test", abstract: "Run policy test cases; exit 1 if any fails.")

        @Argument(help: "A YAML file of test cases (see config/policies/default.tests.yaml).") var path: String

        func run() throws {
            let outcomes: [PolicyTestRunner.Outcome]
            do {
                outcomes = try PolicyTestRunner().run(file: path)
            } catch {
                print("error: \(path): \(error)")
                throw ExitCode(2)
            }
            for outcome in outcomes where !outcome.passed {
                print("FAIL \(outcome.name)")
                for line in outcome.differences { print("    \(line)") }
            }
            let failed = outcomes.filter { !$0.passed }.count
            print("\(outcomes.count - failed) passed, \(failed) failed, \(outcomes.count) cases in \(path)")
            if failed > 0 { throw ExitCode.failure }
        }
    }
}
