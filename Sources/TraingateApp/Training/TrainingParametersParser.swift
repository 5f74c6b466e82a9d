import StrictDocuments
import Trainer

/// `POST /v1/training/jobs` bodies: every field optional, every bad or unknown one named, and
/// the parameters kept as a complete JSON object (defaults filled in) so that a job, its audit
/// entries and its checkpoint all say exactly what was trained.
enum TrainingParametersParser {
    static let epochs = 0...1000
    static let batchSize = 2...1024
    static let embeddingDimension = 8...512
    static let imageSize = 8...128
    static let seed = 0...(1 << 53)
    static let prototypes = 2...4096
    /// batch_size × image_size² at most: about 1 GB of buffers in a step.
    static let maxBatchPixels = 1 << 20

    static let fields: Set<String> = [
        "objective", "epochs", "batch_size", "embedding_dim", "image_size", "learning_rate", "seed", "shards", "temperature",
        "prototypes", "augmentations",
    ]
    static let augmentationFields: Set<String> = [
        "crop_scale_min", "flip_probability", "jitter_probability", "jitter_strength", "grayscale_probability",
    ]

    /// The parameters with defaults for what is not given; valid only when `errors` is empty.
    static func parse(_ json: JSONValue) -> (parameters: TrainingParameters, errors: [DocumentError]) {
        var errors = FieldErrors()
        var parameters = TrainingParameters()
        guard let body = errors.object(json, at: "", allowed: fields) else { return (parameters, errors.all) }
        if let objective: TrainingParameters.Objective = errors.enumeration(body["objective"], at: "objective") {
            parameters.objective = objective
        }
        if let epochs = errors.integer(body["epochs"], at: "epochs", range: epochs) { parameters.epochs = epochs }
        if let batch = errors.integer(body["batch_size"], at: "batch_size", range: batchSize) { parameters.batchSize = batch }
        if let dimension = errors.integer(body["embedding_dim"], at: "embedding_dim", range: embeddingDimension) {
            // The encoder's last group normalisation splits the embedding into 4 groups.
            if dimension % 4 == 0 {
                parameters.embeddingDimension = dimension
            } else {
                errors.add("embedding_dim", "must be a multiple of 4, got \(dimension)")
            }
        }
        if let side = errors.integer(body["image_size"], at: "image_size", range: imageSize) {
            // Two 2×2 poolings: the side must halve twice.
            if side % 4 == 0 { parameters.imageSide = side } else { errors.add("image_size", "must be a multiple of 4, got \(side)") }
        }
        if let rate = errors.number(body["learning_rate"], at: "learning_rate", range: 1e-6...10) { parameters.learningRate = Float(rate) }
        if let seed = errors.integer(body["seed"], at: "seed", range: seed) { parameters.seed = UInt64(seed) }
        if let shards = errors.integer(body["shards"], at: "shards", range: 1...1_000), shards != 1 {
            errors.add("shards", "must be 1: this version trains one model per job over the whole queue, got \(shards)")
        }
        parameters.temperature = TrainingParameters.defaultTemperature(for: parameters.objective)
        if let temperature = errors.number(body["temperature"], at: "temperature", range: 0.01...10) {
            parameters.temperature = Float(temperature)
        }
        if let count = errors.integer(body["prototypes"], at: "prototypes", range: prototypes) { parameters.prototypes = count }
        if let value = body["augmentations"], value != .null,
            let augmentations = errors.object(value, at: "augmentations", allowed: augmentationFields)
        {
            func probability(_ name: String, range: ClosedRange<Double> = 0...1) -> Float? {
                errors.number(augmentations[name], at: "augmentations." + name, range: range).map(Float.init)
            }
            if let scale = probability("crop_scale_min", range: 0.05...1) { parameters.augmentations.cropScale = scale...1 }
            if let flip = probability("flip_probability") { parameters.augmentations.flipProbability = flip }
            if let jitter = probability("jitter_probability") { parameters.augmentations.jitterProbability = jitter }
            if let strength = probability("jitter_strength") { parameters.augmentations.jitterStrength = strength }
            if let grey = probability("grayscale_probability") { parameters.augmentations.grayscaleProbability = grey }
        }
        // A step's buffers grow with the views it holds: 2 × batch_size images of image_size².
        if parameters.batchSize * parameters.imageSide * parameters.imageSide > maxBatchPixels {
            errors.add(
                "batch_size",
                "batch_size × image_size² must be at most \(maxBatchPixels) (1024 at 32, 256 at 64, 64 at 128), got "
                    + "\(parameters.batchSize) × \(parameters.imageSide)²: a step's memory grows with it")
        }
        return (parameters, errors.all)
    }

    /// The complete parameters as stored with the job; `parse` reads them back unchanged.
    static func json(_ parameters: TrainingParameters) -> JSONValue {
        .object([
            "objective": .string(parameters.objective.rawValue), "epochs": .number(Double(parameters.epochs)),
            "batch_size": .number(Double(parameters.batchSize)), "embedding_dim": .number(Double(parameters.embeddingDimension)),
            "image_size": .number(Double(parameters.imageSide)), "learning_rate": .number(Self.decimal(parameters.learningRate)),
            "seed": .number(Double(parameters.seed)), "shards": .number(1), "temperature": .number(Self.decimal(parameters.temperature)),
            "prototypes": .number(Double(parameters.prototypes)),
            "augmentations": .object([
                "crop_scale_min": .number(decimal(parameters.augmentations.cropScale.lowerBound)),
                "flip_probability": .number(decimal(parameters.augmentations.flipProbability)),
                "jitter_probability": .number(decimal(parameters.augmentations.jitterProbability)),
                "jitter_strength": .number(decimal(parameters.augmentations.jitterStrength)),
                "grayscale_probability": .number(decimal(parameters.augmentations.grayscaleProbability)),
            ]),
        ])
    }

    /// The Double with the shortest decimal form of the Float: 0.1 stays 0.1 in the stored
    /// parameters, not 0.10000000149011612.
    static func decimal(_ value: Float) -> Double {
        Double("\(value)") ?? Double(value)
    }
}
