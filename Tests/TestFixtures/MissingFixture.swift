/// A fixture the tests need is not in the bundle (scripts/make-image-fixtures makes them).
struct MissingFixture: Error, CustomStringConvertible {
    let name: String

    var description: String { "no fixture \(name) in Tests/TestFixtures/Fixtures" }
}
