import Foundation

/// The repository the tests run from: the shipped files they check (config/, docs/, openapi.yaml,
/// scripts/) are read where an operator finds them.
public enum Repository {
    /// Tests/TestFixtures/Repository.swift → the repository root.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The absolute path of a file given relative to the root.
    public static func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).path
    }
}
