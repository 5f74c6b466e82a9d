import ArgumentParser

/// `traingate serve`: run the HTTP service.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the HTTP service (SQLite under --data-dir, default policy compiled in).")

    @OptionGroup var options: ServeOptions

    func run() async throws {
        try await options.serve()
    }
}
