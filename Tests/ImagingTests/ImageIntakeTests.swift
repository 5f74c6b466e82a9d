import Foundation
import StrictDocuments
import TestFixtures
import Testing
@testable import Imaging

@Suite struct ImageIntakeTests {
    private func intake(_ name: String, limits: ImageLimits = ImageLimits()) throws -> IntakeResult {
        try ImageIntake.process(try Fixture.bytes(name), limits: limits)
    }

    /// Mean colour of an image, to compare two decodings of the same picture.
    private func meanColour(_ stored: [UInt8]) throws -> [Double] {
        let image = try JPEGCodec.decode(stored, header: try JPEGCodec.header(stored), minimumLongestSide: 1)
        return (0..<3).map { channel in
            stride(from: channel, to: image.pixels.count, by: 3).reduce(0.0) { $0 + Double(image.pixels[$1]) } / Double(image.width * image.height)
        }
    }

    @Test(arguments: [
        ("china.jpg", ImageFormat.jpeg, 640, 427), ("astronaut.jpg", .jpeg, 512, 512), ("chelsea.png", .png, 300, 200),
        ("coffee.webp", .webp, 600, 400), ("camera-gray.jpg", .jpeg, 512, 512), ("progressive.jpg", .jpeg, 320, 214),
        ("cmyk.jpg", .jpeg, 200, 134), ("rgb16.png", .png, 96, 96), ("palette-transparent.png", .png, 120, 80),
        ("lossless-alpha.webp", .webp, 120, 80),
    ])
    func realPhotosAreStoredUprightSmallAndAsJPEG(name: String, format: ImageFormat, width: Int, height: Int) throws {
        let result = try intake(name)
        #expect(result.format == format)
        #expect((result.width, result.height) == (width, height))
        #expect(max(result.storedWidth, result.storedHeight) == min(256, max(width, height)))
        // The aspect ratio survives (within a pixel of rounding).
        #expect(abs(result.storedWidth * height - result.storedHeight * width) <= max(width, height))
        #expect(ImageFormat.detect(result.stored) == .jpeg)
        let header = try JPEGCodec.header(result.stored)
        #expect((header.width, header.height) == (result.storedWidth, result.storedHeight))
        #expect(result.sha256.count == 64)
    }

    @Test func exifGPSAndCaptureTimeAreRead() throws {
        let paris = try intake("gps-paris.jpg")
        let position = try #require(paris.exif.gps, "no GPS in gps-paris.jpg")
        #expect(abs(position.latitude - 48.8584) < 1e-4 && abs(position.longitude - 2.2945) < 1e-4)
        // 09:30 at +02:00 is 07:30 UTC.
        #expect(paris.exif.capturedAt == Timestamp.parse("2024-07-14T07:30:00Z"))

        let newYork = try intake("gps-newyork.jpg")
        #expect(abs((newYork.exif.gps?.longitude ?? 0) + 74.0060) < 1e-4)  // west is negative
        #expect(newYork.exif.capturedAt == Timestamp.parse("2023-12-31T23:59:59Z"))  // no offset: read as UTC

        let reunion = try intake("gps-saint-denis-reunion.png")
        #expect(abs((reunion.exif.gps?.latitude ?? 0) + 20.8789) < 1e-4)  // south is negative
        #expect(abs((reunion.exif.gps?.longitude ?? 0) - 55.4481) < 1e-4)

        let tokyo = try intake("gps-tokyo.webp")
        #expect(abs((tokyo.exif.gps?.latitude ?? 0) - 35.6762) < 1e-4)
        #expect(try intake("china.jpg").exif.gps == nil)
    }

    /// Art. 5(1)(c): what is stored is pixels only. The fixture carries EXIF (GPS, a camera serial
    /// number, the owner's name), an XMP packet and an ICC profile.
    /// Layouts the formats allow that a careless scan would miss: fill bytes before a JPEG
    /// marker, and a PNG `eXIf` chunk after the image data.
    @Test func exifIsFoundWhereverTheFormatAllowsIt() throws {
        var padded = try Fixture.bytes("gps-paris.jpg")
        padded.insert(contentsOf: [0xFF, 0xFF, 0xFF], at: 2)  // after SOI
        #expect(abs((try ImageIntake.process(padded, limits: ImageLimits()).exif.gps?.latitude ?? 0) - 48.8584) < 1e-4)

        let png = try Fixture.bytes("gps-saint-denis-reunion.png")
        let chunks = pngChunks(png)
        let exif = try #require(chunks.first { $0.type == "eXIf" }, "no eXIf chunk")
        let others = chunks.filter { $0.type != "eXIf" }
        let iend = try #require(others.firstIndex { $0.type == "IEND" }, "no IEND")
        var moved = Array(png[0..<8])
        for chunk in others[..<iend] { moved += chunk.bytes }
        moved += exif.bytes
        for chunk in others[iend...] { moved += chunk.bytes }
        #expect(pngChunks(moved).map(\.type).suffix(2) == ["eXIf", "IEND"])
        #expect(abs((try ImageIntake.process(moved, limits: ImageLimits()).exif.gps?.longitude ?? 0) - 55.4481) < 1e-4)
    }

