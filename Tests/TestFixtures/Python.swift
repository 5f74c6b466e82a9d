import Foundation

/// Runs one of the repository's Python scripts, as an operator would.
public enum Python {
    public static func run(script: String, arguments: [String]) throws -> (status: Int32, output: String) {
        try Subprocess.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", Repository.path(script)] + arguments)
    }
}
