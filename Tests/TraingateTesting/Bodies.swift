import NIOCore
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

    /// A multipart/form-data body of `parts` (name and bytes), separated by `boundary`.
    public static func multipart(boundary: String, _ parts: [(name: String, bytes: [UInt8])]) -> ByteBuffer {
        var body = ByteBuffer()
        for part in parts {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\"\r\n\r\n")
            body.writeBytes(part.bytes)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        return body
    }
}
