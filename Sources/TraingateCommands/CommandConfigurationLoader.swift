import ArgumentParser
import TraingateApp

/// The configuration a maintenance command runs with: the file's, the environment's, and the
/// command's own `--data-dir`, with a bad setting reported as a usage error.
enum CommandConfigurationLoader {
    static func load(file: String?, dataDir: String?) throws -> AppConfiguration {
        var overrides: [String: String] = [:]
        overrides["data.dir"] = dataDir
        do {
            return try AppConfiguration.load(file: file, overrides: overrides)
        } catch {
            throw ValidationError("configuration: \(error)")
        }
    }
}