    private func pngChunks(_ png: [UInt8]) -> [(type: String, bytes: ArraySlice<UInt8>)] {
        var chunks: [(type: String, bytes: ArraySlice<UInt8>)] = []
        var offset = 8
        while offset + 12 <= png.count {
            let length = png[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            chunks.append((String(decoding: png[(offset + 4)..<(offset + 8)], as: UTF8.self), png[offset..<(offset + 12 + length)]))
            offset += 12 + length
        }
        return chunks
    }

    @Test func theStoredCopyHasNoMetadataLeft() throws {
        let original = try Fixture.bytes("gps-paris.jpg")
        let stored = try intake("gps-paris.jpg").stored
        func contains(_ bytes: [UInt8], _ text: String) -> Bool {
            let needle = Array(text.utf8)
            return bytes.count >= needle.count
                && (0...(bytes.count - needle.count)).contains { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
        }
        for marker in ["Exif", "SN-4711-TRAINGATE", "Jane Photographer", "ICC_PROFILE", "xmpmeta"] {
            #expect(contains(original, marker), "the fixture should carry \(marker)")
            #expect(!contains(stored, marker), "the stored copy still carries \(marker)")
        }
        #expect(ExifBlockLocator.block(in: stored, format: .jpeg) == nil)
        // No APPn (metadata) or COM segment before the pixels, only the JFIF/JPEG structure.
        var offset = 2
        while offset + 4 <= stored.count, stored[offset] == 0xFF, stored[offset + 1] != 0xDA {
            let marker = stored[offset + 1]
            #expect(marker == 0xE0 || !(0xE1...0xEF).contains(marker) && marker != 0xFE, "segment FF\(String(marker, radix: 16))")
            offset += 2 + (Int(stored[offset + 2]) << 8 | Int(stored[offset + 3]))
        }
    }

    @Test func theOrientationTagTurnsThePixelsUpright() throws {
        // Stored turned a quarter counter-clockwise (160 wide, 240 high) with orientation 6.
        let result = try intake("orientation-6.jpg")
        #expect((result.width, result.height) == (160, 240))
        #expect(result.storedWidth > result.storedHeight)
        // Upright, it is the same picture as the flower stored upright.
        #expect(result.perceptualHash.distance(to: try intake("progressive.jpg").perceptualHash) <= 8)
    }

    @Test func cmykIsConvertedWithoutInvertingTheColours() throws {
        let cmyk = try meanColour(try intake("cmyk.jpg").stored)
        let rgb = try meanColour(try intake("progressive.jpg").stored)  // the same flower, in RGB
        for channel in 0..<3 { #expect(abs(cmyk[channel] - rgb[channel]) < 20, "channel \(channel): \(cmyk) vs \(rgb)") }
    }

    @Test func theSamePictureHashesCloseAndAnotherFar() throws {
        let china = try intake("china.jpg").perceptualHash
        let chinaSmallWithExif = try intake("gps-paris.jpg").perceptualHash  // resized, re-encoded
        let astronaut = try intake("astronaut.jpg").perceptualHash
        let astronaut16 = try intake("rgb16.png").perceptualHash  // 96 px, 16-bit PNG
        #expect(china.distance(to: chinaSmallWithExif) <= 6)
        #expect(astronaut.distance(to: astronaut16) <= 6)
        #expect(china.distance(to: astronaut) > 20)
        #expect(try intake("chelsea.png").perceptualHash.distance(to: try intake("lossless-alpha.webp").perceptualHash) <= 6)
    }

    @Test func brokenAndHostileFilesAreRefusedWithTheReason() throws {
        #expect(throws: ImageIntakeError.unsupportedFormat) { try intake("empty.jpg") }
        #expect(throws: ImageIntakeError.unsupportedFormat) { try intake("wrong-magic.jpg") }
        #expect { try intake("truncated.jpg") } throws: { error in
            if case .undecodable(.jpeg, _) = error as? ImageIntakeError { return true }
            return false
        }
        // 578 valid progressive scans of a 64×64 image: libjpeg-turbo would redo the image per
        // scan; over 500 scans is refused as the djpeg and Chromium limits do.
        #expect { try intake("scan-bomb.jpg") } throws: { error in
            if case .undecodable(.jpeg, let reason) = error as? ImageIntakeError { return reason.contains("scans") }
            return false
        }
        // The bomb is refused from its header: 3.6 gigapixels are never allocated.
        #expect(throws: ImageIntakeError.tooManyPixels(width: 60000, height: 60000, limit: 40_000_000)) {
            try intake("bomb-60000x60000.png")
        }
        let tall = try intake("tall-1x100000.png")
        #expect((tall.storedWidth, tall.storedHeight) == (1, 256))
    }

    @Test func limitsAreCheckedBeforeDecoding() throws {
        var limits = ImageLimits()
        limits.maxBytes = 1000
        #expect(throws: ImageIntakeError.tooManyBytes(bytes: 196_653, limit: 1000)) { try intake("china.jpg", limits: limits) }
        limits = ImageLimits()
        limits.maxPixels = 100_000
        #expect(throws: ImageIntakeError.tooManyPixels(width: 640, height: 427, limit: 100_000)) { try intake("china.jpg", limits: limits) }
        limits = ImageLimits()
        limits.maxExifBytes = 100
        #expect { try intake("gps-paris.jpg", limits: limits) } throws: { error in
            if case .exifTooLarge(_, 100) = error as? ImageIntakeError { return true }
            return false
        }
        limits = ImageLimits()
        limits.storedLongestSide = 64
        let small = try intake("china.jpg", limits: limits)
        #expect((small.storedWidth, small.storedHeight) == (64, 43))
    }

    @Test func exifCaptureTimesParseWithAndWithoutOffset() {
        #expect(ExifReader.captureTime("2024:07:14 09:30:00", offset: "+02:00") == Timestamp.parse("2024-07-14T07:30:00Z"))
        #expect(ExifReader.captureTime("2024:07:14 09:30:00", offset: "Z") == Timestamp.parse("2024-07-14T09:30:00Z"))
        #expect(ExifReader.captureTime("0000:00:00 00:00:00", offset: "Z") == nil)
        #expect(ExifReader.captureTime("garbage", offset: "Z") == nil)
    }
}
