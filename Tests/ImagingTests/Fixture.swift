import Foundation

/// The files made by scripts/make-image-fixtures.
enum Fixture {
    static func bytes(_ name: String) throws -> [UInt8] {
        let url = try require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"), "no fixture \(name)")
        return Array(try Data(contentsOf: url))
    }
}

/// Stops a test with a message when a value it needs is missing.
struct MissingFixture: Error, CustomStringConvertible {
    let description: String
}

func require<T>(_ value: T?, _ message: String) throws -> T {
    guard let value else { throw MissingFixture(description: message) }
    return value
}
