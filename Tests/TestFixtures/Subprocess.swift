import Foundation

/// Runs a program to completion.
public enum Subprocess {
    /// Its exit status and its stdout and stderr together.
    public static func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let (status, output) = try Spawn.run(executable.path, arguments)
        return (status, String(decoding: output, as: UTF8.self))
    }

    /// `run` on a thread of its own, for async tests: waiting on a program that talks to a server
    /// in this process must not block a thread of Swift's small cooperative pool, which serves it.
    public static func runOffPool(_ executable: URL, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try run(executable, arguments) }) }.start()
        }
    }

    /// Its exit status, stdout and stderr apart (a command that prints a secret on stdout and
    /// its commentary on stderr). Stderr goes to a file, so neither stream can fill a pipe and
    /// stall the program.
    public static func runSeparately(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("stderr-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let (status, output) = try Spawn.run(executable.path, arguments, stderrPath: errorFile.path)
        let errors = try Data(contentsOf: errorFile)
        return (status, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }
}
