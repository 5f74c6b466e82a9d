import Foundation
import Testing
@testable import TraingateStore

@Suite struct FloatBlobTests {
    @Test func vectorsAreLittleEndianFloat32AndRoundTrip() {
        let vector: [Float] = [1, -0.5, .pi, 0]
        let blob = FloatBlob.encode(vector)
        #expect(Array(blob.prefix(4)) == [0x00, 0x00, 0x80, 0x3F])  // 1.0f
        #expect(FloatBlob.decode(blob) == vector)
        #expect(FloatBlob.decode(blob.dropLast()) == nil)
    }
}
