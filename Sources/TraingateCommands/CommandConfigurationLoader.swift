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

    /// The configuration of a command that works on a SQLite data directory only (backup,
    /// restore, master-key rotation): refused when the configuration names a PostgreSQL store,
    /// rather than acting on a data directory the service does not use.
    static func loadForSQLite(file: String?, dataDir: String?, command: String) throws -> AppConfiguration {
        let configuration = try load(file: file, dataDir: dataDir)
        guard configuration.storageURL == nil else {
            throw ValidationError(
                "traingate \(command) works on a SQLite data directory, and storage.url names a PostgreSQL store; see docs/postgres.md, \"Operations\""
            )
        }
        return configuration
    }
}
