import TestFixtures
import Testing
@testable import Imaging

@Suite struct PixelPlanesTests {
    @Test func theCentreSquareBecomesThreePlanesOfUnitValues() throws {
        // 4 × 2: left column red, the two middle columns green, right column blue.
        var pixels: [UInt8] = []
        for _ in 0..<2 { pixels += [255, 0, 0, 0, 255, 0, 0, 255, 0, 0, 0, 255] }
        let square = PixelPlanes.centreSquare(RGBImage(width: 4, height: 2, pixels: pixels))
        #expect(square.width == 2 && square.height == 2)
        #expect(square.pixels == Array(repeating: [0, 255, 0], count: 4).flatMap { $0 })
        let planes = PixelPlanes.planes(of: square, side: 2)
        #expect(planes == [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0])
    }

    @Test func aStoredCopyDecodesToTheRequestedSide() throws {
        let intake = try ImageIntake.process(try Fixture.bytes("china.jpg"))
        let planes = try PixelPlanes.fromJPEG(intake.stored, side: 32)
        #expect(planes.count == 3 * 32 * 32)
        #expect(planes.allSatisfy { (0...1).contains($0) } && Set(planes).count > 100)
        #expect(throws: ImageIntakeError.self) { try PixelPlanes.fromJPEG(Array(intake.stored.prefix(100)), side: 32) }
    }
}
