import ArgumentParser
import BenchmarkRoutes
import TraingateCommands

/// `traingate-bench-server serve`: `traingate serve` with the baseline routes of bench/admissions
/// mounted (`POST /_bench/noop`, `/_bench/floor`, `/_bench/parse`, `/_bench/decide`). Same flags,
/// same environment, same configuration file.
@main
struct BenchServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "traingate-bench-server", abstract: "traingate with the benchmark baselines mounted.", subcommands: [Serve.self])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve", abstract: "Run the HTTP service with the /_bench/* routes (bench/admissions).")

        @OptionGroup var options: ServeOptions

        func run() async throws {
            try await options.serve(extensions: [BenchmarkRoutes()])
        }
    }
}
