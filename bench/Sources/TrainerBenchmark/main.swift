// Trainer speed, for bench/trainer (which runs the PyTorch reference with the same encoder,
// batch, augmentations and objective in the same invocation and writes docs/benchmarks.md):
//   train CSV SIDE OBJECTIVE BATCH STEPS THREADS   training steps over digits (label + 64
//                                                   values 0..16 per line), images/s, GFLOP/s
//   sgemm SIZE THREADS                              cblas_sgemm on SIZE³ (the machine's rate)
import Foundation
import Tensors
import Trainer

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Multiply-accumulates of one view through the encoder and head (bench/reference_trainer.py
/// counts the same): three 3×3 convolutions and two linear layers.
func macsPerView(side: Int, width: Int, embedding: Int, projection: Int) -> Int {
    let (s1, s2, s3) = (side, side / 2, side / 4)
    let convolutions = s1 * s1 * width * 3 * 9 + s2 * s2 * 2 * width * width * 9 + s3 * s3 * embedding * 2 * width * 9
    return convolutions + embedding * 2 * embedding + 2 * embedding * projection
}

/// The digits, resampled to side × side exactly as a crop of the whole image at scale 1.
func digits(csv path: String, side: Int) throws -> [[Float]] {
    let whole = Augmentations.none
    var random = SeededRandom(seed: 0)
    return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
        let values = line.split(separator: ",").dropFirst().map { Float($0)! / 16 }
        return whole.view(of: values + values + values, side: 8, outputSide: side, random: &random)
    }
}

let arguments = CommandLine.arguments
switch arguments.dropFirst().first {
case "train":
    AllocatorTuning.keepLargeBuffers()  // as the server's training worker does
    let (side, objective, batch, steps, threads) = (Int(arguments[3])!, arguments[4], Int(arguments[5])!, Int(arguments[6])!, Int(arguments[7])!)
    BLAS.threads = threads
    let images = try digits(csv: arguments[2], side: side)
    var parameters = TrainingParameters()
    parameters.objective = TrainingParameters.Objective(rawValue: objective)!
    parameters.imageSide = side
    parameters.batchSize = batch
    parameters.epochs = (steps * batch + images.count - 1) / images.count + 1
    let run = TrainingRun(parameters: parameters, images: images)
    // One step first: memory and BLAS buffers warm, as in the reference.
    run.run(shouldContinue: { $0.step < 1 })
    let timed = TrainingRun(parameters: parameters, images: images)
    let start = ContinuousClock.now
    timed.run(shouldContinue: { $0.step < steps })
    let elapsed = seconds(ContinuousClock.now - start)
    let flops = Double(3 * 2 * macsPerView(side: side, width: 16, embedding: parameters.embeddingDimension, projection: 32) * 2 * batch * steps)
    print(
        String(
            format: "RESULT images_per_second=%.1f gflops=%.3f seconds=%.3f steps=%d loss=%.4f", Double(steps * batch) / elapsed,
            flops / 1e9 / elapsed, elapsed, steps, timed.losses.last ?? .nan))
case "sgemm":
    let (size, threads) = (Int(arguments[2])!, Int(arguments[3])!)
    BLAS.threads = threads
    var random = SeededRandom(seed: 1)
    let a = (0..<(size * size)).map { _ in random.unit() }, b = (0..<(size * size)).map { _ in random.unit() }
    _ = BLAS.matmul(a, b, m: size, n: size, k: size)
    var repeats = 0
    let start = ContinuousClock.now
    while seconds(ContinuousClock.now - start) < 2 {
        _ = BLAS.matmul(a, b, m: size, n: size, k: size)
        repeats += 1
    }
    let elapsed = seconds(ContinuousClock.now - start)
    print(String(format: "RESULT gflops=%.3f size=%d repeats=%d", 2 * pow(Double(size), 3) * Double(repeats) / 1e9 / elapsed, size, repeats))
default:
    print("usage: TrainerBenchmark train CSV SIDE OBJECTIVE BATCH STEPS THREADS | sgemm SIZE THREADS")
    exit(2)
}
