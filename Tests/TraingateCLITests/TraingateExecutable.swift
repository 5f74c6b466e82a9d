import Foundation

/// The `traingate` executable the tests run, as an operator would (built next to the test bundle).
enum TraingateExecutable {
    static let url: URL = {
        // .build/<triple>/debug/traingatePackageTests.xctest → .build/<triple>/debug/traingate
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("traingate"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("traingate"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()
}
