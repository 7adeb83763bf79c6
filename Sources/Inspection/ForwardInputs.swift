import Foundation
import SafeTensors
import Tensor

/// The inputs of a forward pass, under the names the PyTorch fixtures use: `input_ids`,
/// `attention_mask`, `labels` (integer [batch, tokens]), `pixel_values` (float [images, C, H, W])
/// and `image_token_index` (one integer). Each is optional; the model decides which it needs.
public struct ForwardInputs {
    /// Token rows of equal length (LLaVA: image positions already expanded).
    public var inputIDs: [[Int]]?
    /// Per row, which positions are real tokens (false = padding).
    public var attentionMask: [[Bool]]?
    /// Next-token targets as transformers takes them (−100 = not learned).
    public var labels: [[Int]]?
    /// Preprocessed images, [images, channels, height, width].
    public var pixelValues: Tensor?
    /// The id that marks image positions in `inputIDs`, when it differs from the model's own
    /// (the original LLaVA layout uses −200 where llava-hf uses a vocabulary id).
    public var imageTokenID: Int?
    /// Where the inputs came from, for messages.
    public var origin: String

    /// Inputs given in memory.
    public init(inputIDs: [[Int]]? = nil, attentionMask: [[Bool]]? = nil, labels: [[Int]]? = nil,
                pixelValues: Tensor? = nil, imageTokenID: Int? = nil, origin: String = "the inputs") {
        self.inputIDs = inputIDs
        self.attentionMask = attentionMask
        self.labels = labels
        self.pixelValues = pixelValues
        self.imageTokenID = imageTokenID
        self.origin = origin
    }

    /// Reads whichever inputs the safetensors file at `url` holds and checks their shapes.
    public init(contentsOf url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw InspectionError("inputs file \(url.path) does not exist")
        }
        let file = try SafeTensorsFile(url: url)
        let origin = url.path
        func rows(_ name: String) throws -> [[Int]]? {
            guard file.contains(name) else { return nil }
            let shape = try file.info(name).shape
            guard shape.count == 2 else {
                throw InspectionError("'\(name)' in \(origin) has shape \(shape); expected [batch, tokens]")
            }
            let values = try file.int64s(name).map { Int($0) }
            return (0..<shape[0]).map { Array(values[($0 * shape[1])..<(($0 + 1) * shape[1])]) }
        }
        let inputIDs = try rows("input_ids")
        let attentionMask = try rows("attention_mask")?.map { $0.map { $0 != 0 } }
        let labels = try rows("labels")
        if file.contains("input_ids") {
            let shape = try file.info("input_ids").shape
            for name in ["attention_mask", "labels"] where file.contains(name) {
                let otherShape = try file.info(name).shape
                guard otherShape == shape else {
                    throw InspectionError("'\(name)' in \(origin) has shape \(otherShape) but 'input_ids' has \(shape)")
                }
            }
        }
        var pixelValues: Tensor?
        if file.contains("pixel_values") {
            let shape = try file.info("pixel_values").shape
            guard shape.count == 4 else {
                throw InspectionError("'pixel_values' in \(origin) has shape \(shape); expected [images, channels, height, width]")
            }
            pixelValues = Tensor(try file.floats("pixel_values"), shape: shape)
        }
        var imageTokenID: Int?
        if file.contains("image_token_index") {
            let values = try file.int64s("image_token_index")
            guard values.count == 1 else {
                throw InspectionError("'image_token_index' in \(origin) holds \(values.count) values; expected one")
            }
            imageTokenID = Int(values[0])
        }
        self.init(inputIDs: inputIDs, attentionMask: attentionMask, labels: labels, pixelValues: pixelValues,
                  imageTokenID: imageTokenID, origin: origin)
    }
}
