import Foundation

/// The files every test target shares: real photos made by scripts/make-image-fixtures and the
/// digits the trainer learns from, bundled once here instead of read across targets by path.
public enum Fixture {
    /// A fixture's location, e.g. `progressive.jpg` or `digits-400.csv`.
    public static func url(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
            throw MissingFixture(name: name)
        }
        return url
    }

    /// A fixture's bytes.
    public static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: url(name)))
    }
}
