import TestFixtures

/// Request bodies used across the app tests.
public enum Bodies {
    public static func admission(
        imageID: String = "ig_1", country: String = "US", visibility: String = "public", extra: String = ""
    ) -> String {
        #"{"image_id":"\#(imageID)","source":"instagram","subject":{"id":"user-1","account_country":"\#(country)"},"visibility":"\#(visibility)"\#(extra)}"#
    }

    /// A real photo (scikit-learn's flower, 320×214, progressive JPEG, no EXIF).
    public static let jpeg = image("progressive.jpg")

    /// One of the image fixtures made by scripts/make-image-fixtures.
    public static func image(_ name: String) -> [UInt8] {
        do { return try Fixture.bytes(name) } catch { fatalError("\(error)") }
    }
}
