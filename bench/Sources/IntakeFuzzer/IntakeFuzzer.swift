// A libFuzzer target over the whole image intake (docs/images.md, "Fuzzing"):
//
//   swift build --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING --product IntakeFuzzer
//   .build-fuzz/debug/IntakeFuzzer CORPUS_DIR -max_total_time=1200
//
// Built normally (without FUZZING) the same executable replays files through intake and says
// how each one ended, which is how a crashing input is checked once it is fixed.
import Foundation
import Imaging

/// Limits lower than the service's, so the fuzzer spends its time in parsing, not in decoding
/// 40-megapixel images it made up.
let fuzzLimits = ImageLimits(maxBytes: 4 << 20, maxPixels: 4_000_000, maxExifBytes: 64 * 1024, storedLongestSide: 64)

/// Inputs that start with one of these go to one metadata reader alone, without an image
/// around them: the XMP reader (libxml2 through Foundation's XMLParser, bounds, the PLUS
/// vocabulary) and the C2PA reader (JUMBF boxes, CBOR). Anything else is a whole image.
let xmpMode = Array("XMP:".utf8)
let c2paMode = Array("C2PA".utf8)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIntake(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if bytes.starts(with: xmpMode) {
        _ = EmbeddedRightsReader.read(xmpPacket: Array(bytes.dropFirst(xmpMode.count)), limits: fuzzLimits)
        return 0
    }
    if bytes.starts(with: c2paMode) {
        _ = EmbeddedRightsReader.read(c2paStore: Array(bytes.dropFirst(c2paMode.count)), limits: fuzzLimits)
        return 0
    }
    if let result = try? ImageIntake.process(bytes, limits: fuzzLimits) {
        // Whatever intake accepts, it must have made a decodable, metadata-free copy of.
        precondition(ImageFormat.detect(result.stored) == .jpeg, "intake stored something that is not a JPEG")
        precondition(max(result.storedWidth, result.storedHeight) <= fuzzLimits.storedLongestSide, "stored copy too large")
    }
    return 0
}

#if FUZZING
    /// libFuzzer's driver: SwiftPM gives every executable its own entry point, so libFuzzer's
    /// `main` is not used and the driver is started from here.
    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    @main
    struct IntakeFuzzing {
        static func main() {
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(runFuzzerDriver(&argc, &argv, fuzzIntake))
        }
    }
#else
    @main
    struct IntakeReplay {
        static func main() throws {
            for path in CommandLine.arguments.dropFirst() {
                let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
                do {
                    let result = try ImageIntake.process(bytes, limits: fuzzLimits)
                    print("\(path): accepted \(result.format.rawValue) \(result.width)×\(result.height)")
                } catch let error as ImageIntakeError {
                    print("\(path): refused: \(error.message)")
                }
                _ = bytes.withUnsafeBufferPointer { fuzzIntake($0.baseAddress, $0.count) }
            }
        }
    }
#endif
